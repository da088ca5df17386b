"""Training one run, inside a trainer process (Keras is imported here, lazily).

``train(store, run_id, listener=None) -> str`` trains a run that the store already marks
``running`` and returns its final status. Never call it in the Streamlit server: the
executor starts it in a spawned process, the CLI calls it in its own process.
``run_job(sink, listener=None) -> str`` is the same through a :class:`~builder.sink.RunSink`
(a Ray worker trains through a sink that forwards everything to the store).

What a run does, in order:

1. loads its dataset (download progress goes to ``Run.progress``), keeps a stratified
   sample of ``settings.limit`` training images, scales pixels to 0–1;
2. builds and compiles the model: the chosen optimizer (SGD with momentum 0.9), categorical
   cross-entropy on one-hot labels and accuracy, exactly as the seed tutorial; a continued
   run instead reloads its ``last`` checkpoint (optimizer state included), else ``best``.
   With several GPUs visible it does so under ``tf.distribute.MirroredStrategy`` and
   multiplies the batch size by the number of replicas (each GPU gets the set batch size);
3. ``model.fit`` with ``validation_split``; a callback buffers every batch's running loss
   and accuracy and each epoch's metrics, and a background *pulse* thread writes them to
   the store every ``TICK`` seconds together with a heartbeat and the progress, and reads
   the stop flag (so Stop takes effect within about a second, at the next batch);
4. keeps the epoch with the best validation accuracy as the ``best`` ``.keras`` checkpoint;
   a non-finite loss stops the run as ``diverged`` with a smaller learning rate suggested;
5. saves the ``last`` state (so Continue works), evaluates the best model on the test set
   and stores the results (``Run.results``)::

       test_loss, test_accuracy, best_epoch, best_score, confusion (rows: true class),
       per_class_accuracy, class_names, mistakes (top misclassified: index, label,
       predicted, confidence), train_images, val_images, seconds, epochs, node (the
       machine that trained), replicas, global_batch_size (batch size × replicas)

   plus the ``predictions`` file (``Store.predictions``) with every test prediction.

A stopped or diverged epoch that did not finish records its batches but no epoch row.
``Run.progress`` carries ``node``, ``replicas`` and ``global_batch_size`` from the start.
"""
from __future__ import annotations

import contextlib
import math
import socket
import sqlite3
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from builder import datasets
from builder.errors import LabError
from builder.sink import RunSink, StoreSink
from builder.store import Metric, Store, best_epoch, score

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

TICK = 0.25          # seconds between store writes while training
MISTAKES = 200       # misclassified test images kept (most confident first)
SHOWN_MISTAKES = 30  # of which listed in the results JSON

Listener = Callable[[dict[str, Any], list[tuple]], None]  # (progress, new metric rows)


def train(store: Store, run_id: int, listener: Listener | None = None) -> str:
    """Train the running run ``run_id`` of ``store`` to its end."""
    return run_job(StoreSink(store, run_id), listener)


def run_job(sink: RunSink, listener: Listener | None = None) -> str:
    """Train the sink's run to its end; failures become the run's error."""
    pulse = Pulse(sink, listener)
    pulse.start()
    status, results, error = "failed", None, None
    try:
        status, results, error = _train(sink, pulse)
    except LabError as exc:
        error = exc
    except Exception as exc:  # a bug or a Keras failure: recorded, never a traceback in the UI
        error = LabError("train_crashed", detail=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        pulse.close()
    sink.finish(status, results, error)
    return status


class Pulse(threading.Thread):
    """Writes buffered metric rows, heartbeat and progress every TICK; watches for Stop."""

    def __init__(self, sink: RunSink, listener: Listener | None) -> None:
        super().__init__(daemon=True, name=f"pulse-{sink.run.id}")
        self.sink, self.listener = sink, listener
        self.rows: deque[tuple] = deque()  # appended by the training thread
        self.progress: dict[str, Any] = {"phase": "loading", "node": socket.gethostname()}
        self.stop = threading.Event()
        self._closing = threading.Event()

    def run(self) -> None:
        while not self._closing.wait(TICK):
            self.flush()

    def flush(self) -> None:
        rows = [self.rows.popleft() for _ in range(len(self.rows))]
        progress = dict(self.progress)
        try:
            if self.sink.beat(progress, rows):
                self.stop.set()
        except sqlite3.Error:  # e.g. locked beyond the timeout: keep the rows for next tick
            self.rows.extendleft(reversed(rows))
            return
        if self.listener:
            self.listener(progress, rows)

    def close(self) -> None:
        self._closing.set()
        self.join()
        self.progress["phase"] = "done"
        self.flush()


def _train(sink: RunSink, pulse: Pulse) -> tuple[str, dict | None, LabError | None]:
    run = sink.run
    settings, arch = run.settings, run.architecture

    def downloading(done: int, total: int | None) -> None:
        pulse.progress.update(phase="downloading", done=done, total=total)

    data = datasets.load(run.dataset, progress=downloading)
    if tuple(arch.input_shape) != data.input_shape:
        raise LabError("input_mismatch", model=_shape(arch.input_shape), data=_shape(data.input_shape),
                       dataset=data.name)
    pulse.progress.update(phase="preparing")
    import keras
    keras.backend.clear_session()  # a trainer process may train several runs in turn
    keras.utils.set_random_seed(settings.seed)
    keep = datasets.stratified_sample(data.y_train, settings.limit, settings.seed)
    x, y = datasets.to_float(data.x_train[keep]), _one_hot(data.y_train[keep], data.classes)
    strategy = _strategy(replica_devices())
    replicas = strategy.num_replicas_in_sync if strategy else 1
    batch_size = settings.batch_size * replicas
    pulse.progress.update(replicas=replicas, global_batch_size=batch_size)
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = _model(sink, data.classes)
    folder = sink.folder
    folder.mkdir(parents=True, exist_ok=True)
    recorder = _recorder_class()(sink, pulse, len(x))
    from builder import inside
    model.fit(x, y, batch_size=batch_size, epochs=settings.epochs,
              initial_epoch=run.epochs_done, validation_split=settings.validation_split,
              callbacks=[recorder, inside.recorder(sink, data)], verbose=0)
    status = ("diverged" if recorder.diverged else
              "stopped" if pulse.stop.is_set() else "completed")
    error = _divergence(recorder.diverged, settings.learning_rate) if recorder.diverged else None
    if status != "diverged":
        model.save(folder / "last.keras")
        sink.add_artifact("last", folder / "last.keras")
    best_path = sink.checkpoint("best")
    if best_path is None:
        return status, None, error
    pulse.progress.update(phase="evaluating")
    results = evaluate(keras.models.load_model(best_path, safe_mode=True), data, settings.batch_size,
                       sink)
    results.update(best_epoch=recorder.best_epoch, best_score=_finite(recorder.best),
                   train_images=len(x) - recorder.val_images, val_images=recorder.val_images,
                   seconds=round(recorder.elapsed(), 3), epochs=recorder.epochs_done,
                   node=pulse.progress["node"], replicas=replicas, global_batch_size=batch_size)
    return status, results, error


def replica_devices() -> list[str]:
    """The GPUs this process may use (``/device:GPU:0`` …); none on a CPU-only machine."""
    import tensorflow as tf
    return [d.name for d in tf.config.list_logical_devices("GPU")]


def _strategy(devices: list[str]) -> "tf.distribute.Strategy | None":
    """MirroredStrategy over ``devices`` when there are several, else None (one device)."""
    if len(devices) < 2:
        return None
    import tensorflow as tf
    return tf.distribute.MirroredStrategy(devices)


def _model(sink: RunSink, classes: int) -> "keras.Model":
    """A fresh compiled model, or the saved one when the run continues."""
    import keras
    run = sink.run
    if run.epochs_done:
        path = sink.checkpoint("last") or sink.checkpoint("best")
        if path is None:
            raise LabError("cannot_continue", id=run.id, status=run.status)
        return keras.models.load_model(path, safe_mode=True)
    from builder.keras_build import build_model
    model = build_model(run.architecture)
    if model.output_shape[-1] != classes or len(model.output_shape) != 2:
        raise LabError("output_mismatch", got=_shape(model.output_shape[1:]), classes=classes)
    model.compile(optimizer=optimizer(run.settings.optimizer, run.settings.learning_rate),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def optimizer(name: str, learning_rate: float) -> "keras.optimizers.Optimizer":
    """adam | sgd (momentum 0.9) | rmsprop with the given learning rate."""
    import keras
    learning_rate = float(learning_rate)  # Keras refuses an int
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=0.9)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    return keras.optimizers.Adam(learning_rate)


def _recorder_class() -> type:
    """The Keras callback class (defined here so Keras is imported only when training)."""
    import keras

    class Recorder(keras.callbacks.Callback):
        """Buffers metrics (the pulse writes them), keeps the best epoch, obeys Stop."""

        def __init__(self, sink: RunSink, pulse: Pulse, images: int) -> None:
            super().__init__()
            run = sink.run
            self.sink, self.run_id, self.pulse = sink, run.id, pulse
            self.seconds_before = run.train_seconds
            self.epochs_done = run.epochs_done
            earlier = sink.earlier_epochs()
            self.best_epoch = best_epoch(earlier)
            self.best = max((score(m) for m in earlier), default=float("-inf"))
            self.best_path = sink.folder / "best.keras"
            self.val_images = images - math.ceil(images * (1 - run.settings.validation_split))
            self.diverged: tuple[int, int] | None = None
            self.partial = False
            self.epoch = 0
            self.started = time.monotonic()

        def elapsed(self) -> float:
            return self.seconds_before + time.monotonic() - self.started

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.epoch = epoch + 1
            self.pulse.progress.update(phase="training", epoch=self.epoch,
                                       epochs=self.params["epochs"], batch=0,
                                       batches=self.params["steps"])

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            loss, accuracy = logs.get("loss"), logs.get("accuracy")
            self.pulse.rows.append((self.epoch, batch + 1, "batch", loss, accuracy, None, None,
                                    self.elapsed()))
            self.pulse.progress["batch"] = batch + 1
            if loss is None or not math.isfinite(loss):
                self.diverged = (self.epoch, batch + 1)
            if self.diverged or self.pulse.stop.is_set():
                self.model.stop_training = True
                self.partial = batch + 1 < self.params["steps"]

        def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
            if self.partial:
                self.model.stop_evaluating = True

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if self.partial or self.diverged:
                return
            logs = logs or {}
            row = (self.epoch, None, "epoch", logs.get("loss"), logs.get("accuracy"),
                   logs.get("val_loss"), logs.get("val_accuracy"), self.elapsed())
            value = score(Metric(0, self.run_id, *row))
            if value > self.best:
                self.best, self.best_epoch = value, self.epoch
                self.model.save(self.best_path)
                self.sink.add_artifact("best", self.best_path)
            self.pulse.rows.append(row)
            self.epochs_done = self.epoch
            self.sink.record_epochs(self.epoch, self.elapsed())

    return Recorder


def evaluate(model: "keras.Model", data: datasets.Dataset, batch_size: int,
             sink: RunSink) -> dict[str, Any]:
    """Test loss/accuracy, confusion matrix, per-class accuracy and the mistakes; writes
    the ``predictions`` file (label, predicted, confidence for every test image)."""
    probs = model.predict(datasets.to_float(data.x_test), batch_size=max(batch_size, 256),
                          verbose=0)
    label, predicted = data.y_test, probs.argmax(axis=1)
    confidence = probs.max(axis=1)
    truth = np.clip(probs[np.arange(len(label)), label], 1e-7, 1 - 1e-7)
    classes = data.classes
    confusion = np.bincount(label * classes + predicted, minlength=classes ** 2)
    confusion = confusion.reshape(classes, classes)
    per_class = [_finite(confusion[c, c] / confusion[c].sum()) if confusion[c].sum() else None
                 for c in range(classes)]
    wrong = np.flatnonzero(predicted != label)
    mistakes = wrong[np.argsort(-confidence[wrong], kind="stable")][:MISTAKES]
    path = sink.folder / "predictions.npz"
    np.savez_compressed(path, label=label.astype("int16"), predicted=predicted.astype("int16"),
                        confidence=confidence.astype("float16"), indices=mistakes,
                        images=data.x_test[mistakes])
    sink.add_artifact("predictions", path)
    return {"test_loss": _finite(float(-np.log(truth).mean())),
            "test_accuracy": float((predicted == label).mean()),
            "confusion": confusion.tolist(), "per_class_accuracy": per_class,
            "class_names": list(data.class_names),
            "mistakes": [{"index": int(i), "label": int(label[i]), "predicted": int(predicted[i]),
                          "confidence": round(float(confidence[i]), 4)}
                         for i in mistakes[:SHOWN_MISTAKES]]}


def _divergence(where: tuple[int, int], learning_rate: float) -> LabError:
    return LabError("diverged", epoch=where[0], batch=where[1], rate=f"{learning_rate:g}",
                    suggested=f"{learning_rate / 10:g}")


def _one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    return np.eye(classes, dtype="float32")[labels]


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _shape(shape: Any) -> str:
    return "×".join(map(str, shape))
