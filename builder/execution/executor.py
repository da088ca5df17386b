"""Executors start trainers for queued runs; the server talks to them, never to Keras.

One interface, :class:`Executor`, with two implementations the pages cannot tell apart::

    executor = get_executor(store)      # builder.execution.factory: $LAYERLAB_EXECUTOR
    run_id = store.create_run(arch, "mnist", settings)
    executor.submit(run_id)             # starts now, or when a slot frees
    executor.stop(run_id, actor=actor)  # the trainer stops within about a second
    executor.poll()                     # on page loads: recover dead trainers, fill slots
    executor.warm()                     # poll, and keep a trainer ready (the Train page)

:class:`LocalExecutor` keeps the queue in the store and runs at most ``$LAYERLAB_WORKERS``
(default 1) trainers on this machine. Each trainer is a fresh Python interpreter started
with ``subprocess`` in its own session: nothing of the server (and no TensorFlow) is
inherited. It runs at a lower CPU priority than the server and ends with the process that
started it (:mod:`builder.execution.lifeline`): a server that exits leaves no trainer
behind, its runs turn ``interrupted`` (Continue resumes them) and its queued runs wait
for the next server, which starts trainers for them. When a trainer finishes its run it claims
the next queued run itself, so the queue drains with no page open; ``poll()`` (and every
``submit``) starts trainers for free slots after a crash or restart. The claim is one
SQLite transaction, so several servers or CLIs never oversubscribe the slots. The default
``local`` executor is its subclass :class:`builder.execution.pool.PoolExecutor`, whose trainers stay
warm (TensorFlow loaded) between runs.

:class:`RayExecutor` (``$LAYERLAB_EXECUTOR`` = ``auto``, ``ray://host:10001`` or
``host:6379``; needs ``requirements-ray.txt``) is the same queue and the same processes,
but each process relays its run to a Ray cluster (``builder.execution.relay``) instead of training
it: the job trains on a cluster machine, on a GPU when the cluster has them, and the store
fills exactly as with a local trainer. ``$LAYERLAB_WORKERS`` then counts the runs handed
to the cluster at once (default 8).

This module never imports Keras or Ray; the trainer process runs ``python -m builder.execution.executor``.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Protocol

from builder.access import Actor
from builder.errors import LabError
from builder.execution import lifeline
from builder.execution.exits import exit_error, oom_kills, unseen_exit_error
from builder.execution.sink import StoreSink
from builder.store import Lease, LeaseLost, Store
from builder.execution.tf_env import child_environment

EXECUTOR_ENV = "LAYERLAB_EXECUTOR"   # "local" (default) or a Ray address
WORKERS_ENV = "LAYERLAB_WORKERS"     # runs trained at once (default 1 locally, 8 with Ray)
LOCAL = "local"
RAY_WORKERS = 8                       # default runs handed to a Ray cluster at once
RAY_ADDRESS = re.compile(r"auto|ray://\S+|[\w.-]+:\d+")
ROOT = Path(__file__).resolve().parents[2]
EXIT_WAIT = 2.0                       # seconds to wait for a dead trainer's exit status


class Executor(Protocol):
    """Runs queued runs of a store somewhere; every method returns quickly."""

    def submit(self, run_id: int) -> None:
        """Start the queued run ``run_id`` now, or as soon as capacity frees up."""

    def stop(self, run_id: int, *, actor: Actor) -> None:
        """Ask the run to stop, keeping what it learned (a queued run just stops); only
        its owner or the teacher may (``builder.access``)."""

    def poll(self) -> None:
        """Mark runs of dead trainers interrupted and start queued runs on free capacity."""

    def warm(self) -> None:
        """``poll``, and have a trainer ready for the next Start where that makes it faster
        (the Train page calls it on load)."""


class LocalExecutor:
    """Trainer processes on this machine, at most ``slots`` at a time."""

    backend = LOCAL  # what the trainer processes train with (see worker_main)

    def __init__(self, store: Store, slots: int | None = None) -> None:
        self.store = store
        self.slots = slots or workers_from_env()
        # pid → (trainer process, the machine's OOM kills when it started)
        self._children: dict[int, tuple[subprocess.Popen, int | None]] = {}
        store.exit_cause = self._exit_cause

    def submit(self, run_id: int) -> None:
        self.poll()

    def stop(self, run_id: int, *, actor: Actor) -> None:
        self.store.request_stop(run_id, actor=actor)

    def poll(self) -> None:
        """Cheap and read-only unless something changed: pages call it on every load. A
        store that cannot be written does not fail the page (its writes say why)."""
        try:
            self.store.recover()  # first: it asks _exit_cause about children that ended
            self._children = {pid: c for pid, c in self._children.items() if c[0].poll() is None}
            while self.store.has_queued() and (lease := self.store.claim_lease(self.slots)):
                self._launch(lease)
        except LabError as exc:
            if exc.code != "store_unwritable":
                raise

    def warm(self) -> None:
        self.poll()  # each run starts a fresh process: nothing to keep ready

    def _exit_cause(self, pid: int, run_id: int) -> LabError | None:
        """Why trainer ``pid`` ended while training ``run_id`` (None: ours, not yet reaped)."""
        process, ooms = self._children.get(pid, (None, None))
        if process is None:  # another server's trainer, or this server restarted
            return unseen_exit_error(self.store.run(run_id))
        try:  # a killed process with many threads takes a moment to be reaped
            process.wait(timeout=EXIT_WAIT)
        except subprocess.TimeoutExpired:
            return None
        return exit_error(self.store.run(run_id), process.returncode, ooms)

    def _launch(self, lease: Lease) -> None:
        try:
            pid = self._start("builder.execution.executor", str(self.store.path), str(lease.run_id),
                              str(lease.token), str(self.slots), self.backend)
        except OSError as exc:
            self.store.finish(lease.run_id, "failed", error=LabError("trainer_start", reason=str(exc)),
                              token=lease.token)
            return
        self.store.set_worker(lease.run_id, pid, lease.token)

    def _start(self, module: str, *args: str) -> int:
        """Start ``python -m module args`` as a trainer process of ours (its own session,
        output to ``trainer.log``; it follows this process, :mod:`builder.execution.lifeline`);
        returns its pid."""
        ooms = oom_kills()
        env = child_environment()
        with open(self.store.files / "trainer.log", "ab") as log:
            process = lifeline.spawn([sys.executable, "-m", module, *args], env, cwd=ROOT,
                                     stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._children[process.pid] = (process, ooms)
        return process.pid


class RayExecutor(LocalExecutor):
    """Runs train on the Ray cluster at ``address``; a local process relays each one."""

    def __init__(self, store: Store, address: str, slots: int | None = None) -> None:
        super().__init__(store, slots or workers_from_env(RAY_WORKERS))
        self.backend = address


def workers_from_env(default: int = 1) -> int:
    value = os.environ.get(WORKERS_ENV, str(default))
    if not value.isdigit() or int(value) < 1:
        raise LabError("bad_setting", name=WORKERS_ENV, allowed="a whole number ≥ 1", got=value)
    return int(value)


def worker_main(store_path: str, lease: Lease, slots: int, backend: str = LOCAL) -> None:
    """A trainer process: train the leased run, then keep claiming queued runs while
    allowed. A trainer whose lease was lost (paused too long) stops at once."""
    store = Store.open(store_path, recover=False)
    try:
        train = _trainer(backend)
    except LabError as exc:  # e.g. the Ray cluster is unreachable
        store.finish(lease.run_id, "failed", error=exc, token=lease.token)
        return
    pid = os.getpid()
    next_lease: Lease | None = lease
    try:
        while next_lease is not None:
            store.set_worker(next_lease.run_id, pid, next_lease.token)
            train(StoreSink(store, next_lease.run_id, next_lease.token))
            next_lease = store.claim_lease(slots, pid)
    except LeaseLost:
        return


def _trainer(backend: str) -> Callable[[StoreSink], str]:
    """``trainer.run_job`` here, or ``relay.relay`` once connected to the Ray cluster."""
    if backend == LOCAL:
        from builder import trainer
        return trainer.run_job
    from builder.execution import relay
    relay.connect(backend)
    return relay.relay


if __name__ == "__main__":
    lifeline.follow_parent()
    worker_main(sys.argv[1], Lease(int(sys.argv[2]), int(sys.argv[3])), int(sys.argv[4]), sys.argv[5])
