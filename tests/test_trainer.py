"""The trainer end to end on tiny synthetic data, in this process (TensorFlow loads once)."""
from __future__ import annotations

import errno
import functools
import math
import os
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest

from builder import checkpoints, templates, trainer
from builder.execution import executor
from builder.access import SOLO
from builder.errors import LabError
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


def weights(store: Store, run_id: int) -> list[np.ndarray]:
    import keras
    return keras.models.load_model(store.artifact(run_id, "last"), safe_mode=True).get_weights()


@pytest.mark.slow
def test_the_first_batch_comes_before_the_traced_fit_and_learns_what_fit_learns(store, data,
                                                                                monkeypatch):
    """Start's first point needs no traced graph; the run ends as a plain fit's would."""
    asked: list[tuple[int, int]] = []
    train = trainer.Feed.train
    monkeypatch.setattr(trainer.Feed, "train", lambda feed, epoch, skip=0, batches=None: (
        asked.append((epoch, skip)), train(feed, epoch, skip, batches))[1])
    eager = start(store, data, epochs=2, batch_size=32, learning_rate=0.01)
    assert trainer.train(store, eager) == "completed"
    assert asked == [(0, 0), (0, 1), (1, 0)]  # batch 1 alone, then fit from batch 2 on
    monkeypatch.setattr(trainer, "_fit", functools.partial(trainer._fit, eager_first=False))
    traced = start(store, data, epochs=2, batch_size=32, learning_rate=0.01)
    assert trainer.train(store, traced) == "completed"
    rows = [store.metrics(run_id, kind="batch") for run_id in (eager, traced)]
    assert [m.batch for m in rows[0]] == [m.batch for m in rows[1]]
    assert np.allclose([m.loss for m in rows[0]], [m.loss for m in rows[1]], rtol=1e-4)
    for ours, plain in zip(weights(store, eager), weights(store, traced)):
        assert np.allclose(ours, plain, atol=1e-5)


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
    tiny.wait_for(lambda: store.metrics(run_id, kind="epoch"), 300, "the first epoch")
    store.request_stop(run_id, actor=SOLO)
    worker.join(timeout=30)
    run = store.run(run_id)
    assert run.status == "stopped" and 1 <= run.epochs_done < 500
    assert store.artifact(run_id, "last") and store.artifact(run_id, "best")
    assert run.results["test_accuracy"] is not None
    epochs_before = [m.epoch for m in store.metrics(run_id, kind="epoch")]
    assert epochs_before == list(range(1, run.epochs_done + 1))

    again = threading.Thread(target=lambda: (store.claim(100, os.getpid(), run_id),
                                             trainer.train(store, run_id)))
    tiny.continue_then_stop(store, run_id, 2, again.start,
                            lambda: store.request_stop(run_id, actor=SOLO))
    again.join(timeout=30)
    after = store.run(run_id)
    assert after.settings.epochs == 500 and after.epochs_done >= run.epochs_done + 2
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
import os
import sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from builder import trainer
from builder.store import Store
trainer.replica_devices = lambda: ["/cpu:0", "/cpu:1"]  # two logical CPUs stand in for two GPUs
store = Store.open(sys.argv[1])
store.claim(100, os.getpid(), int(sys.argv[2]))  # leased once TensorFlow is up, as the pool does
print(trainer.train(store, int(sys.argv[2])))
"""


@pytest.mark.slow
def test_several_gpus_train_one_model_with_the_batch_size_scaled(tmp_path, data):
    store = Store.open(tmp_path / "runs.sqlite")
    run_id = store.create_run(tiny.model(), str(data), TrainSettings(epochs=2, batch_size=32))
    out = subprocess.run([sys.executable, "-c", TWO_REPLICAS, str(store.path), str(run_id)],
                         capture_output=True, text=True, timeout=300, cwd=executor.ROOT)
    run = store.run(run_id)
    assert out.stdout.strip().endswith("completed"), (out.stderr[-2000:], run.error)
    assert run.results["replicas"] == 2 and run.results["global_batch_size"] == 64
    assert run.progress["replicas"] == 2 and run.progress["global_batch_size"] == 64
    batches = -(-270 // 64)
    assert [m.batch for m in store.metrics(run_id, kind="batch")] == list(range(1, batches + 1)) * 2
    assert run.results["test_accuracy"] is not None and store.artifact(run_id, "best")


# ---------------------------------------------------------------- divergence (pure)

def feed(watch: trainer.Watch, losses: list[float]) -> list[bool]:
    """Per-batch losses in; Keras-style running means go to the watch; exploding flags out."""
    flags, total = [], 0.0
    for count, loss in enumerate(losses, 1):
        total += loss
        assert watch.batch(total / count, count) is None
        flags.append(watch.exploding)
    return flags


def test_a_loss_far_above_its_start_is_exploding_live_and_exploded_at_epoch_end():
    watch = trainer.Watch(10)
    watch.epoch_begin(None, 0)
    flags = feed(watch, [2.3, 2.2, 2.0, 50.0, 400.0])
    assert flags == [False, False, False, True, True]
    assert watch.epoch_end((2.3 + 2.2 + 2.0 + 50 + 400) / 5, 0.3) == "exploded"


def test_accuracy_at_chance_while_the_loss_grows_is_diverged():
    watch = trainer.Watch(10)
    watch.epoch_begin(None, 0)
    feed(watch, [2.3, 2.5, 3.0, 4.0])
    assert watch.epoch_end(2.95, 0.11) == "chance"
    assert watch.epoch_end(2.95, 0.40) is None   # learning something
    assert watch.epoch_end(1.20, 0.11) is None   # loss below its start


def test_a_learning_run_and_a_trained_model_never_count_as_diverged():
    watch = trainer.Watch(10)
    watch.epoch_begin(None, 0)
    assert not any(feed(watch, [2.3, 1.5, 0.9, 0.6, 0.5]))
    assert watch.epoch_end(1.16, 0.7) is None
    resumed = trainer.Watch(10)  # a continued run starts low: the start is at least ln(10)
    resumed.epoch_begin(None, 0)
    assert not any(feed(resumed, [0.05, 0.04, 0.9, 0.06]))
    assert resumed.start == pytest.approx(math.log(10))


def test_nan_is_diverged_at_once_and_the_error_names_the_learning_rate():
    watch = trainer.Watch(3)
    watch.epoch_begin(None, 0)
    assert watch.batch(float("nan"), 1) == "nan"
    error = trainer.Diverged("nan", (2, 7), 0.5)
    assert {k: error.args_[k] for k in ("reason", "rate", "suggested")} == {
        "reason": "nan", "rate": "0.5", "suggested": "0.05"}
    assert "epoch 2, batch 7" in error.text("en") and "learning rate 0.5" in error.text("en")
    assert "0.05" in error.text("ko") and "학습률" in error.text("ko")
    assert isinstance(error, LabError) and error.code == "diverged"


# ---------------------------------------------------------------- Stop mid-epoch, Continue

def stop_after(monkeypatch, epoch: int, batch: int) -> None:
    """Trainers of this test stop as if Stop were pressed right after (epoch, batch)."""
    base = trainer._recorder_class()

    class StopAt(base):
        def on_train_batch_end(self, b, logs=None):
            super().on_train_batch_end(b, logs)
            if (self.epoch, self.done) >= (epoch, batch):
                self.pulse.stop.set()

    monkeypatch.setattr(trainer, "_recorder_class", lambda: StopAt)


def per_batch(rows) -> list[float]:
    """Each batch's own loss from the running means of consecutive rows of one epoch."""
    return [(b.loss * b.batch - a.loss * a.batch) / (b.batch - a.batch) for a, b in zip(rows, rows[1:])]


@pytest.mark.slow
def test_a_mid_epoch_stop_keeps_the_batch_and_continue_resumes_it(store, data, monkeypatch):
    run_id = start(store, data, epochs=3, batch_size=8, learning_rate=0.01)
    stop_after(monkeypatch, 2, 12)
    assert trainer.train(store, run_id) == "stopped"
    monkeypatch.undo()
    run = store.run(run_id)
    batches = -(-270 // 8)
    before = [m for m in store.metrics(run_id, kind="batch") if m.epoch == 2]
    stopped_at = before[-1].batch  # the next batch (or execution of batches) after 12
    assert 12 < stopped_at < 12 + trainer.MAX_STEPS and stopped_at < batches
    assert run.epochs_done == 1
    assert run.results["stopped_at"] == {"epoch": 2, "batch": stopped_at, "batches": batches}
    assert run.results["test_accuracy"] is not None
    assert checkpoints.saved_point(store.artifact(run_id, "last"), 1)["batch"] == stopped_at

    store.extend(run_id, actor=SOLO)  # the rest of the plan: still 3 epochs, not "Epoch 1/1"
    assert store.run(run_id).settings.epochs == 3
    store.claim(100, os.getpid(), run_id)
    seen: list[dict] = []
    assert trainer.train(store, run_id, listener=lambda p, rows: seen.append(p)) == "completed"
    after = store.run(run_id)
    assert after.epochs_done == 3 and {p.get("epochs") for p in seen} >= {3}
    assert [m.epoch for m in store.metrics(run_id, kind="epoch")] == [1, 2, 3]
    epoch2 = [m for m in store.metrics(run_id, kind="batch") if m.epoch == 2]
    numbers = [m.batch for m in epoch2]
    assert epoch2[:len(before)] == before and numbers == sorted(set(numbers))  # no restart
    assert numbers[-1] == batches and numbers[len(before)] > stopped_at
    stopped = per_batch(before)[-3:]
    resumed = per_batch(epoch2[len(before) - 1:len(before) + 3])
    fresh = math.log(3)  # the loss of an untrained 3-class model
    assert abs(np.mean(resumed) - np.mean(stopped)) < 0.5 * abs(fresh - np.mean(stopped))
    assert after.results["stopped_at"] is None


@pytest.mark.slow
def test_a_stop_inside_an_epoch_ends_at_its_batch_says_so_at_once_and_skips_validation(
        store, data, monkeypatch):
    run_id = start(store, data, epochs=3, batch_size=8, learning_rate=0.01)
    validated: list[int] = []
    arrived: list[int] = []  # the batch reached when the Stop arrived

    class StopAt(trainer._recorder_class()):
        def on_train_batch_end(self, b, logs=None):
            done = self.skip + min(b + 1, self.params["steps"])
            if self.epoch == 2 and done >= 5 and not arrived:
                arrived.append(done)
                self.pulse.stop.set()
            super().on_train_batch_end(b, logs)

        def on_test_begin(self, logs=None):
            validated.append(self.epoch)

    monkeypatch.setattr(trainer, "_recorder_class", lambda: StopAt)
    seen: list[dict] = []
    assert trainer.train(store, run_id, listener=lambda p, rows: seen.append(dict(p))) == "stopped"
    run = store.run(run_id)
    assert run.results["stopped_at"]["batch"] == arrived[0]  # not a batch later
    assert [m.batch for m in store.metrics(run_id, kind="batch") if m.epoch == 2][-1] == arrived[0]
    assert validated == [1]  # epoch 1's validation; none for the broken epoch 2
    saving = [p for p in seen if p["phase"] == "saving"]
    assert saving and saving[0]["batch"] == arrived[0] and saving[0]["epoch"] == 2
    assert seen[-1]["phase"] == "done"


@pytest.mark.slow
def test_a_stop_inside_the_first_epoch_keeps_the_model_as_stopped_and_no_best_epoch(
        store, data, monkeypatch):
    """No epoch ended: no best epoch and no best file; the test scores the model as it was
    at the stopped batch, which is the ``last`` file every view then asks."""
    from builder import inference
    run_id = start(store, data, epochs=2, batch_size=8, learning_rate=0.01)
    stop_after(monkeypatch, 1, 5)
    assert trainer.train(store, run_id) == "stopped"
    run = store.run(run_id)
    assert run.epochs_done == 0 and store.artifact(run_id, "best") is None
    assert run.results["best_epoch"] is None and run.results["stopped_at"]["epoch"] == 1
    assert checkpoints.stopped_early(run.results) == run.results["stopped_at"]
    tested = checkpoints.tested(run.results, lambda kind: store.artifact(run_id, kind))
    assert tested == store.artifact(run_id, "last") is not None
    image = np.zeros(run.architecture.input_shape[:2], dtype=np.uint8)
    assert len(inference.predict_here(store, run_id, image).probabilities) == 3


# ---------------------------------------------------------------- damaged files, full disk

@pytest.mark.slow
def test_a_damaged_last_checkpoint_falls_back_to_best_with_a_note(store, data):
    run_id = start(store, data, epochs=1, batch_size=32)
    assert trainer.train(store, run_id) == "completed"
    last = store.artifact(run_id, "last")
    last.write_bytes(last.read_bytes()[:1000])  # truncated
    store.extend(run_id, 1, actor=SOLO)
    store.claim(100, os.getpid(), run_id)
    assert trainer.train(store, run_id) == "completed", store.run(run_id).error_text()
    run = store.run(run_id)
    assert run.epochs_done == 2 and run.results["notes"] == ["last_damaged"]
    assert run.progress["notes"] == ["last_damaged"]


@pytest.mark.slow
def test_continue_with_every_checkpoint_damaged_is_refused_and_the_run_stays_completed(store, data):
    run_id = start(store, data, epochs=1, batch_size=32)
    assert trainer.train(store, run_id) == "completed"
    for kind in ("last", "best"):
        store.artifact(run_id, kind).write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(LabError) as refused:
        store.extend(run_id, 1, actor=SOLO)
    assert refused.value.code == "cannot_continue"
    run = store.run(run_id)
    assert run.status == "completed" and run.results["test_accuracy"] is not None


@pytest.mark.slow
def test_a_full_disk_ends_the_run_interrupted_and_keeps_what_was_saved(store, data, monkeypatch):
    import keras
    run_id = start(store, data, epochs=3, batch_size=32)
    real_save, saves = keras.Model.save, []

    def save(model, path, *args, **kwargs):
        saves.append(path)
        if len(saves) == 1:  # epoch 1's best (its last is a copy of it)
            return real_save(model, path, *args, **kwargs)
        with open(path, "wb") as half:
            half.write(b"PK")  # part of a file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keras.Model, "save", save)
    assert trainer.train(store, run_id) == "interrupted"
    monkeypatch.undo()
    run = store.run(run_id)
    assert run.error["code"] == "disk_full" and "disk is full" in run.error_text("en")
    assert run.epochs_done == 1
    assert [m.epoch for m in store.metrics(run_id, kind="epoch")] == [1, 2]
    for kind in ("best", "last"):
        assert keras.models.load_model(store.artifact(run_id, kind), safe_mode=True)
    assert checkpoints.saved_point(store.artifact(run_id, "last"), 1)["batch"] == 0
