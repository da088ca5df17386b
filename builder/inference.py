"""Predictions of a finished run's best model on one user image, never in the server.

The server asks a long-lived **worker process** (``python -m builder.inference``) over
stdin/stdout, one JSON object per line. :data:`WORKER` starts it on first use; it keeps
TensorFlow and the last few models loaded and exits by itself after :func:`idle_seconds`
without a request (``$LAYERLAB_WARM_SECONDS``; ``Worker.warm_up`` starts it with the
trainer pool), runs at a lower CPU priority and ends with the server (``lifeline``), so a warm worker answers a drawing in well under a second and a cold
one reports its phases (``tensorflow``, ``model``, ``predicting``) as it goes.

* :func:`predict` (server): ``predict(store, run_id, source, progress=None) -> Prediction``
  through the worker; the CLI calls :func:`predict_here` (same request, this process).
* ``source`` is the bytes of an image file (decoded with Pillow *in the worker*, at most
  :data:`MAX_BYTES`) or a uint8 array (the drawing pad: H×W or H×W×C of the model's
  size). An image costs about what a small one does: a JPEG is reduced while it is
  decoded (``draft``: 1/2 … 1/8 per side, never below the model's size), and what is
  left to decode may have at most :func:`pixel_cap` pixels, a budget sized for the
  model's input; the header's size is checked before any pixel is decoded. Images become the model's input as the Train page showed
  the data: grey (1 channel) or RGB (3), resized to the model's H×W, grey images with a
  light background inverted (MNIST digits are light on dark), pixels divided by 255;
  :attr:`Prediction.steps` lists what was done.
* Bad input — not an image, too big, too many or too few pixels, the wrong number of
  channels — and a run without a tested model (its best epoch's, or the model as stopped
  when it stopped inside its first epoch: :func:`builder.checkpoints.tested`) are
  :class:`LabError`s; the run is never changed. A worker that dies or hangs is replaced on the next request.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

import numpy as np

from builder import checkpoints, inside
from builder.errors import LabError
from builder.store import Run, Store
from builder.execution import lifeline
from builder.execution.tf_env import ROOT, child_environment

MAX_BYTES = 10_000_000        # an uploaded image file
MAX_PIXELS = 16_000_000       # never more pixels decoded, whatever the model
PIXEL_FLOOR = 1024 * 1024     # pixels always allowed (a screenshot, a scanned digit)
PIXELS_PER_INPUT = 64         # decoded pixels allowed per pixel of the model's input
MIN_SIDE, MAX_SIDE = 8, 8192  # pixels per side of an uploaded image
MIN_IDLE = 60.0               # with $LAYERLAB_WARM_SECONDS = 0, seconds kept after a request
TIMEOUT = 180.0               # seconds for one answer, cold start included
MODELS_KEPT = 3

Progress = Callable[[str], None]  # a phase: "starting", "tensorflow", "model", "predicting"


@dataclass(frozen=True)
class Prediction:
    """The best model's answer for one input, with what each spatial layer made of it."""

    probabilities: np.ndarray        # (classes,) summing to 1
    class_names: list[str]
    image: np.ndarray                # what the model saw: uint8 H×W×C
    steps: list[str]                 # preprocessing steps (text keys ``inside.step_*``)
    layers: list[inside.Spot]
    maps: list[np.ndarray]           # per layer (h, w, c) uint8
    ranges: list[np.ndarray]         # per layer (2, c) min and max
    cam: np.ndarray | None           # (h, w) uint8 Grad-CAM of the predicted class

    def ranked(self, top: int | None = None) -> list[dict[str, Any]]:
        """``[{class, probability}]`` from the most likely class down."""
        order = np.argsort(-self.probabilities, kind="stable")[:top]
        return [{"class": self.class_names[i], "probability": float(self.probabilities[i])}
                for i in order]

    def feature_maps(self, layer: int) -> np.ndarray:
        return inside.dequantise(self.maps[layer], self.ranges[layer])


# ---------------------------------------------------------------- server and CLI side

def predict(store: Store, run_id: int, source: bytes | np.ndarray,
            progress: Progress | None = None) -> Prediction:
    """The run's best model on ``source``, computed by the warm worker process."""
    return _ask(store, run_id, source, lambda request: WORKER.ask(request, progress))


def predict_here(store: Store, run_id: int, source: bytes | np.ndarray) -> Prediction:
    """The same in this process (the CLI, which may load TensorFlow)."""
    return _ask(store, run_id, source, lambda request: answer(request, lambda _: None))


def class_names(run: Run) -> list[str]:
    """The run's class names: from its results, else its registered dataset, else numbers."""
    from builder.datasets import DATASETS
    names = (run.results or {}).get("class_names")
    if names:
        return list(names)
    if run.dataset in DATASETS:
        return list(DATASETS[run.dataset].class_names)
    return []


def _ask(store: Store, run_id: int, source: bytes | np.ndarray,
         send: Callable[[dict], dict]) -> Prediction:
    run = store.run(run_id)
    model = checkpoints.tested(run.results, lambda kind: store.artifact(run_id, kind))
    if model is None:
        raise LabError("no_model_file", id=run_id)
    folder = Path(tempfile.mkdtemp(prefix="layerlab-predict-"))
    try:
        layers = inside.spots(run.architecture, images=1)
        request = {"model": str(model), "input": str(_write_input(source, folder)),
                   "input_shape": list(run.architecture.input_shape),
                   "layers": [s.to_dict() for s in layers], "out": str(folder / "out.npz")}
        reply = send(request)
        if not reply.get("ok"):
            error = reply.get("error") or {}
            raise LabError(error.get("code", "inference_failed"), **error.get("args", {}))
        with np.load(reply["file"], allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    probabilities = data["probs"][0].astype("float64")
    names = class_names(run)
    if len(names) != len(probabilities):
        names = [str(i) for i in range(len(probabilities))]
    return Prediction(probabilities / probabilities.sum(), names, data["input"], reply["steps"],
                      layers, [data[f"map_{i}"][0] for i in range(len(layers))],
                      [data[f"range_{i}"][0] for i in range(len(layers))],
                      data["cam"][0] if "cam" in data else None)


def _write_input(source: bytes | np.ndarray, folder: Path) -> Path:
    """The input as a file for the worker; files over :data:`MAX_BYTES` are refused here."""
    if isinstance(source, np.ndarray):
        path = folder / "input.npy"
        np.save(path, np.asarray(source, dtype="uint8"), allow_pickle=False)
        return path
    if len(source) > MAX_BYTES:
        raise LabError("image_too_big", size=f"{len(source) / 1e6:.1f}", limit=MAX_BYTES // 1_000_000)
    path = folder / "input.img"
    path.write_bytes(source)
    return path


class Worker:
    """The server's handle on one worker process (started on first use, restarted when gone)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._buffer = b""

    @property
    def warm(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ask(self, request: dict, progress: Progress | None = None,
            timeout: float = TIMEOUT) -> dict:
        """Send one request; progress phases are passed on until the answer comes."""
        progress = progress or (lambda _: None)
        with self._lock:
            if not self.warm:
                progress("starting")
                self._start()
            try:
                self._process.stdin.write((json.dumps(request) + "\n").encode())
                self._process.stdin.flush()
                deadline = time.monotonic() + timeout
                while True:
                    message = self._line(deadline)
                    if message.get("event") == "progress":
                        progress(message["phase"])
                    elif "ok" in message:
                        return message
            except (OSError, ValueError, TimeoutError) as exc:
                self.close()
                if isinstance(exc, TimeoutError):
                    raise LabError("inference_timeout", seconds=int(timeout)) from None
                raise LabError("inference_failed", detail=str(exc)[:200] or "worker gone") from None

    def warm_up(self) -> None:
        """Start the worker and load TensorFlow in it now, in the background (with the
        trainer pool), so that the first drawing is answered warm."""
        if not self.warm and not self._lock.locked():
            threading.Thread(target=self._warm, daemon=True, name="layerlab-inference-warm").start()

    def _warm(self) -> None:
        try:
            self.ask({"warm": True})
        except LabError:  # the next real request starts a fresh worker and says why
            pass

    def close(self) -> None:
        """Stop the worker (the next request starts a fresh one)."""
        process, self._process, self._buffer = self._process, None, b""
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def _start(self) -> None:
        self._process = lifeline.spawn(
            [sys.executable, "-m", "builder.inference", str(idle_seconds())], child_environment(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        self._buffer = b""

    def _line(self, deadline: float) -> dict:
        """The next whole line from the worker as JSON (raw reads: no hidden buffering)."""
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                raise OSError("the prediction worker stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


WORKER = Worker()


# ---------------------------------------------------------------- worker side

_MODELS: dict[str, tuple[float, Any, Any]] = {}


def answer(request: dict, report: Callable[[str], None]) -> dict:
    """One request's answer (a LabError becomes ``{"ok": false, "error": …}``)."""
    try:
        return _answer(request, report)
    except LabError as exc:
        return {"ok": False, "error": {"code": exc.code, "args": exc.args_}}
    except Exception as exc:  # noqa: BLE001 — one bad request must not end the worker
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        return {"ok": False, "error": {"code": "inference_failed", "args": {"detail": detail}}}


def _answer(request: dict, report: Callable[[str], None]) -> dict:
    if request.get("warm"):
        import keras  # noqa: F401  (the slow import, done before the first drawing)
        return {"ok": True}
    shape = tuple(request["input_shape"])
    pixels, steps = prepare(Path(request["input"]), shape)
    layers = [inside.Spot.from_dict(d) for d in request["layers"]]
    probe = _model(request["model"], layers, report)
    report("predicting")
    outputs, probs, cam = probe(pixels[None].astype("float32") / 255.0)
    arrays = {"input": pixels, "probs": probs.astype("float64"), **inside.pack(layers, outputs)}
    if cam is not None:
        arrays["cam"] = cam
    np.savez(request["out"], **arrays)
    return {"ok": True, "file": request["out"], "steps": steps}


def _model(path: str, layers: list[inside.Spot], report: Callable[[str], None]) -> Any:
    """The probe of the saved model at ``path``, cached while the file is unchanged."""
    if "keras" not in sys.modules:
        report("tensorflow")
    import keras
    mtime = os.path.getmtime(path)
    cached = _MODELS.get(path)
    if cached is None or cached[0] != mtime:
        report("model")
        model = keras.models.load_model(path, safe_mode=True)
        if len(_MODELS) >= MODELS_KEPT:
            _MODELS.pop(next(iter(_MODELS)))
        _MODELS[path] = (mtime, model, inside.prober(inside.outputs_of(model, layers),
                                                     inside.last_conv(layers)))
    return _MODELS[path][2]


def prepare(path: Path, shape: tuple[int, int, int]) -> tuple[np.ndarray, list[str]]:
    """The model's uint8 H×W×C input from an image file or an ``.npy`` array, and the
    preprocessing steps done (raises LabError for anything it cannot use)."""
    height, width, channels = shape
    if path.suffix == ".npy":
        return _array(np.load(path, allow_pickle=False), shape), ["scale"]
    if channels not in (1, 3):
        raise LabError("image_channels", expected=channels, got="1 or 3")
    image = _decode(path, shape)
    steps = ["grey" if channels == 1 else "rgb"]
    image = image.convert("L" if channels == 1 else "RGB")
    if image.size != (width, height):
        from PIL import Image
        image = image.resize((width, height), Image.Resampling.LANCZOS)
        steps.append("resize")
    pixels = np.asarray(image, dtype="uint8").reshape(height, width, channels)
    if channels == 1 and _light_background(pixels):
        pixels = 255 - pixels
        steps.append("invert")
    return pixels, [*steps, "scale"]


def pixel_cap(shape: tuple[int, int, int]) -> int:
    """Most pixels decoded for a model whose input is ``shape`` (H, W, C)."""
    return min(MAX_PIXELS, max(PIXEL_FLOOR, PIXELS_PER_INPUT * shape[0] * shape[1]))


def _decode(path: Path, shape: tuple[int, int, int]) -> Any:
    """Pillow: the header's size checked before decoding, JPEGs reduced while decoding
    (``draft``), at most :func:`pixel_cap` pixels decoded; errors name the real size."""
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = None   # the checks below, on the header's size, are stricter
    height, width, channels = shape
    try:
        image = Image.open(path)
        real_w, real_h = image.size
        if not (MIN_SIDE <= real_w <= MAX_SIDE and MIN_SIDE <= real_h <= MAX_SIDE):
            raise LabError("image_size", width=real_w, height=real_h, low=MIN_SIDE, high=MAX_SIDE)
        image.draft("L" if channels == 1 else "RGB", (width, height))  # JPEG: no-op elsewhere
        cap = pixel_cap(shape)
        if image.size[0] * image.size[1] > cap:
            raise LabError("image_pixels", width=real_w, height=real_h,
                           pixels=real_w * real_h, limit=cap)
        image.load()
    except LabError:
        raise
    except Exception:  # noqa: BLE001 — Pillow raises many kinds for a file it cannot read
        raise LabError("image_unreadable") from None
    return image


def _array(pixels: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """A drawing: H×W or H×W×C of exactly the model's size."""
    height, width, channels = shape
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    if pixels.ndim != 3 or pixels.shape[2] != channels:
        got = pixels.shape[2] if pixels.ndim == 3 else pixels.ndim
        raise LabError("image_channels", expected=channels, got=got)
    if pixels.shape[:2] != (height, width):
        raise LabError("image_size", width=pixels.shape[1], height=pixels.shape[0], low=width,
                       high=width)
    return pixels.astype("uint8")


def _light_background(pixels: np.ndarray) -> bool:
    """True when the border is mostly light (dark ink on paper)."""
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return float(border.mean()) > 127


def idle_seconds() -> float:
    """How long a worker waits for a request before it exits: ``$LAYERLAB_WARM_SECONDS``
    (as the trainer pool), at least :data:`MIN_IDLE` once it answered."""
    from builder.execution.pool import warm_seconds
    return max(warm_seconds(), MIN_IDLE)


def serve(stdin: IO[bytes], stdout: IO[bytes], idle: float = MIN_IDLE) -> None:
    """The worker loop: one request line in, progress lines and one answer line out."""
    def send(message: dict) -> None:
        stdout.write((json.dumps(message) + "\n").encode())
        stdout.flush()

    while select.select([stdin], [], [], idle)[0]:
        line = stdin.readline()
        if not line:
            return
        try:
            request = json.loads(line)
        except ValueError:
            send({"ok": False, "error": {"code": "inference_failed", "args": {"detail": "bad request"}}})
            continue
        send(answer(request, lambda phase: send({"event": "progress", "phase": phase})))


def main() -> None:
    """Answer on a private copy of stdout; anything else printed goes to stderr."""
    lifeline.follow_parent()
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers, float(sys.argv[1]) if len(sys.argv) > 1 else MIN_IDLE)


if __name__ == "__main__":
    main()
