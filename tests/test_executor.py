"""The local executor: spawned trainer processes, the queue, Stop, and a killed trainer."""
from __future__ import annotations

import os
import signal

import pytest

from tests.isolation import HEAVY, imported_after
from builder.access import SOLO
from builder.execution import executor as executor_module
from builder.errors import LabError
from builder.execution.executor import LocalExecutor
from builder.execution import factory
from builder.execution.factory import get_executor
from builder.settings import TrainSettings
from builder.store import Store, pid_alive
from tests import tiny

ENGINE_MODULES = ("builder.store", "builder.execution.executor", "builder.execution.factory",
                  "builder.datasets", "builder.forecast", "builder.trainer", "builder.cli.train",
                  "builder.execution.sink", "builder.execution.remote", "builder.execution.relay",
                  "builder.execution.pool", "builder.execution.exits", "builder.access",
                  "builder.queueing")


def test_the_server_side_modules_never_import_tensorflow_or_ray():
    code = f"import {', '.join(ENGINE_MODULES)}; from builder import datasets; datasets.load('digits')"
    assert imported_after(code, forbidden=(*HEAVY, "ray")) == []


def test_the_executor_is_chosen_by_the_environment(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "runs.sqlite")
    monkeypatch.delenv(executor_module.EXECUTOR_ENV, raising=False)
    monkeypatch.setenv(executor_module.WORKERS_ENV, "3")
    chosen = get_executor(store)
    assert isinstance(chosen, LocalExecutor) and chosen.slots == 3
    monkeypatch.setenv(executor_module.EXECUTOR_ENV, "spark://head:7077")
    with pytest.raises(LabError) as caught:
        get_executor(store)
    assert caught.value.code == "executor_unknown"
    monkeypatch.setenv(executor_module.EXECUTOR_ENV, "local")
    monkeypatch.setenv(executor_module.WORKERS_ENV, "zero")
    with pytest.raises(LabError):
        get_executor(store)


def test_a_ray_address_without_ray_installed_asks_for_the_extra(tmp_path, monkeypatch):
    monkeypatch.setenv(executor_module.EXECUTOR_ENV, "ray://head:10001")
    monkeypatch.setattr(factory.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(LabError) as caught:
        get_executor(Store.open(tmp_path / "runs.sqlite"))
    assert caught.value.code == "ray_missing" and "requirements-ray.txt" in str(caught.value)


@pytest.fixture
def setup(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "runs.sqlite")
    launches: list[int] = []
    executor = LocalExecutor(store, slots=1)
    launch = executor._launch
    monkeypatch.setattr(executor, "_launch", lambda lease: (launches.append(lease.run_id), launch(lease)))
    data = str(tiny.write_npz(tmp_path / "tiny.npz"))
    return store, executor, launches, data


def queue(store: Store, data: str, epochs: int, batch_size: int = 8) -> int:
    return store.create_run(tiny.model(), data, TrainSettings(epochs=epochs, batch_size=batch_size))


@pytest.mark.slow
def test_one_slot_runs_the_queue_in_order_and_stop_frees_it(setup):
    store, executor, launches, data = setup
    long, short = queue(store, data, 500), queue(store, data, 2, batch_size=32)
    executor.submit(long)
    executor.submit(short)
    assert store.run(long).status == "running" and store.run(short).status == "queued"
    tiny.wait_for(lambda: store.metrics(long, kind="epoch"), 180, "the first epoch")
    executor.stop(long, actor=SOLO)
    tiny.wait_for(lambda: store.run(long).status == "stopped", 30, "Stop")
    tiny.wait_for(lambda: store.run(short).status == "completed", 60, "the queued run")
    assert launches == [long]  # the finished trainer took the next run itself
    assert store.run(short).results["test_accuracy"] is not None
    assert store.artifact(long, "last") is not None


@pytest.mark.slow
def test_a_killed_trainer_leaves_an_interrupted_run_with_its_metrics_and_best_model(setup):
    import keras
    store, executor, launches, data = setup
    run_id = queue(store, data, 500)
    executor.submit(run_id)
    tiny.wait_for(lambda: len(store.metrics(run_id, kind="epoch")) >= 2, 180, "two epochs")
    pid = store.run(run_id).worker_pid
    os.kill(pid, signal.SIGKILL)
    tiny.wait_for(lambda: executor.poll() or not pid_alive(pid), 10, "the trainer to die")
    executor.poll()
    run = store.run(run_id)
    assert run.status == "interrupted" and run.error["code"] == "interrupted"
    assert len(store.metrics(run_id, kind="epoch")) >= 2
    model = keras.models.load_model(store.artifact(run_id, "best"), safe_mode=True)
    assert model.output_shape == (None, tiny.CLASSES)
    store.extend(run_id, 1, actor=SOLO)  # an interrupted run continues from its best model
    assert store.run(run_id).status == "queued"
