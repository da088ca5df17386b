"""The Ray executor against a local one-CPU Ray instance: the store must fill exactly as
with the local executor (metrics, status, Stop, Continue, checkpoints), a job waits while
the cluster is busy, and a lost worker leaves an interrupted run keeping what arrived."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from builder.access import SOLO
from builder.execution import executor as executor_module
from builder import trainer
from builder.execution.executor import RayExecutor
from builder.execution.factory import get_executor
from builder.settings import TrainSettings
from builder.store import Store
from tests import tiny

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def address():
    """One local Ray instance for the module: one CPU, so a second job has to wait."""
    ray.init(num_cpus=1, include_dashboard=False, logging_level="ERROR")
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return str(tiny.write_npz(tmp_path_factory.mktemp("data") / "tiny.npz"))


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


def queue(store: Store, data: str, epochs: int, batch_size: int = 8) -> int:
    return store.create_run(tiny.model(), data, TrainSettings(epochs=epochs, batch_size=batch_size))


def test_the_server_never_imports_ray_even_when_it_is_configured(store, address):
    code = ("import sys; from builder.execution.factory import get_executor; from builder.store import Store; "
            f"e = get_executor(Store.open({str(store.path)!r})); "
            "print(type(e).__name__, e.backend, 'ray' in sys.modules)")
    env = {**os.environ, executor_module.EXECUTOR_ENV: "ray://head:10001"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True, cwd=executor_module.ROOT)
    assert out.stdout.split() == ["RayExecutor", "ray://head:10001", "False"]


def test_a_ray_job_fills_the_store_exactly_like_a_local_trainer(store, data, address, monkeypatch):
    monkeypatch.setenv(executor_module.EXECUTOR_ENV, address)
    executor = get_executor(store)
    assert isinstance(executor, RayExecutor) and executor.slots == RayExecutor(store, address).slots
    remote = queue(store, data, epochs=3, batch_size=32)
    executor.submit(remote)
    tiny.wait_for(lambda: store.run(remote).status == "completed", 180, "the Ray job")

    local = queue(store, data, epochs=3, batch_size=32)
    store.claim(100, os.getpid(), local)
    assert trainer.train(store, local) == "completed"
    there, here = store.run(remote), store.run(local)
    shape = lambda run_id: [(m.epoch, m.batch, m.kind) for m in store.metrics(run_id)]
    assert shape(remote) == shape(local) and len(shape(remote)) == 3 * (-(-270 // 32) + 1)
    assert there.epochs_done == 3 and there.progress.keys() == here.progress.keys()
    assert there.results.keys() == here.results.keys() and there.error is None
    assert there.results["node"] == there.progress["node"] and there.results["replicas"] == 1
    for kind in ("best", "last", "predictions"):
        path = store.artifact(remote, kind)
        assert path is not None and store.run_dir(remote) in path.parents
    predictions = store.predictions(remote)
    accuracy = (predictions["predicted"] == predictions["label"]).mean()
    assert there.results["test_accuracy"] == pytest.approx(accuracy)


def test_stop_waiting_and_continue_work_as_locally(store, data, address):
    executor = RayExecutor(store, address, slots=2)
    pair = queue(store, data, 500), queue(store, data, 500)
    for run_id in pair:
        executor.submit(run_id)  # both go to Ray; its one CPU takes whichever comes first
    trains = lambda run_id: store.metrics(run_id, kind="epoch")
    tiny.wait_for(lambda: any(map(trains, pair)), 180, "the first epoch")
    long, blocked = pair if trains(pair[0]) else reversed(pair)
    tiny.wait_for(lambda: store.run(blocked).progress.get("phase") == "waiting", 30, "waiting")
    executor.stop(blocked, actor=SOLO)
    tiny.wait_for(lambda: store.run(blocked).status == "stopped", 30, "Stop of a waiting job")
    executor.stop(long, actor=SOLO)
    tiny.wait_for(lambda: store.run(long).status == "stopped", 30, "Stop")
    run = store.run(long)
    assert 1 <= run.epochs_done < 500 and run.results["test_accuracy"] is not None
    assert store.artifact(long, "last") and store.artifact(long, "best")
    assert store.metrics(blocked) == [] and store.run(blocked).epochs_done == 0

    tiny.continue_then_stop(store, long, 1, lambda: executor.submit(long),
                            lambda: executor.stop(long, actor=SOLO))
    after = store.run(long)
    assert after.epochs_done >= run.epochs_done + 1 and after.train_seconds > run.train_seconds
    epochs = [m.epoch for m in store.metrics(long, kind="epoch")]
    assert epochs == list(range(1, after.epochs_done + 1))


def test_a_lost_worker_leaves_an_interrupted_run_with_what_arrived(store, data, address):
    executor = RayExecutor(store, address, slots=1)
    run_id = queue(store, data, 500)
    executor.submit(run_id)
    tiny.wait_for(lambda: len(store.metrics(run_id, kind="epoch")) >= 2, 180, "two epochs")
    name = next(a["name"] for a in ray.util.list_named_actors(all_namespaces=True)
                if a["name"].startswith(f"layerlab-run-{run_id}-"))
    ray.kill(ray.get_actor(name, namespace="layerlab"), no_restart=True)
    tiny.wait_for(lambda: store.run(run_id).status == "interrupted", 30, "the relay to notice")
    run = store.run(run_id)
    assert run.error["code"] == "worker_lost" and run.progress["node"] in run.error_text("en")
    assert len(store.metrics(run_id, kind="epoch")) >= 2
    assert store.artifact(run_id, "best").read_bytes()[:2] == b"PK"  # .keras is a zip file
    store.extend(run_id, 1, actor=SOLO)
    assert store.run(run_id).status == "queued"
