"""Cost forecast before Start: seconds per epoch and peak memory of a training run.

The model's multiply-adds per image come from :func:`builder.analysis.analyse`; how fast
this machine turns them into training is measured once by a short calibration job
(a tiny Keras training in a subprocess — never in the server) and cached next to the
run store. Without a calibration the estimate uses typical laptop numbers and says so.

Public API:

* ``estimate(arch, train_images, settings, calibration=None) -> Forecast`` — pure and fast;
  ``train_images`` is the training-set size (``DATASETS[name].train_images`` for registered
  sets).
* ``cached_calibration() -> Calibration | None`` — the cached measurement for this machine.
* ``calibrate(timeout=180) -> Calibration`` — run the measuring job (~10–20 s) and cache it.
* ``queue_wait(runs, calibration=None)`` / ``from_click(own, wait, workers)`` — what the
  runs already queued or training will still take, and when a batch of new runs is done
  counted from the click: the queue ahead first, then the runs' own forecasts.
* ``record_startup(seconds, arch, images)`` — a trainer measured Start → first batch; the
  cached calibration's start-up becomes the median of the last few such measurements
  (they include what the calibration job cannot see: starting a trainer process, reading
  the real dataset, tracing the real training step, a busy machine).

Model: one epoch costs ``3 × MACs × fit images + MACs × validation images`` divided by the
measured rate (backward ≈ 2× forward), plus a fixed cost per batch. Start-up (process start
→ first batch: importing TensorFlow, building and compiling the model) is measured too, plus
the time to read and convert the training images. Peak memory is the
process baseline plus the float32 training data, four copies of the weights (weights,
gradients, two Adam slots) and three copies of a batch's activations.
"""
from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from builder.analysis import BYTES_PER_VALUE, analyse
from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings, split
from builder.store import default_path
from builder.execution.tf_env import ROOT, child_environment

CALIBRATION_FILE = "calibration.json"
STARTUPS_FILE = "startups.json"  # Start → first batch as trainers measured it, latest last
KEPT_STARTUPS = 9
LOAD_BYTES_PER_SECOND = 200e6  # reading, sampling and converting the training images
WAITING = ("queued", "running", "stopping")  # runs that hold a trainer now or soon


@dataclass(frozen=True)
class Calibration:
    macs_per_second: float      # training throughput of multiply-adds (forward-equivalent)
    seconds_per_batch: float    # fixed cost of one training step
    baseline_bytes: int         # resident memory of a trainer with TensorFlow loaded
    startup_seconds: float = 15.0  # process start → first batch done (TensorFlow, model)
    machine: str = ""
    measured: float = 0.0       # unix time


TYPICAL = Calibration(macs_per_second=4e9, seconds_per_batch=0.002, baseline_bytes=700_000_000)


@dataclass(frozen=True)
class Forecast:
    seconds_per_epoch: float
    seconds_training: float     # all epochs
    seconds_startup: float      # Start → first batch
    peak_memory_bytes: int
    calibrated: bool            # False: typical numbers, not measured on this machine

    @property
    def seconds_total(self) -> float:
        return self.seconds_startup + self.seconds_training


def estimate(arch: Architecture, train_images: int, settings: TrainSettings,
             calibration: Calibration | None = None) -> Forecast:
    """Seconds per epoch, for all epochs and to start, and peak memory of training ``arch``."""
    cal = calibration or TYPICAL
    report = analyse(arch)
    fit, validation = split(train_images, settings)
    images = fit + validation
    batches = math.ceil(fit / settings.batch_size)
    work = report.flops * (3 * fit + validation)
    epoch = work / cal.macs_per_second + batches * cal.seconds_per_batch
    data_bytes = input_bytes(arch, images)
    model_bytes = 4 * report.total_params * BYTES_PER_VALUE
    batch_bytes = 3 * settings.batch_size * report.memory
    startup = cal.startup_seconds + data_bytes / LOAD_BYTES_PER_SECOND
    return Forecast(epoch, epoch * settings.epochs, startup,
                    int(cal.baseline_bytes + data_bytes + model_bytes + batch_bytes),
                    calibration is not None)


@dataclass(frozen=True)
class Wait:
    """The queue ahead of new runs: how many runs, and their forecast seconds still to go."""

    runs: int
    seconds: float


def remaining(run, calibration: Calibration | None = None) -> float:
    """Forecast seconds a queued or training run still needs (0 when its set's size is
    unknown): all of it while queued, the epochs left once it trains."""
    info = DATASETS.get(run.dataset)
    if info is None:
        return 0.0
    cost = estimate(run.architecture, info.train_images, run.settings, calibration)
    if run.status == "queued" and not run.epochs_done:
        return cost.seconds_total
    left = max(run.settings.epochs - run.epochs_done, 0)
    return cost.seconds_per_epoch * left + (0.0 if run.epochs_done else cost.seconds_startup)


def queue_wait(runs, calibration: Calibration | None = None) -> Wait:
    """The runs (of any owner) queued or training now, and what they still take."""
    ahead = [r for r in runs if r.status in WAITING]
    return Wait(len(ahead), sum(remaining(r, calibration) for r in ahead))


def from_click(own: list[float], wait: Wait, workers: int = 1) -> float:
    """Seconds from the click until the last of the ``own`` runs is done: the queue ahead
    and the runs themselves share ``workers`` trainers; never less than the longest run."""
    workers = max(1, workers)
    return max((wait.seconds + sum(own)) / workers, max(own, default=0.0))


def input_bytes(arch: Architecture, images: int) -> int:
    """The training images as float32 model input."""
    return images * math.prod(arch.input_shape) * BYTES_PER_VALUE


def cached_calibration(path: Path | None = None,
                       startups: Path | None = None) -> Calibration | None:
    """The cached calibration if it was measured on this machine, else None; its start-up
    is the median that trainers measured (``record_startup``) when there is one."""
    path = path or _cache_path()
    try:
        cal = Calibration(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if cal.machine != _machine():
        return None
    observed = _startups(startups or path.with_name(STARTUPS_FILE))
    return replace(cal, startup_seconds=statistics.median(observed)) if observed else cal


def record_startup(seconds: float, arch: Architecture, images: int,
                   path: Path | None = None) -> None:
    """Keep a trainer's Start → first batch (less the data reading ``estimate`` adds back)."""
    path = path or _cache_path().with_name(STARTUPS_FILE)
    kept = _startups(path)[-(KEPT_STARTUPS - 1):]
    kept.append(round(max(seconds - input_bytes(arch, images) / LOAD_BYTES_PER_SECOND, 0.0), 3))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"machine": _machine(), "seconds": kept}))
        os.replace(temporary, path)
    except OSError:  # a forecast detail is never worth failing a run for
        pass


def _startups(path: Path) -> list[float]:
    try:
        doc = json.loads(path.read_text())
        return [float(s) for s in doc["seconds"]] if doc.get("machine") == _machine() else []
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []


def calibrate(timeout: float = 180, path: Path | None = None) -> Calibration:
    """Measure this machine in a subprocess (TensorFlow never loads here) and cache it."""
    try:
        done = subprocess.run([sys.executable, "-m", "builder.forecast", repr(time.time())],
                              capture_output=True,
                              text=True, timeout=timeout, env=child_environment(), cwd=ROOT,
                              check=True)
        cal = Calibration(**json.loads(done.stdout.strip().splitlines()[-1]))
    except (subprocess.SubprocessError, OSError, ValueError, TypeError, IndexError) as exc:
        raise LabError("calibration_failed", detail=f"{type(exc).__name__}: {exc}"[:200]) from None
    path = path or _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(cal)))
    return cal


def _cache_path() -> Path:
    return default_path().parent / CALIBRATION_FILE


def _machine() -> str:
    return f"{platform.node()}/{platform.machine()}/{os.cpu_count()}cpu"


def _measure(started: float) -> dict[str, Any]:
    """Inside the subprocess: the start-up, then one epoch of a small CNN at two batch sizes.

    Start-up runs from ``started`` (unix time the parent launched this process) to the end
    of the first batch, as for a trainer. t(batch) = work / rate + batches × per_batch: two
    sizes give both unknowns.
    """
    import numpy as np
    import keras
    from builder import templates
    from builder.keras_build import build_model
    baseline = _rss()
    arch = templates.get("mnist-cnn").architecture
    images = 4096
    x = np.random.default_rng(0).random((images, 28, 28, 1), dtype=np.float32)
    y = keras.utils.to_categorical(np.arange(images) % 10, 10)
    model = build_model(arch)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.train_on_batch(x[:32], y[:32])
    startup = time.time() - started
    times = {}
    for batch in (32, 32, 256, 256):  # the first of each warms up
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        times[batch] = time.perf_counter() - start
    batches = {b: math.ceil(images / b) for b in times}
    per_batch = max((times[32] - times[256]) / (batches[32] - batches[256]), 0.0)
    work = 3 * analyse(arch).flops * images
    compute = max(times[256] - batches[256] * per_batch, 1e-3)
    return asdict(Calibration(work / compute, per_batch, baseline, startup_seconds=startup,
                              machine=_machine(), measured=time.time()))


def _rss() -> int:
    """Resident memory of this process, in bytes (Linux; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    print(json.dumps(_measure(float(sys.argv[1]) if len(sys.argv) > 1 else time.time())))
