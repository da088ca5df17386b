"""The warm trainer pool: trainer processes that load TensorFlow once and wait for runs.

:class:`PoolExecutor` (the ``local`` executor) keeps up to ``$LAYERLAB_WORKERS`` worker
processes (``python -m builder.execution.pool``). Each imports TensorFlow once, then claims queued
runs from the store (``Store.claim_lease``, the fair queue) and trains them one after the
other, so a Start with a warm worker skips the process start and the import. Between runs
a worker is reset (:func:`reset`: Keras session, seeds, float32 policy), and it keeps the
``KEPT_DATASETS`` most recently used datasets in memory. A worker idle for
``$LAYERLAB_WARM_SECONDS`` (default 300) exits and gives its memory back; with 0 workers
leave as soon as the queue is empty and none is kept ready (the tests' setting).

Workers are started for queued runs (``submit``/``poll``) and by :meth:`PoolExecutor.warm`
(e.g. when the Train page opens), never more than the slots. A worker that dies mid-run
(crash, SIGKILL, the OOM killer) leaves its run ``interrupted`` (``Store.recover``, with
``out_of_memory`` when the parent saw the OOM kill) and the next poll starts a new worker.
A worker that lost its lease (it was paused too long) exits without touching the run.
Workers run at a lower CPU priority than the server and end with it
(:mod:`builder.execution.lifeline`).
The registry of workers is this module's table ``pool_workers`` in the run store.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from builder.errors import LabError
from builder.execution.executor import LocalExecutor
from builder.execution.sink import StoreSink
from builder.store import Store, pid_alive

WARM_ENV = "LAYERLAB_WARM_SECONDS"
DEFAULT_WARM_SECONDS = 300.0
POLL = 0.1          # seconds between an idle worker's looks at the queue
KEPT_DATASETS = 2   # datasets a worker keeps in memory (most recently used)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pool_workers (
    pid INTEGER PRIMARY KEY,
    state TEXT NOT NULL,         -- 'warming' | 'idle' | 'busy'
    started REAL NOT NULL,
    runs INTEGER NOT NULL DEFAULT 0
);
"""


class PoolExecutor(LocalExecutor):
    """Warm worker processes on this machine, at most ``slots``; same interface as
    :class:`~builder.execution.executor.LocalExecutor` (``submit``, ``stop``, ``poll``)."""

    def __init__(self, store: Store, slots: int | None = None) -> None:
        super().__init__(store, slots)
        with contextlib.suppress(LabError):  # a read-only store: nothing will start anyway
            store.ensure_schema(SCHEMA)

    def poll(self) -> None:
        """Recover dead trainers, then start workers for queued runs that none will take."""
        self._fill(0)

    def warm(self) -> None:
        """``poll``, and have a worker ready for the next Start (it leaves when idle);
        with ``$LAYERLAB_WARM_SECONDS`` = 0 nothing is kept warm. The drawing pad's
        inference worker is warmed with it (``builder.inference.Worker.warm_up``)."""
        keep = warm_seconds() > 0
        self._fill(1 if keep else 0)
        if keep:
            from builder import inference
            inference.WORKER.warm_up()

    def _fill(self, spare: int) -> None:
        try:
            self.store.recover()
            self._children = {pid: c for pid, c in self._children.items() if c[0].poll() is None}
            workers = self.workers()
            queued = len(self.store.queued())
            busy = sum(state == "busy" for state in workers.values())
            for _ in range(min(self.slots, busy + queued + spare) - len(workers)):
                self._spawn()
        except LabError as exc:
            if exc.code != "store_unwritable":
                raise

    def workers(self) -> dict[int, str]:
        """Live workers (pid → state); rows of dead ones are removed."""
        rows = self.store.query("SELECT pid, state FROM pool_workers")
        dead = [r["pid"] for r in rows if not pid_alive(r["pid"])]
        for pid in dead:
            self.store.query("DELETE FROM pool_workers WHERE pid = ?", (pid,))
        return {r["pid"]: r["state"] for r in rows if r["pid"] not in dead}

    def _spawn(self) -> None:
        pid = self._start("builder.execution.pool", str(self.store.path), str(self.slots))
        self.store.query("INSERT OR REPLACE INTO pool_workers (pid, state, started) "
                         "VALUES (?, 'warming', ?)", (pid, time.time()))


def warm_seconds() -> float:
    value = os.environ.get(WARM_ENV, str(DEFAULT_WARM_SECONDS))
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise LabError("bad_setting", name=WARM_ENV, allowed="a number of seconds ≥ 0", got=value)
    return seconds


def worker_main(store_path: str, slots: int) -> None:
    """A pool worker: import TensorFlow, then train claimed runs until idle too long."""
    store = Store.open(store_path, recover=False)
    pid = os.getpid()
    try:
        run_job = _warm_up()
        idle = warm_seconds()
        _set_state(store, pid, "idle")
        idle_since = time.monotonic()
        while True:
            lease = store.claim_lease(slots, pid) if store.has_queued() else None
            if lease is not None:
                _set_state(store, pid, "busy")
                run_job(StoreSink(store, lease.run_id, lease.token))
                reset()
                _set_state(store, pid, "idle")
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= idle:
                break
            else:
                time.sleep(POLL)
    except LabError:  # LeaseLost (paused too long), or a store that cannot be written
        pass
    finally:
        with contextlib.suppress(LabError):
            store.query("DELETE FROM pool_workers WHERE pid = ?", (pid,))


def _set_state(store: Store, pid: int, state: str) -> None:
    store.query("UPDATE pool_workers SET state = ?, runs = runs + ? WHERE pid = ?",
                (state, int(state == "busy"), pid))


def _warm_up() -> Callable[[StoreSink], str]:
    """Import TensorFlow and the trainer once; keep recent datasets in memory."""
    import keras  # noqa: F401  (the slow import this process exists to do once)
    from builder import datasets, trainer
    datasets.load = kept(datasets.load)
    reset()
    return trainer.run_job


def reset() -> None:
    """Leave nothing of one run to the next: a fresh Keras session, float32 everywhere,
    fixed seeds (each run sets its own), and garbage collected."""
    import keras
    keras.mixed_precision.set_global_policy("float32")
    keras.config.set_floatx("float32")
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    gc.collect()


def kept(load: Callable[..., Any], size: int = KEPT_DATASETS) -> Callable[..., Any]:
    """``datasets.load`` keeping the ``size`` most recently used datasets (a file is
    reloaded when it changed). Loaded arrays are shared: trainers copy, never write."""
    cache: OrderedDict[tuple, Any] = OrderedDict()

    def load_kept(source: Any, progress: Any = None) -> Any:
        if isinstance(source, bytes):
            return load(source, progress)
        path = Path(os.fspath(source))
        key = (os.fspath(source), path.stat().st_mtime_ns if path.is_file() else None)
        if key not in cache:
            cache[key] = load(source, progress)
            while len(cache) > size:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return cache[key]

    return load_kept


if __name__ == "__main__":
    from builder.execution import lifeline
    lifeline.follow_parent()
    worker_main(sys.argv[1], int(sys.argv[2]))
