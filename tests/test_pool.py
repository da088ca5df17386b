"""The warm trainer pool (issue 14 §1): one worker trains run after run, is reset between
them, leaves when idle, and is replaced when it dies."""
from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from builder.execution import pool
from builder.access import SOLO
from builder.errors import LabError
from builder.execution.factory import get_executor
from builder.settings import TrainSettings
from builder.store import Store, pid_alive
from tests import tiny


def test_the_default_local_executor_is_the_pool(tmp_path, monkeypatch):
    monkeypatch.delenv("LAYERLAB_EXECUTOR", raising=False)
    assert isinstance(get_executor(Store.open(tmp_path / "runs.sqlite")), pool.PoolExecutor)


def test_idle_time_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(pool.WARM_ENV, "2.5")
    assert pool.warm_seconds() == 2.5
    monkeypatch.setenv(pool.WARM_ENV, "soon")
    with pytest.raises(LabError) as caught:
        pool.warm_seconds()
    assert caught.value.code == "bad_setting"


def test_workers_keep_the_most_recently_used_datasets(tmp_path):
    loads: list[str] = []

    def load(source, progress=None):
        loads.append(os.fspath(source))
        return object()

    kept = pool.kept(load, size=2)
    a, b, c = (str(tiny.write_npz(tmp_path / f"{n}.npz")) for n in "abc")
    first = kept(a)
    assert kept(a) is first and kept("digits") is kept("digits")
    kept(b), kept(c)                 # a is the least recently used now…
    assert kept(a) is not first      # …so it was dropped and loads again
    os.utime(c, ns=(1, 1))           # a changed file is read again
    kept(c)
    assert loads == [a, "digits", b, c, a, c]


@pytest.mark.slow
def test_a_reset_puts_back_float32_and_a_fresh_session():
    import keras
    keras.mixed_precision.set_global_policy("mixed_float16")
    keras.layers.Dense(2)
    pool.reset()
    assert keras.mixed_precision.global_policy().name == "float32"
    assert keras.config.floatx() == "float32"
    assert keras.layers.Dense(2).name == "dense"  # the name counters start again


def queue(store: Store, data: str, epochs: int, seed: int = 1) -> int:
    return store.create_run(tiny.model(), data, TrainSettings(epochs=epochs, batch_size=8, seed=seed))


def epoch_losses(store: Store, run_id: int) -> list[float]:
    return [m.loss for m in store.metrics(run_id, kind="epoch")]


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv(pool.WARM_ENV, "6")
    store = Store.open(tmp_path / "runs.sqlite")
    executor = pool.PoolExecutor(store, slots=1)
    yield store, executor, str(tiny.write_npz(tmp_path / "tiny.npz"))
    for pid in executor.workers():
        os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_warm_worker_trains_run_after_run_the_same_way_then_leaves(setup):
    store, executor, data = setup
    first = queue(store, data, 2)
    executor.submit(first)
    tiny.wait_for(lambda: store.run(first).status == "completed", 120, "the first run")
    second = queue(store, data, 2)
    executor.submit(second)
    tiny.wait_for(lambda: store.run(second).status == "completed", 60, "the second run")
    workers = executor.workers()
    assert len(executor._children) == 1 and len(workers) == 1  # no second process started
    (pid,) = workers
    assert store.query("SELECT runs FROM pool_workers WHERE pid = ?", (pid,))[0][0] == 2
    np.testing.assert_allclose(epoch_losses(store, second), epoch_losses(store, first), rtol=1e-4)
    tiny.wait_for(lambda: not pid_alive(pid), 30, "the idle worker to leave")
    executor.poll()
    assert executor.workers() == {}


@pytest.mark.slow
def test_a_killed_worker_leaves_its_run_interrupted_and_is_replaced(setup):
    store, executor, data = setup
    long = queue(store, data, 500)
    executor.submit(long)
    tiny.wait_for(lambda: store.artifact(long, "last") or store.artifact(long, "best"), 120,
                  "the first epoch's checkpoint")  # written after the epoch's metrics
    (dead,) = executor.workers()
    os.kill(dead, signal.SIGKILL)
    tiny.wait_for(lambda: executor.poll() or store.run(long).status == "interrupted", 10,
                  "the death to be noticed")
    assert store.run(long).error["code"] == "interrupted"
    short = queue(store, data, 1)
    executor.submit(short)
    tiny.wait_for(lambda: store.run(short).status == "completed", 120, "a new worker")
    assert dead not in executor.workers() and len(executor.workers()) == 1
    tiny.continue_then_stop(store, long, 1, lambda: executor.submit(long),  # in the warm worker
                            lambda: executor.stop(long, actor=SOLO))


def test_warming_starts_one_worker_and_polling_none_without_runs(tmp_path, monkeypatch):
    started: list[int] = []
    executor = pool.PoolExecutor(Store.open(tmp_path / "runs.sqlite"), slots=2)
    monkeypatch.setattr(executor, "_spawn", lambda: started.append(1))
    monkeypatch.setenv(pool.WARM_ENV, "300")
    executor.poll()
    assert started == []
    executor.warm()
    assert started == [1]
    monkeypatch.setenv(pool.WARM_ENV, "0")  # nothing kept warm…
    started.clear()
    executor.warm()
    assert started == []
    queue(executor.store, "digits", 1)      # …but queued runs still get a worker
    executor.poll()
    assert started == [1]
