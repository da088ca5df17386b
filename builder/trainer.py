"""Training one run, inside a trainer process (Keras is imported here, lazily).

``train(store, run_id, listener=None) -> str`` trains a run that the store already marks
``running`` and returns its final status. Never call it in the Streamlit server: the
executor starts it in a spawned process, the CLI calls it in its own process.
``run_job(sink, listener=None) -> str`` is the same through a :class:`~builder.execution.sink.RunSink`
(a Ray worker trains through a sink that forwards everything to the store).

What a run does, in order:

1. loads its dataset (download progress goes to ``Run.progress``), keeps a stratified
   sample of ``settings.limit`` training images and holds out the last
   ``validation_split`` share of them, as Keras's ``validation_split`` does;
2. builds and compiles the model: the chosen optimizer (SGD with momentum 0.9), categorical
   cross-entropy on one-hot labels and accuracy, exactly as the seed tutorial; a continued
   run instead reloads its ``last`` checkpoint (optimizer state included), else ``best``
   (a damaged ``last`` falls back to ``best``, noted as ``notes: ["last_damaged"]`` in
   progress and results). With several GPUs visible it does so under
   ``tf.distribute.MirroredStrategy`` and multiplies the batch size by the number of
   replicas. On GPUs with compute capability ≥ 7 it trains in mixed float16
   (``$LAYERLAB_MIXED_PRECISION`` = auto | on | off);
3. feeds the uint8 images through ``tf.data`` (cast and scaled to 0–1 in the graph,
   prefetched; :class:`Feed`) and calls ``model.fit`` once per epoch with a few batches
   per Keras execution (:func:`steps_per_execution`); a callback buffers the running loss
   and accuracy and each epoch's metrics, and a background *pulse* thread writes them to
   the store every ``TICK`` seconds together with a heartbeat and the progress, and reads
   the stop flag; a second thread watches the run's stop file (``Store.stop_file``) every
   ``STOP_WATCH`` seconds, so a Stop lands at the next batch end even while a store write
   waits. A Stop (or a divergence) inside an epoch leaves ``fit`` at that batch
   (:class:`Halted`: no validation pass) and the progress says ``phase: "saving"`` at
   once, before the checkpoint is written. The progress carries ``batch_seconds`` and
   ``epoch_seconds``, this session's measured pace (:class:`Pace`, for the ETA), and
   ``niceness``, the trainer's CPU priority;
4. keeps the epoch with the best validation accuracy as the ``best`` ``.keras`` checkpoint
   and saves ``last`` at every epoch end; watches for divergence (:class:`Watch`: a
   non-finite loss, a loss far above its start, accuracy at chance while the loss grows),
   which ends the run ``diverged`` (:class:`Diverged`: ``reason``, ``rate``, ``suggested``);
5. on Stop saves ``last`` at the batch reached (with the point, :mod:`builder.checkpoints`)
   so Continue resumes that very epoch at the next batch; evaluates the best model (a run
   stopped before any epoch ended: the model as stopped) on the test set and stores the
   results (``Run.results``)::

       test_loss, test_accuracy, best_epoch, best_score, confusion (rows: true class),
       per_class_accuracy, class_names, mistakes (top misclassified: index, label,
       predicted, confidence), train_images, val_images, seconds, epochs, node (the
       machine that trained), replicas, global_batch_size (batch size × replicas),
       device, notes, stopped_at ({epoch, batch, batches} of a mid-epoch Stop, else None)

   plus the ``predictions`` file (``Store.predictions``) with every test prediction.

A stopped or diverged epoch that did not finish records its batches but no epoch row; a
stopped epoch's row comes when Continue finishes it. A full disk (a checkpoint or a store
write) ends the run ``interrupted`` with the error ``disk_full`` (or
``disk_full_no_checkpoint`` when no checkpoint could be saved: the message says so);
files are replaced only once their new version is completely written. ``Run.progress`` carries ``node``,
``device``, ``mixed_precision``, ``replicas``, ``global_batch_size`` from the start and
``exploding`` (True while the loss is far above its start) while training, and
``startup_seconds`` (Start → first point; the forecast learns from it) once it trains.
"""
from __future__ import annotations

import contextlib
import errno
import math
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from builder import checkpoints, datasets, readiness
from builder.execution import exits
from builder.errors import LabError
from builder.layers import shape_text
from builder.execution.sink import RunSink, StoreSink
from builder.store import LeaseLost, Metric, Store, best_epoch, score

if TYPE_CHECKING:
    import keras
    import tensorflow as tf

TICK = 0.25          # seconds between store writes while training
STOP_WATCH = 0.05    # seconds between looks at the run's stop file
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


class Halted(Exception):
    """Raised by the recorder at the batch where a Stop or a divergence ends training, so
    ``fit`` ends right there: no further batch, no validation pass of a broken epoch."""


class Pulse(threading.Thread):
    """Writes buffered metric rows, heartbeat and progress every TICK; watches for Stop."""

    def __init__(self, sink: RunSink, listener: Listener | None) -> None:
        super().__init__(daemon=True, name=f"pulse-{sink.run.id}")
        self.sink, self.listener = sink, listener
        self.rows: deque[tuple] = deque()  # appended by the training thread
        self.progress: dict[str, Any] = {"phase": "loading", "node": socket.gethostname(),
                                         "oom_kills": exits.oom_kills()}  # see builder.execution.exits
        self.stop = threading.Event()
        self.lost = False  # True once the store refused a beat: every later write fails too
        self.full = False  # the store's disk is full: the trainer ends the run
        self._closing = threading.Event()
        self._soon = threading.Event()
        self._writing = threading.Lock()
        self.progress["niceness"] = os.nice(0)  # below the server's (builder.execution.lifeline)

    def start(self) -> None:
        """Write every TICK; and, where the sink has a stop file, watch it much more often
        than that in a thread of its own, so a Stop never waits for a store write."""
        super().start()
        flag = getattr(self.sink, "stop_file", None)
        if flag is not None:
            threading.Thread(target=self._watch_stop, args=(flag,), daemon=True,
                             name=f"stop-{self.sink.run.id}").start()

    def _watch_stop(self, flag: Path) -> None:
        while not self.stop.is_set() and not self._closing.is_set():
            if flag.exists():
                self.stop.set()
                return
            self._closing.wait(STOP_WATCH)

    def run(self) -> None:
        while not self._closing.is_set():
            self._soon.wait(TICK)
            self._soon.clear()
            if not self._closing.is_set():
                self.flush()

    def flush_soon(self) -> None:
        """Write now rather than at the next tick (the first point: Start is waiting)."""
        self._soon.set()

    def flush(self) -> None:
        """Write the rows so far and the progress (from the tick thread, or the training
        thread at an epoch's end: one at a time)."""
        with self._writing:
            self._flush()

    def _flush(self) -> None:
        rows = [self.rows.popleft() for _ in range(len(self.rows))]
        progress = dict(self.progress)
        try:
            if self.sink.beat(progress, rows):
                self.stop.set()
        except LeaseLost:  # the run is no longer ours (paused too long): stop, write nothing
            self.lost = True
            self.stop.set()
            return
        except (sqlite3.Error, LabError) as exc:  # e.g. locked or full: keep the rows for next tick
            self.full = self.full or disk_full(exc)
            self.rows.extendleft(reversed(rows))
            return
        if self.listener:
            self.listener(progress, rows)

    def close(self) -> None:
        self._closing.set()
        self._soon.set()
        self.join()
        self.progress["phase"] = "done"
        self.flush()


def _train(sink: RunSink, pulse: Pulse) -> tuple[str, dict | None, LabError | None]:
    run = sink.run
    settings, arch = run.settings, run.architecture

    def downloading(done: int, total: int | None) -> None:
        pulse.progress.update(phase="downloading", done=done, total=total)

    data = datasets.load(run.dataset, progress=downloading)
    readiness.check(arch, readiness.Target(data.name, data.input_shape))
    pulse.progress.update(phase="preparing")
    import keras
    # fresh layer names and graph state (a trainer may train several runs in turn); the
    # memory is freed between runs by the pool's reset, or by the end of the process
    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(settings.seed)
    devices = replica_devices()
    pulse.progress.update(device=device_name(), mixed_precision=_precision(devices))
    strategy = _strategy(devices)
    replicas = strategy.num_replicas_in_sync if strategy else 1
    keep = datasets.stratified_sample(data.y_train, settings.limit, settings.seed)
    feed = Feed(data.x_train[keep], data.y_train[keep], data.classes,
                settings.batch_size * replicas, settings)
    pulse.progress.update(replicas=replicas, global_batch_size=feed.batch_size)
    with strategy.scope() if strategy else contextlib.nullcontext():
        model, point, notes = _model(sink, data.classes)
    model.steps_per_execution = steps_per_execution(arch, feed, settings)
    if notes:
        pulse.progress["notes"] = notes
    sink.folder.mkdir(parents=True, exist_ok=True)
    recorder = _recorder_class()(sink, pulse, feed, data.classes)
    from builder import inside
    try:
        _fit(model, feed, recorder, point, [inside.recorder(sink, data)],
             eager_first=strategy is None)
        return _outcome(model, data, feed, recorder)
    except (OSError, sqlite3.Error, LabError) as exc:
        if not disk_full(exc):
            raise
        return "interrupted", None, full_disk_error(sink)


def _outcome(model: "keras.Model", data: datasets.Dataset, feed: "Feed",
             recorder: Any) -> tuple[str, dict | None, LabError | None]:
    """The final status, the evaluation of the best model (of the model as stopped when
    no epoch ended) and the error."""
    import keras
    sink, pulse, settings = recorder.sink, recorder.pulse, recorder.sink.run.settings
    if pulse.full:
        return "interrupted", None, full_disk_error(sink)
    status = recorder.status
    error = (Diverged(recorder.reason, recorder.where, settings.learning_rate)
             if status == "diverged" else None)
    best_path = sink.checkpoint("best")
    if best_path is None and status != "stopped":
        return status, None, error
    pulse.progress.update(phase="evaluating")
    best = keras.models.load_model(best_path, safe_mode=True) if best_path else model
    results = evaluate(best, data, settings.batch_size, sink)
    progress = pulse.progress
    results.update(best_epoch=recorder.best_epoch, best_score=_finite(recorder.best),
                   train_images=len(feed.x), val_images=len(feed.x_val),
                   seconds=round(recorder.elapsed(), 3), epochs=recorder.epochs_done,
                   node=progress["node"], replicas=progress["replicas"],
                   global_batch_size=feed.batch_size, device=progress["device"],
                   notes=progress.get("notes", []), stopped_at=recorder.stopped_at)
    return status, results, error


def _fit(model: "keras.Model", feed: "Feed", recorder: Any, point: dict[str, Any],
         watchers: list[Any], eager_first: bool = True) -> None:
    """One ``fit`` per epoch, the first resuming at the saved point (batches it had done);
    saves ``last`` (and its point) at every epoch end and where a Stop ended an epoch.
    ``watchers`` are further callbacks (the inside-the-model recorder). With
    ``eager_first`` the first batch runs before the first ``fit`` (:func:`_eager_batch`)."""
    settings = recorder.sink.run.settings
    for epoch in range(point["epochs"], settings.epochs):
        skip = point["batch"] if epoch == point["epochs"] else 0
        recorder.begin(epoch, skip, point["loss"], point["accuracy"])
        with contextlib.suppress(Halted):
            if eager_first and epoch == point["epochs"] and skip + 1 < feed.batches:
                skip = _eager_batch(model, feed, recorder, epoch, skip)
            model.fit(feed.train(epoch, skip), epochs=epoch + 1, initial_epoch=epoch,
                      validation_data=feed.validation(), callbacks=[recorder, *watchers],
                      shuffle=False, verbose=0)
        if recorder.status != "diverged":
            recorder.save_last()
        recorder.pulse.flush()  # the epoch's row is stored before the epoch counts as done
        recorder.sink.record_epochs(recorder.epochs_done, recorder.elapsed())
        if recorder.status != "completed":
            return


def _eager_batch(model: "keras.Model", feed: "Feed", recorder: Any, epoch: int, skip: int) -> int:
    """Train batch ``skip`` of ``epoch`` eagerly and return the batches now done.

    ``fit`` traces the training step into a graph before its first batch (about 2 s for
    the seed CNN on a CPU, every run, warm trainer or not); one batch without the graph
    puts the chart's first point up first, and ``fit`` goes on from the next batch, as
    after a Stop. Same batch, same update: only the chart's wait changes.
    """
    x, y = next(iter(feed.train(epoch, skip, batches=1)))
    recorder.set_model(model)
    recorder.set_params({"steps": 1})
    recorder.on_epoch_begin(epoch)
    model.run_eagerly = True
    try:
        logs = model.train_on_batch(x, y, return_dict=True)
    finally:
        model.run_eagerly, model.train_function = False, None  # fit makes its graph
    recorder.on_train_batch_end(0, logs)
    recorder.begin(epoch, skip + 1, *recorder.means)
    return skip + 1


class Feed:
    """The training images as uint8 arrays, fed to Keras as ``tf.data`` with the cast to
    float and the scaling to 0–1 inside the graph (no float32 copy of the dataset).

    The split is Keras's ``validation_split``: the last ``ceil``-complement share of the
    (already sampled) images is held out. Epoch ``e`` visits the training images in the
    order ``permutation(seed, e)``, so a run resumed in the middle of an epoch goes on
    with exactly the batches that epoch had left.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, classes: int, batch_size: int,
                 settings: Any) -> None:
        fit = math.ceil(len(x) * (1 - settings.validation_split))
        self.x, self.y, self.x_val, self.y_val = x[:fit], y[:fit], x[fit:], y[fit:]
        self.classes, self.batch_size, self.seed = classes, batch_size, settings.seed
        self._validation: Any = None

    @property
    def batches(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def order(self, epoch: int) -> np.ndarray:
        return np.random.default_rng([self.seed, epoch]).permutation(len(self.x))

    def train(self, epoch: int, skip: int = 0, batches: int | None = None) -> "tf.data.Dataset":
        """Epoch ``epoch`` (0-based) from its batch ``skip`` on (``batches`` of them: all)."""
        end = None if batches is None else (skip + batches) * self.batch_size
        chosen = self.order(epoch)[skip * self.batch_size:end]
        return self.pipeline(self.x[chosen], self.y[chosen])

    def validation(self) -> "tf.data.Dataset | None":
        if self._validation is None and len(self.x_val):
            self._validation = self.pipeline(self.x_val, self.y_val)
        return self._validation

    def pipeline(self, x: np.ndarray, y: np.ndarray) -> "tf.data.Dataset":
        return pipeline(x, y, self.classes, self.batch_size)


def pipeline(x: np.ndarray, y: np.ndarray | None, classes: int,
             batch_size: int) -> "tf.data.Dataset":
    """Batches of uint8 ``x`` as float32 / 255 (with one-hot ``y``), cast in the graph."""
    import tensorflow as tf

    def scale(x: "tf.Tensor", y: "tf.Tensor | None" = None) -> Any:
        pixels = tf.cast(x, tf.float32) / 255.0
        return pixels if y is None else (pixels, tf.one_hot(y, classes))

    parts = x if y is None else (x, y.astype("int32"))
    return (tf.data.Dataset.from_tensor_slices(parts).batch(batch_size)
            .map(scale, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE))


STEP_SECONDS = 0.05  # batches per Keras execution: about this long, so the chart stays live
MAX_STEPS = 16


def steps_per_execution(arch: Any, feed: Feed, settings: Any) -> int:
    """Batches Keras runs per call (fewer Python round trips): about STEP_SECONDS of work by
    the forecast, at most MAX_STEPS and an eighth of an epoch, so the live chart and Stop
    still see several points a second."""
    from builder import forecast
    estimate = forecast.estimate(arch, len(feed.x) + len(feed.x_val), settings,
                                 forecast.cached_calibration())
    per_batch = estimate.seconds_per_epoch / max(feed.batches, 1)
    steps = int(STEP_SECONDS / per_batch) if per_batch > 0 else MAX_STEPS
    return max(1, min(steps, MAX_STEPS, feed.batches // 8))


def device_name() -> str:
    """"CPU", or the name of the (first) GPU that trains."""
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    name = details.get("device_name", "GPU")
    return f"{len(gpus)} × {name}" if len(gpus) > 1 else name


MIXED_ENV = "LAYERLAB_MIXED_PRECISION"  # auto (default) | on | off


def _precision(devices: list[str]) -> bool:
    """Sets this run's Keras dtype policy; True for mixed float16. ``auto`` uses it on GPUs
    with compute capability ≥ 7 (tensor cores), never on a CPU. Set for every run, so a
    trainer that trains several runs never carries one run's policy into the next."""
    import keras
    import tensorflow as tf
    wanted = os.environ.get(MIXED_ENV, "auto").lower()
    mixed = False
    if wanted in ("on", "1", "true") or wanted == "auto":
        gpus = tf.config.list_physical_devices("GPU")
        capable = [tf.config.experimental.get_device_details(g).get("compute_capability", (0, 0))
                   for g in gpus]
        mixed = bool(gpus) and all(c >= (7, 0) for c in capable)
    keras.mixed_precision.set_global_policy("mixed_float16" if mixed else "float32")
    return mixed


def full_disk_error(sink: RunSink) -> LabError:
    """What a full disk left: ``disk_full`` when a checkpoint was saved (Continue can go
    on from it), ``disk_full_no_checkpoint`` when none could be written."""
    saved = any(sink.checkpoint(kind) is not None for kind in ("best", "last"))
    return LabError("disk_full" if saved else "disk_full_no_checkpoint")


def disk_full(exc: BaseException) -> bool:
    """True for "no space left on device" from a file write, from SQLite, or from the
    store (which reports SQLite's failures as ``store_unwritable`` with the reason)."""
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    if isinstance(exc, LabError):
        return exc.code == "store_unwritable" and "full" in str(exc.args_.get("reason")).lower()
    return isinstance(exc, sqlite3.Error) and "full" in str(exc).lower()


class Diverged(LabError):
    """``diverged`` with ``reason`` nan | exploded | chance, ``rate`` and ``suggested``."""

    def __init__(self, reason: str, where: tuple[int, int], learning_rate: float) -> None:
        super().__init__("diverged", reason=reason, rate=f"{learning_rate:g}",
                         suggested=f"{learning_rate / 10:g}", epoch=where[0], batch=where[1],
                         factor=FACTOR)

    def text(self, lang: str = "en") -> str:
        from builder.text import t
        why = t(f"diverged.{self.args_['reason']}", lang, **self.args_)
        return t("error.diverged", lang, why=why, **self.args_)


FACTOR = 10  # a loss this many times its start has exploded
GROWN = 1.1  # at chance, a loss this many times its start has grown


class Watch:
    """Tells when training diverges, from the running means Keras reports.

    * ``nan``: the loss is not finite;
    * ``exploded``: an epoch's mean loss is more than FACTOR × the start, where the start
      is the loss of the first batches of this session but at least the chance-level
      loss ln(classes) (so a well-trained model's natural ups and downs never count);
      ``exploding`` says so live, batch by batch, before the epoch ends;
    * ``chance``: an epoch's accuracy stayed within 5 points of chance (1 / classes) while
      its loss ended more than 10 % above the start.
    """

    def __init__(self, classes: int) -> None:
        self.floor, self.chance = math.log(classes), 1 / classes + 0.05
        self.start: float | None = None
        self.exploding = False
        self._sum, self._count = 0.0, 0

    def epoch_begin(self, loss: float | None, batches: int) -> None:
        """The running mean restarts (or goes on from ``batches`` done at mean ``loss``)."""
        self._sum, self._count = (loss or 0.0) * batches, batches

    def batch(self, loss: float | None, count: int) -> str | None:
        """The running mean ``loss`` after ``count`` batches of the epoch."""
        if loss is None or not math.isfinite(loss):
            return "nan"
        recent = (loss * count - self._sum) / max(count - self._count, 1)
        self._sum, self._count = loss * count, count
        if self.start is None:
            self.start = recent if self.floor < recent < FACTOR * self.floor else self.floor
        self.exploding = recent > FACTOR * self.start
        return None

    def epoch_end(self, loss: float | None, accuracy: float | None) -> str | None:
        if loss is None or not math.isfinite(loss):
            return "nan"
        start = self.start or self.floor
        if loss > FACTOR * start:
            return "exploded"
        if accuracy is not None and accuracy <= self.chance and loss > GROWN * start:
            return "chance"
        return None


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


def _model(sink: RunSink, classes: int) -> tuple["keras.Model", dict[str, Any], list[str]]:
    """A fresh compiled model, or the saved one when the run continues, with the point it
    reached (see :mod:`builder.checkpoints`) and notes: ``last_damaged`` when the ``last``
    file would not load and the ``best`` one was used instead."""
    import keras
    run = sink.run
    last, best = sink.checkpoint("last"), sink.checkpoint("best")
    if run.epochs_done or last:
        failures: list[str] = []
        for kind, path in (("last", last), ("best", best)):
            if path is None:
                continue
            try:
                model = keras.models.load_model(path, safe_mode=True)
            except Exception as exc:  # a damaged or truncated file
                failures.append(f"{kind}: {type(exc).__name__}")
                continue
            point = checkpoints.saved_point(path if kind == "last" else None, run.epochs_done)
            return model, point, ["last_damaged"] if failures else []
        if failures:
            raise LabError("checkpoint_damaged", id=run.id, detail="; ".join(failures)[:200])
        raise LabError("cannot_continue", id=run.id, run_status=run.status)
    from builder.keras_build import build_model
    model = build_model(run.architecture)
    if model.output_shape[-1] != classes or len(model.output_shape) != 2:
        raise LabError("output_mismatch", got=shape_text(model.output_shape[1:]), classes=classes)
    model.compile(optimizer=optimizer(run.settings.optimizer, run.settings.learning_rate),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model, checkpoints.saved_point(None, 0), []


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
        """Buffers metrics (the pulse writes them), keeps the best epoch, obeys Stop,
        watches for divergence.

        Batch rows carry the epoch's running means. A resumed epoch's rows go on from the
        stopped batch, blended with the means stored there, so they read as one epoch;
        its epoch row averages all its batches. With several batches per Keras execution
        the rows come every few batches (always the epoch's last).
        """

        def __init__(self, sink: RunSink, pulse: Pulse, feed: Feed, classes: int) -> None:
            super().__init__()
            run = sink.run
            self.sink, self.run_id, self.pulse, self.feed = sink, run.id, pulse, feed
            self.planned = run.settings.epochs
            self.seconds_before = run.train_seconds
            self.epochs_done = run.epochs_done
            earlier = sink.earlier_epochs()
            self.best_epoch = best_epoch(earlier)
            self.best = max((score(m) for m in earlier), default=float("-inf"))
            self.watch = Watch(classes)
            self.status = "completed"
            self.reason: str | None = None
            self.where = (0, 0)                 # (epoch, batch) of the divergence
            self.stopped_at: dict[str, int] | None = None
            self.epoch, self.skip, self.done = 0, 0, 0
            self.prior: tuple[float | None, float | None] = (None, None)
            self.means: tuple[float | None, float | None] = (None, None)
            self.started = time.monotonic()
            self.pace = Pace()

        def elapsed(self) -> float:
            return self.seconds_before + time.monotonic() - self.started

        def begin(self, epoch: int, skip: int, loss: float | None,
                  accuracy: float | None) -> None:
            """Before the fit of epoch ``epoch`` (0-based) resumed after ``skip`` batches."""
            self.epoch, self.skip, self.done = epoch + 1, skip, skip
            self.prior = (loss, accuracy) if skip else (None, None)
            self.watch.epoch_begin(loss, skip)

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.pace.epoch_begin()
            self.pulse.progress.update(phase="training", epoch=self.epoch, epochs=self.planned,
                                       batch=self.skip, batches=self.feed.batches,
                                       exploding=False)

        def _blend(self, value: float | None, prior: float | None, seen: int) -> float | None:
            if value is None or prior is None or not self.skip:
                return value
            return (prior * self.skip + value * seen) / (self.skip + seen)

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            seen = min(batch + 1, self.params["steps"])
            self.done = self.skip + seen
            loss = self._blend(_float(logs.get("loss")), self.prior[0], seen)
            accuracy = self._blend(_float(logs.get("accuracy")), self.prior[1], seen)
            self.means = (loss, accuracy)
            self.pulse.rows.append((self.epoch, self.done, "batch", loss, accuracy, None, None,
                                    self.elapsed()))
            self.pulse.progress["batch"] = self.done
            self._pace()
            if "startup_seconds" not in self.pulse.progress:
                self._started()
            if self.watch.batch(loss, self.done):
                self._halt("diverged", "nan")
            self.pulse.progress["exploding"] = self.watch.exploding
            if self.pulse.stop.is_set() or self.pulse.full:
                self._halt("stopped")

        def _pace(self) -> None:
            total = (self.epoch - 1) * self.feed.batches + self.done
            self.pace.batch_end(time.monotonic(), total)
            self.pulse.progress.update(self.pace.measured())

        def _started(self) -> None:
            """Start (the trainer's claim) → this first point, for progress and the forecast."""
            from builder import forecast
            run = self.sink.run
            seconds = round(time.time() - (run.heartbeat or time.time()), 3)
            self.pulse.progress["startup_seconds"] = seconds
            self.pulse.flush_soon()
            if not run.epochs_done:
                images = len(self.feed.x) + len(self.feed.x_val)
                forecast.record_startup(seconds, run.architecture, images)

        def _halt(self, status: str, reason: str | None = None) -> None:
            """End training at this batch. Inside an epoch the progress says so at once
            (the page's Stop waits for it) and :class:`Halted` leaves ``fit`` with no
            validation pass; at an epoch's last batch the epoch ends whole, validated."""
            if self.status == "completed":
                self.status, self.reason, self.where = status, reason, (self.epoch, self.done)
            if self.partial:
                self.pulse.progress["phase"] = "saving"
                self.pulse.flush_soon()
                raise Halted(status)

        @property
        def partial(self) -> bool:
            return self.status != "completed" and self.done < self.feed.batches

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            self.pace.epoch_end()
            if self.partial or self.status == "diverged":
                return
            logs = logs or {}
            seen = self.params["steps"]
            loss = self._blend(_float(logs.get("loss")), self.prior[0], seen)
            accuracy = self._blend(_float(logs.get("accuracy")), self.prior[1], seen)
            row = (self.epoch, None, "epoch", loss, accuracy, _float(logs.get("val_loss")),
                   _float(logs.get("val_accuracy")), self.elapsed())
            self.pulse.rows.append(row)
            self.epochs_done = self.epoch
            reason = self.watch.epoch_end(loss, accuracy)
            if reason:
                self.status, self.reason, self.where = "diverged", reason, (self.epoch, self.done)
                return
            value = score(Metric(0, self.run_id, *row))
            if value > self.best:
                self.best, self.best_epoch = value, self.epoch
                self._save("best")

        def save_last(self) -> None:
            """``last`` and the point it reached: a finished epoch, or a Stop's batch."""
            if self.partial:
                self.stopped_at = {"epoch": self.epoch, "batch": self.done,
                                   "batches": self.feed.batches}
                point = {"epochs": self.epoch - 1, "batch": self.done,
                         "loss": self.means[0], "accuracy": self.means[1]}
            else:
                point = {"epochs": self.epoch, "batch": 0}
            same = self.sink.folder / "best.keras" if self.best_epoch == self.epoch else None
            self._save("last", point, same)

        def _save(self, kind: str, point: dict[str, Any] | None = None,
                  same: Path | None = None) -> None:
            """Write the model (or copy ``same``, a file of these very weights)."""
            path = self.sink.folder / f"{kind}.keras"
            checkpoints.replace(path, lambda p: shutil.copyfile(same, p) if same else self.model.save(p))
            if point is not None:
                checkpoints.write_point(path, point)
            self.sink.add_artifact(kind, path)

    return Recorder


def evaluate(model: "keras.Model", data: datasets.Dataset, batch_size: int,
             sink: RunSink) -> dict[str, Any]:
    """Test loss/accuracy, confusion matrix, per-class accuracy and the mistakes; writes
    the ``predictions`` file (label, predicted, confidence and ``truth``, the probability
    of the true class, for every test image: a subset's loss can be computed from it)."""
    probs = model.predict(pipeline(data.x_test, None, data.classes, max(batch_size, 256)),
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
    checkpoints.replace(path, lambda p: np.savez_compressed(
        p, label=label.astype("int16"), predicted=predicted.astype("int16"),
        confidence=confidence.astype("float16"), truth=truth.astype("float32"),
        indices=mistakes, images=data.x_test[mistakes]))
    sink.add_artifact("predictions", path)
    return {"test_loss": _finite(float(-np.log(truth).mean())),
            "test_accuracy": float((predicted == label).mean()),
            "confusion": confusion.tolist(), "per_class_accuracy": per_class,
            "class_names": list(data.class_names),
            "mistakes": [{"index": int(i), "label": int(label[i]), "predicted": int(predicted[i]),
                          "confidence": round(float(confidence[i]), 4)}
                         for i in mistakes[:SHOWN_MISTAKES]]}

class Pace:
    """This session's measured pace, for the ETA (never the queue, the start-up or a
    tracing): ``batch_seconds``, the seconds per batch between batch ends inside one
    ``fit``, and ``epoch_seconds``, what the latest move from one epoch to the next cost
    beyond its batches (validation, checkpoints, the next ``fit``'s set-up), the session's
    first one left out (it traces the validation step)."""

    def __init__(self) -> None:
        self.seconds, self.batches = 0.0, 0
        self.last: tuple[float, int] | None = None    # (time, batches done) of the last batch end
        self.ended: tuple[float, int] | None = None   # the same, at the last epoch end
        self.fresh, self.moves = True, 0
        self.between: float | None = None

    def epoch_begin(self) -> None:
        self.fresh = True  # the next batch end comes after fit's set-up

    def epoch_end(self) -> None:
        self.ended = self.last

    def batch_end(self, now: float, done: int) -> None:
        if self.last is not None and not self.fresh:
            self.seconds += now - self.last[0]
            self.batches += done - self.last[1]
        elif self.fresh and self.ended is not None:
            self.moves += 1
            if self.moves > 1 and self.batches:
                spent = now - self.ended[0] - (done - self.ended[1]) * self.seconds / self.batches
                self.between = max(spent, 0.0)
            self.ended = None
        self.last, self.fresh = (now, done), False

    def measured(self) -> dict[str, float]:
        """``batch_seconds`` and ``epoch_seconds``, as far as measured yet."""
        out = {"batch_seconds": round(self.seconds / self.batches, 6)} if self.batches else {}
        if self.between is not None:
            out["epoch_seconds"] = round(self.between, 3)
        return out


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None

