"""Inside the model: what every spatial layer makes of a few fixed test images, epoch by epoch.

Recording (in the trainer process; Keras is imported lazily): :func:`recorder` returns a
Keras callback the trainer adds to ``fit``. At the end of every whole epoch it runs the
*probe images* — the first test image of each class in the public half of the test set
(at most :data:`MAX_IMAGES`), so every run on a dataset sees the same ones and none is
hidden before Reveal — through one sub-model
``keras.Model(model.inputs, [spatial outputs…, probabilities])`` under a ``GradientTape``
and keeps:

* each spatial layer's output (every analysis row with an H×W×C output, inside blocks too,
  except Dropout and the random augmentation layers, which pass images through unchanged
  at test time), named and addressed as the Build canvas shows it;
* the output probabilities; the first Conv2D's kernels;
* a Grad-CAM heat map (the last Conv2D's maps weighted by the gradient of the predicted
  class's probability, ReLU, scaled to 0–255) per image — for every kept epoch, so the
  best epoch's model has one.

Storage: the run artifact of kind ``inside`` (``inside.npz`` in the run's folder), rewritten
atomically after each epoch, so a Stop or a crash keeps what was recorded. Maps are uint8
with each map's min and max (``range_i``), averaged down to at most :data:`MAX_SIDE` pixels a
side and the first :data:`MAX_CHANNELS` channels; if one epoch's maps still exceed
:data:`EPOCH_BUDGET` bytes, the biggest maps are halved again. At most :data:`MAX_EPOCHS`
epochs are kept (beyond that every second one between the first and the last, never the
best, is dropped). Budget: ``MAX_EPOCHS × EPOCH_BUDGET`` ≈ 19 MB of maps plus kernels and
heat maps, under 20 MB per run (the seed CIFAR-10 CNN needs ≈ 11 MB for 20 epochs).

Reading (server side, NumPy only): :func:`read` → :class:`Inside`; :func:`spots` says which
layers an architecture records (no TensorFlow).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from builder.analysis import analyse
from builder.architecture import Address, Architecture
from builder.classroom.halves import public_half
from builder.errors import LabError
from builder.layers import layer_type, shape_text

if TYPE_CHECKING:
    import keras

    from builder.datasets import Dataset
    from builder.execution.sink import RunSink

KIND = "inside"
FILE = "inside.npz"
VERSION = 1
MAX_IMAGES = 10
MAX_SIDE = 32
MAX_CHANNELS = 64
MAX_KERNELS = 64
EPOCH_BUDGET = 950_000   # bytes of uint8 maps per kept epoch (all images, all layers)
MAX_EPOCHS = 20


@dataclass(frozen=True)
class Spot:
    """One recorded layer: where it sits on the canvas and how its maps are stored."""

    address: Address
    type: str
    name: str                        # the name the user gave the layer ('' if none)
    node: str                        # the Keras layer giving its output
    shape: tuple[int, int, int]      # its output shape (as the analysis and canvas say)
    stored: tuple[int, int, int]     # height, width, channels kept

    def to_dict(self) -> dict[str, Any]:
        return {"address": list(self.address), "type": self.type, "name": self.name,
                "node": self.node, "shape": list(self.shape), "stored": list(self.stored)}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> "Spot":
        return cls(tuple(doc["address"]), doc["type"], doc["name"], doc["node"],
                   tuple(doc["shape"]), tuple(doc["stored"]))


# ---------------------------------------------------------------- what is recorded (pure)

def spots(arch: Architecture, images: int = MAX_IMAGES) -> list[Spot]:
    """The spatial layers of ``arch`` in canvas order, with stored sizes within the budget."""
    from builder.keras_graph import plan
    report = analyse(arch)
    graph = plan(arch, report)
    names = {address: layer.name for address, layer in arch.walk()}
    found = []
    for row in report.rows:
        shape = row.output_shape
        if shape is None or len(shape) != 3 or _passes_through(row.type):
            continue
        side = min(MAX_SIDE, max(shape[:2]))
        found.append(Spot(row.address, row.type, names.get(row.address, ""),
                          graph.outputs[row.address], tuple(shape),
                          (*_shrunk(shape, side), min(shape[2], MAX_CHANNELS))))
    return _fit_budget(found, images)


def _passes_through(type_name: str) -> bool:
    """Layers that leave a test image as it is: augmentation and dropout."""
    return layer_type(type_name).role in ("augmentation", "dropout")


def _filters_conv(type_name: str) -> bool:
    """A convolution with filters of its own (Conv2D and its kin, not depthwise)."""
    return layer_type(type_name).role == "convolution"


def _shrunk(shape: Sequence[int], side: int) -> tuple[int, int]:
    """Height and width after averaging blocks of ``factor`` pixels so both are ≤ ``side``."""
    factor = math.ceil(max(shape[0], shape[1]) / side)
    return max(1, shape[0] // factor), max(1, shape[1] // factor)


def _fit_budget(found: list[Spot], images: int) -> list[Spot]:
    """Halve the biggest stored maps until one epoch fits :data:`EPOCH_BUDGET`."""
    def size(s: Spot) -> int:
        return images * math.prod(s.stored)

    while sum(map(size, found)) > EPOCH_BUDGET:
        biggest = max(range(len(found)), key=lambda i: found[i].stored[0] * found[i].stored[1])
        s = found[biggest]
        if max(s.stored[:2]) <= 1:
            break
        found[biggest] = Spot(s.address, s.type, s.name, s.node, s.shape,
                              (*_shrunk(s.shape, max(1, max(s.stored[:2]) // 2)), s.stored[2]))
    return found


def probe_indices(labels: np.ndarray, limit: int = MAX_IMAGES) -> np.ndarray:
    """The first test image of each class in the public half (the leaderboard's), classes
    in order, at most ``limit``: a class's hidden half is never shown before Reveal."""
    public = np.flatnonzero(public_half(len(labels)))
    classes, first = np.unique(np.asarray(labels)[public], return_index=True)
    return public[first[np.argsort(classes)][:limit]].astype("int64")


def downsample(maps: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Average (n, H, W, C) maps down to (n, h, w, C) by whole blocks (edges cropped)."""
    n, height, width, channels = maps.shape
    h, w = size
    if (h, w) == (height, width):
        return maps
    fy, fx = height // h, width // w
    cropped = maps[:, :h * fy, :w * fx]
    return cropped.reshape(n, h, fy, w, fx, channels).mean(axis=(2, 4))


def quantise(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 maps (n, h, w, c) and each map's [min, max] (n, 2, c)."""
    lo, hi = maps.min(axis=(1, 2)), maps.max(axis=(1, 2))
    scale = np.where(hi > lo, hi - lo, 1.0)[:, None, None, :]
    q = np.rint((maps - lo[:, None, None, :]) / scale * 255)
    return np.clip(q, 0, 255).astype("uint8"), np.stack([lo, hi], axis=1).astype("float32")


def dequantise(q: np.ndarray, value_range: np.ndarray) -> np.ndarray:
    """Inverse of :func:`quantise` for one image's maps: (h, w, c) and (2, c)."""
    lo, hi = value_range[0], value_range[1]
    return lo + q.astype("float32") / 255.0 * (hi - lo)


def thin(epochs: list[int], best: int | None) -> list[int]:
    """Positions to keep when more than :data:`MAX_EPOCHS` epochs are recorded."""
    if len(epochs) <= MAX_EPOCHS:
        return list(range(len(epochs)))
    middle = [i for i in range(1, len(epochs) - 1) if epochs[i] != best]
    dropped = set(middle[::2])
    return [i for i in range(len(epochs)) if i not in dropped]


# ---------------------------------------------------------------- the file

class Recording:
    """The recordings of one run in memory; :meth:`save` writes the ``inside`` npz."""

    def __init__(self, meta: dict[str, Any], fixed: dict[str, np.ndarray]) -> None:
        self.meta = meta
        self.fixed = fixed                       # images, labels, indices
        self.epochs: list[dict[str, np.ndarray]] = []  # one dict of arrays per kept epoch

    def add(self, epoch: int, values: dict[str, np.ndarray], best: bool) -> None:
        self.epochs = [e for e in self.epochs if int(e["epoch"]) < epoch]
        self.epochs.append({"epoch": np.int32(epoch), **values})
        if best:
            self.meta["best_epoch"] = epoch
        keep = thin([int(e["epoch"]) for e in self.epochs], self.meta.get("best_epoch"))
        self.epochs = [self.epochs[i] for i in keep]

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old file or the new one, never half."""
        arrays = {"meta": np.array(json.dumps(self.meta)), **self.fixed}
        for key in self.epochs[0] if self.epochs else ():
            arrays[key] = np.stack([e[key] for e in self.epochs])
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> "Recording":
        """An earlier session's recordings (Continue goes on from them)."""
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
        recording = cls(json.loads(str(data.pop("meta"))),
                        {k: data.pop(k) for k in ("images", "labels", "indices")})
        for i in range(len(data.get("epoch", ()))):
            recording.epochs.append({k: v[i] for k, v in data.items()})
        return recording


@dataclass(frozen=True)
class Inside:
    """What :func:`read` gives the views: every kept epoch of every recorded layer."""

    layers: list[Spot]
    epochs: list[int]
    best_epoch: int | None
    class_names: list[str]
    images: np.ndarray          # (n, H, W, C) uint8 probe images
    labels: np.ndarray          # (n,)
    probabilities: np.ndarray   # (epochs, n, classes)
    maps: list[np.ndarray]      # per layer (epochs, n, h, w, c) uint8
    ranges: list[np.ndarray]    # per layer (epochs, n, 2, c) float32
    kernels: np.ndarray | None  # (epochs, kh, kw, cin, cout) of the first Conv2D
    kernel_layer: int | None    # its index in ``layers``
    cam: np.ndarray | None      # (epochs, n, h, w) uint8 Grad-CAM
    cam_layer: int | None
    bytes: int

    def feature_maps(self, layer: int, epoch: int, image: int) -> np.ndarray:
        """Float (h, w, c) maps of one layer for one image at position ``epoch``."""
        return dequantise(self.maps[layer][epoch, image], self.ranges[layer][epoch, image])


def read(path: Path | None, run_id: int) -> Inside:
    """The recordings in ``path``; LabError ``no_inside`` when there are none or they
    cannot be read (the run itself is left alone)."""
    if path is None:
        raise LabError("no_inside", id=run_id)
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
        meta = json.loads(str(data["meta"]))
        layers = [Spot.from_dict(d) for d in meta["layers"]]
        optional = {k: data.get(k) for k in ("kernels", "cam")}
        return Inside(layers, [int(e) for e in data["epoch"]], meta.get("best_epoch"),
                      list(meta["class_names"]), data["images"], data["labels"], data["probs"],
                      [data[f"map_{i}"] for i in range(len(layers))],
                      [data[f"range_{i}"] for i in range(len(layers))],
                      optional["kernels"], meta.get("kernel_layer"), optional["cam"],
                      meta.get("cam_layer"), path.stat().st_size)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LabError("inside_damaged", id=run_id, reason=str(exc)[:120]) from None


def describe(inside: Inside) -> dict[str, Any]:
    """What ``runs inside --json`` prints: layers (name, output shape as the Build page
    shows it), epochs, images, bytes."""
    from builder.architecture import position
    return {"layers": [{"name": s.node, "label": position(s.address, s.type), "type": s.type,
                        "user_name": s.name, "output_shape": shape_text(s.shape),
                        "stored_shape": shape_text(s.stored)} for s in inside.layers],
            "epochs": inside.epochs, "best_epoch": inside.best_epoch,
            "images": [{"index": i, "label": inside.class_names[int(c)]}
                       for i, c in enumerate(inside.labels)],
            "bytes": inside.bytes}


# ---------------------------------------------------------------- recording (Keras)

def outputs_of(model: "keras.Model", layers: list[Spot]) -> "keras.Model":
    """One sub-model giving every recorded layer's output and then the probabilities.

    A Sequential model (a reloaded one in particular) is chained anew over its layers, so
    the probabilities are computed from the very tensors recorded (Grad-CAM needs that)."""
    import keras
    if not isinstance(model, keras.Sequential):
        return keras.Model(model.inputs, [*(model.get_layer(s.node).output for s in layers),
                                          model.outputs[0]])
    tensor = inputs = keras.Input(shape=model.input_shape[1:])
    outputs = {}
    for layer in model.layers:
        tensor = outputs[layer.name] = layer(tensor)
    return keras.Model(inputs, [*(outputs[s.node] for s in layers), tensor])


def prober(sub: "keras.Model", cam_layer: int | None,
           compiled: bool = True) -> Callable[[np.ndarray], tuple]:
    """A function: images → (outputs of every recorded layer, probabilities, Grad-CAM of
    the predicted class per image or None), one forward and backward pass.

    ``compiled`` traces it once (seconds) and then answers in milliseconds: right for the
    inference worker. The recorder runs it eagerly (a fraction of a second per epoch,
    nothing up front), which costs less than tracing for runs of a few epochs."""
    import tensorflow as tf

    def probe(x: "tf.Tensor") -> tuple:
        with tf.GradientTape() as tape:
            outs = sub(x, training=False)
            outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
            probs = outs[-1]
            chosen = tf.reduce_sum(probs * tf.one_hot(tf.argmax(probs, axis=1), tf.shape(probs)[-1]),
                                   axis=1)
        if cam_layer is None:
            return outs[:-1], probs, None
        conv = outs[cam_layer]
        weights = tf.reduce_mean(tape.gradient(chosen, conv), axis=(1, 2), keepdims=True)
        return outs[:-1], probs, tf.nn.relu(tf.reduce_sum(weights * conv, axis=-1))

    call = tf.function(probe, reduce_retracing=True) if compiled else probe

    def run(x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray | None]:
        outs, probs, heat = call(tf.constant(x, dtype="float32"))
        cam = None
        if heat is not None:
            heat = heat.numpy()
            peak = heat.max(axis=(1, 2), keepdims=True)
            cam = np.rint(heat / np.where(peak > 0, peak, 1.0) * 255).astype("uint8")
        return [o.numpy() for o in outs], probs.numpy(), cam
    return run


def pack(layers: list[Spot], outputs: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Downsampled, channel-capped, quantised maps: ``map_i`` and ``range_i`` per layer."""
    packed = {}
    for i, (spot, out) in enumerate(zip(layers, outputs)):
        h, w, c = spot.stored
        q, value_range = quantise(downsample(out[..., :c].astype("float32"), (h, w)))
        packed[f"map_{i}"], packed[f"range_{i}"] = q, value_range
    return packed


def last_conv(layers: list[Spot]) -> int | None:
    return next((i for i in reversed(range(len(layers))) if _filters_conv(layers[i].type)), None)


def first_conv(layers: list[Spot]) -> int | None:
    return next((i for i, s in enumerate(layers) if _filters_conv(s.type)), None)


def recorder(sink: "RunSink", data: "Dataset") -> "keras.callbacks.Callback":
    """The Keras callback recording the sink's run (see the module docstring)."""
    import keras

    from builder.store import Metric, score

    class InsideRecorder(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.path = sink.folder / FILE
            self.recording: Recording | None = None
            self.steps = 0
            self.best = float("-inf")
            self.began = False

        def on_train_begin(self, logs: dict | None = None) -> None:
            if not self.began:  # the trainer calls fit once per epoch: begin once
                self.began = True
                self._safely(self._begin)

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.steps = 0

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            self.steps = batch + 1

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            whole = self.steps >= (self.params.get("steps") or 0)
            if self.recording is not None and whole and math.isfinite(logs.get("loss", math.nan)):
                self._safely(lambda: self._record(epoch + 1, logs))

        def _begin(self) -> None:
            layers = spots(sink.run.architecture)
            self.layers = layers
            self.kernel_layer = first_conv(layers)
            self.probe = prober(outputs_of(self.model, layers), last_conv(layers), compiled=False)
            chosen = probe_indices(data.y_test)
            from builder.datasets import to_float
            self.x = to_float(data.x_test[chosen])
            earlier = sink.checkpoint(KIND) if sink.run.epochs_done else None
            if earlier is not None:
                self.recording = Recording.load(earlier)
                self.best = self.recording.meta.get("best_score", float("-inf"))
                return
            meta = {"version": VERSION, "dataset": data.name, "class_names": list(data.class_names),
                    "layers": [s.to_dict() for s in layers], "cam_layer": last_conv(layers),
                    "kernel_layer": self.kernel_layer, "best_epoch": None}
            self.recording = Recording(meta, {"images": data.x_test[chosen],
                                              "labels": data.y_test[chosen].astype("int16"),
                                              "indices": chosen})

        def _record(self, epoch: int, logs: dict) -> None:
            outputs, probs, cam = self.probe(self.x)
            values = {**pack(self.layers, outputs), "probs": probs.astype("float32")}
            if cam is not None:
                values["cam"] = cam
            if self.kernel_layer is not None:
                kernel = self.model.get_layer(self.layers[self.kernel_layer].node).get_weights()[0]
                values["kernels"] = kernel[..., :MAX_KERNELS].astype("float32")
            value = score(Metric(0, 0, epoch, None, "epoch", logs.get("loss"),
                                 logs.get("accuracy"), logs.get("val_loss"),
                                 logs.get("val_accuracy"), 0.0))
            best = value > self.best
            if best:
                self.best = value
                self.recording.meta["best_score"] = value
            first = not self.path.exists()
            self.recording.add(epoch, values, best)
            self.recording.save(self.path)
            if first:
                sink.add_artifact(KIND, self.path)

        def on_train_end(self, logs: dict | None = None) -> None:
            if self.recording is not None and self.recording.epochs:
                self._safely(lambda: sink.add_artifact(KIND, self.path))

        def _safely(self, step: Any) -> None:
            """Recording never breaks training: a failure switches it off for this run."""
            try:
                step()
            except Exception:  # noqa: BLE001 — e.g. an odd model; training goes on
                self.recording = None

    return InsideRecorder()
