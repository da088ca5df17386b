"""Executors start trainers for queued runs; the server talks to them, never to Keras.

One interface, :class:`Executor`, with two implementations the pages cannot tell apart::

    executor = get_executor(store)      # chosen by $LAYERLAB_EXECUTOR (default "local")
    run_id = store.create_run(arch, "mnist", settings)
    executor.submit(run_id)             # starts now, or when a slot frees
    executor.stop(run_id, actor=actor)  # the trainer stops within about a second
    executor.poll()                     # on page loads: recover dead trainers, fill slots

:class:`LocalExecutor` keeps the queue in the store and runs at most ``$LAYERLAB_WORKERS``
(default 1) trainers on this machine. Each trainer is a fresh Python interpreter started
with ``subprocess`` in its own session: nothing of the server (and no TensorFlow) is
inherited, and it survives a server restart. When a trainer finishes its run it claims
the next queued run itself, so the queue drains with no page open; ``poll()`` (and every
``submit``) starts trainers for free slots after a crash or restart. The claim is one
SQLite transaction, so several servers or CLIs never oversubscribe the slots.

:class:`RayExecutor` (``$LAYERLAB_EXECUTOR`` = ``auto``, ``ray://host:10001`` or
``host:6379``; needs ``requirements-ray.txt``) is the same queue and the same processes,
but each process relays its run to a Ray cluster (``builder.relay``) instead of training
it: the job trains on a cluster machine, on a GPU when the cluster has them, and the store
fills exactly as with a local trainer. ``$LAYERLAB_WORKERS`` then counts the runs handed
to the cluster at once (default 8).

This module never imports Keras or Ray; the trainer process runs ``python -m builder.executor``.
"""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Protocol

from builder.access import Actor
from builder.errors import LabError
from builder.sink import StoreSink
from builder.store import Lease, LeaseLost, Store

EXECUTOR_ENV = "LAYERLAB_EXECUTOR"   # "local" (default) or a Ray address
WORKERS_ENV = "LAYERLAB_WORKERS"     # runs trained at once (default 1 locally, 8 with Ray)
LOCAL = "local"
RAY_WORKERS = 8                       # default runs handed to a Ray cluster at once
RAY_ADDRESS = re.compile(r"auto|ray://\S+|[\w.-]+:\d+")
ROOT = Path(__file__).resolve().parent.parent


class Executor(Protocol):
    """Runs queued runs of a store somewhere; every method returns quickly."""

    def submit(self, run_id: int) -> None:
        """Start the queued run ``run_id`` now, or as soon as capacity frees up."""

    def stop(self, run_id: int, *, actor: Actor) -> None:
        """Ask the run to stop, keeping what it learned (a queued run just stops); only
        its owner or the teacher may (``builder.access``)."""

    def poll(self) -> None:
        """Mark runs of dead trainers interrupted and start queued runs on free capacity."""


class LocalExecutor:
    """Trainer processes on this machine, at most ``slots`` at a time."""

    backend = LOCAL  # what the trainer processes train with (see worker_main)

    def __init__(self, store: Store, slots: int | None = None) -> None:
        self.store = store
        self.slots = slots or workers_from_env()
        self._children: list[subprocess.Popen] = []

    def submit(self, run_id: int) -> None:
        self.poll()

    def stop(self, run_id: int, *, actor: Actor) -> None:
        self.store.request_stop(run_id, actor=actor)

    def poll(self) -> None:
        self._children = [p for p in self._children if p.poll() is None]  # reaps zombies
        self.store.recover()
        while (lease := self.store.claim_lease(self.slots)) is not None:
            self._launch(lease)

    def _launch(self, lease: Lease) -> None:
        log = open(self.store.files / "trainer.log", "ab")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), "TF_CPP_MIN_LOG_LEVEL": "2"}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "builder.executor", str(self.store.path),
                 str(lease.run_id), str(lease.token), str(self.slots), self.backend], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as exc:
            self.store.finish(lease.run_id, "failed", error=LabError("trainer_start", reason=str(exc)),
                              token=lease.token)
            return
        finally:
            log.close()
        self.store.set_worker(lease.run_id, process.pid, lease.token)
        self._children.append(process)


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


def get_executor(store: Store) -> Executor:
    """The executor named by ``$LAYERLAB_EXECUTOR``: ``local`` (default) or a Ray address."""
    kind = os.environ.get(EXECUTOR_ENV, LOCAL) or LOCAL
    if kind == LOCAL:
        return LocalExecutor(store)
    if not RAY_ADDRESS.fullmatch(kind):
        raise LabError("executor_unknown", got=kind, env=EXECUTOR_ENV)
    if importlib.util.find_spec("ray") is None:  # checked without importing it here
        raise LabError("ray_missing")
    return RayExecutor(store, kind)


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
    from builder import relay
    relay.connect(backend)
    return relay.relay


if __name__ == "__main__":
    worker_main(sys.argv[1], Lease(int(sys.argv[2]), int(sys.argv[3])), int(sys.argv[4]), sys.argv[5])
