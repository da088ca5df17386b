"""The trainer end to end on tiny synthetic data, in this process (TensorFlow loads once)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest

from builder.access import SOLO
from builder import executor, templates, trainer
from builder.settings import TrainSettings
from builder.store import Store
from tests import tiny


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tiny.write_npz(tmp_path_factory.mktemp("data") / "tiny.npz")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store.open(tmp_path_factory.mktemp("store") / "runs.sqlite")


def start(store: Store, data, arch=None, **settings) -> int:
    run_id = store.create_run(arch or tiny.model(), str(data), TrainSettings(**settings))
    store.claim(100, os.getpid(), run_id)
    return run_id


@pytest.fixture(scope="module")
def completed(store, data):
    run_id = start(store, data, epochs=3, batch_size=32, learning_rate=0.01)
    assert trainer.train(store, run_id) == "completed", store.run(run_id).error_text()
    return run_id


@pytest.mark.slow
def test_metrics_of_every_batch_and_epoch_reach_the_store(store, completed):
    run = store.run(completed)
    batches = -(-270 // 32)  # 300 images, 10 % held out for validation
    rows = store.metrics(completed)
    assert [m.batch for m in rows if m.kind == "batch"] == list(range(1, batches + 1)) * 3
    epochs = [m for m in rows if m.kind == "epoch"]
    assert [m.epoch for m in epochs] == [1, 2, 3] and run.epochs_done == 3
    assert all(m.val_loss is not None and m.val_accuracy is not None for m in epochs)
    assert all(a.time <= b.time for a, b in zip(rows, rows[1:]))
    assert run.progress["phase"] == "done" and run.progress["batches"] == batches
    assert run.results["train_images"] == 270 and run.results["val_images"] == 30
    assert run.results["node"] == run.progress["node"] == socket.gethostname()
    assert run.results["replicas"] == 1 and run.results["global_batch_size"] == 32


@pytest.mark.slow
def test_the_best_checkpoint_loads_safely_and_matches_the_stored_results(store, data, completed):
    import keras
    from builder import datasets
    run = store.run(completed)
    model = keras.models.load_model(store.artifact(completed, "best"), safe_mode=True)
    test = datasets.load(str(data))
    predicted = model.predict(datasets.to_float(test.x_test), verbose=0).argmax(axis=1)
    assert run.results["test_accuracy"] == pytest.approx((predicted == test.y_test).mean())
    stored = store.predictions(completed)
    assert np.array_equal(stored["predicted"], predicted)
    assert np.array_equal(stored["label"], test.y_test)
    best = max(store.metrics(completed, kind="epoch"), key=lambda m: m.val_accuracy)
    assert run.results["best_epoch"] == best.epoch
    assert run.results["best_score"] == pytest.approx(best.val_accuracy)


@pytest.mark.slow
def test_confusion_matrix_per_class_accuracy_and_mistakes_agree(store, completed):
    results = store.run(completed).results
    confusion = np.array(results["confusion"])
    assert confusion.shape == (3, 3) and confusion.sum() == 60
    assert np.trace(confusion) / 60 == pytest.approx(results["test_accuracy"])
    for c, share in enumerate(results["per_class_accuracy"]):
        assert share == pytest.approx(confusion[c, c] / confusion[c].sum())
    stored = store.predictions(completed)
    wrong = stored["indices"]
    assert len(wrong) == 60 - np.trace(confusion) and len(stored["images"]) == len(wrong)
    assert all(stored["predicted"][i] != stored["label"][i] for i in wrong)
    confidences = stored["confidence"][wrong]
    assert np.all(confidences[:-1] >= confidences[1:])
    assert [m["index"] for m in results["mistakes"]] == list(wrong[:trainer.SHOWN_MISTAKES])


@pytest.mark.slow
def test_stop_keeps_what_was_learned_and_continue_goes_on(store, data):
    run_id = start(store, data, epochs=500, batch_size=8)
    worker = threading.Thread(target=trainer.train, args=(store, run_id))
    worker.start()
    tiny.wait_for(lambda: store.metrics(run_id, kind="epoch"), what="the first epoch")
    store.request_stop(run_id, actor=SOLO)
    worker.join(timeout=30)
    run = store.run(run_id)
    assert run.status == "stopped" and 1 <= run.epochs_done < 500
    assert store.artifact(run_id, "last") and store.artifact(run_id, "best")
    assert run.results["test_accuracy"] is not None
    epochs_before = [m.epoch for m in store.metrics(run_id, kind="epoch")]
    assert epochs_before == list(range(1, run.epochs_done + 1))

    store.extend(run_id, 2, actor=SOLO)
    store.claim(100, os.getpid(), run_id)
    assert trainer.train(store, run_id) == "completed"
    after = store.run(run_id)
    assert after.epochs_done == run.epochs_done + 2
    assert [m.epoch for m in store.metrics(run_id, kind="epoch")] == list(range(1, after.epochs_done + 1))
    assert after.train_seconds > run.train_seconds


@pytest.mark.slow
def test_a_huge_learning_rate_ends_as_diverged_with_a_suggestion(store, data):
    run_id = start(store, data, arch=tiny.exploding_model(), optimizer="sgd", learning_rate=10,
                   epochs=3, batch_size=32)
    assert trainer.train(store, run_id) == "diverged"
    run = store.run(run_id)
    assert run.error["code"] == "diverged" and run.error["args"]["suggested"] == "1"
    assert "1" in run.error_text("en")
    assert store.metrics(run_id, kind="epoch") == [] and store.artifact(run_id, "last") is None
    last = store.metrics(run_id)[-1].loss
    assert last is None or not np.isfinite(last)  # SQLite keeps NaN as NULL


def test_a_model_for_other_images_fails_with_a_clear_message(store, data):
    run_id = start(store, data, arch=templates.get("mnist-cnn").architecture)
    assert trainer.train(store, run_id) == "failed"
    run = store.run(run_id)
    assert run.error["code"] == "input_mismatch" and "28×28×1" in run.error_text("en")


TWO_REPLICAS = """
import sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from builder import trainer
from builder.store import Store
trainer.replica_devices = lambda: ["/cpu:0", "/cpu:1"]  # two logical CPUs stand in for two GPUs
print(trainer.train(Store.open(sys.argv[1]), int(sys.argv[2])))
"""


@pytest.mark.slow
def test_several_gpus_train_one_model_with_the_batch_size_scaled(tmp_path, data):
    store = Store.open(tmp_path / "runs.sqlite")
    run_id = start(store, data, epochs=2, batch_size=32)
    out = subprocess.run([sys.executable, "-c", TWO_REPLICAS, str(store.path), str(run_id)],
                         capture_output=True, text=True, timeout=120, cwd=executor.ROOT)
    run = store.run(run_id)
    assert out.stdout.strip().endswith("completed"), (out.stderr[-2000:], run.error)
    assert run.results["replicas"] == 2 and run.results["global_batch_size"] == 64
    assert run.progress["replicas"] == 2 and run.progress["global_batch_size"] == 64
    batches = -(-270 // 64)
    assert [m.batch for m in store.metrics(run_id, kind="batch")] == list(range(1, batches + 1)) * 2
    assert run.results["test_accuracy"] is not None and store.artifact(run_id, "best")
