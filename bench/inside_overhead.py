"""What recording inside the model costs while training (target: ≤ 3 % of training time),
and how big the recordings get (budget: ≤ 20 MB per run, e.g. the seed CIFAR-10 CNN over
20 epochs).

Each template trains through ``builder.trainer.train`` on real data from
``/work/shared/datasets`` (or ``$LAYERLAB_DATASET_DIR``) with a small ``--limit``. The
recorder's own work (probe images through the sub-model with Grad-CAM, quantising, writing
``inside.npz``) is timed inside the callback, so the ratio ``recording / training`` is
measured within one run and is not drowned by a busy machine's run-to-run noise. With
``--paired`` the same run is also trained without the recorder (noisy on a shared machine).
The file size is extrapolated to 20 epochs from the size per kept epoch.

    python bench/inside_overhead.py [--templates mnist-cnn cifar10-cnn] [--limit 5000] [--epochs 3] [--paired]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import inside, templates, trainer  # noqa: E402
from builder.datasets import DATASETS  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402

REAL_DATA = "/work/shared/datasets"


def timed_recorder(spent: dict[str, list[float]]):
    """``inside.recorder`` whose callback methods add their seconds to ``spent[name]``."""
    original = inside.recorder

    def make(sink, data):
        callback = original(sink, data)
        for name in ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end",
                     "on_train_end"):
            method = getattr(callback, name)

            def wrapped(*args, _method=method, _name=name, **kwargs):
                start = time.perf_counter()
                try:
                    return _method(*args, **kwargs)
                finally:
                    spent.setdefault(_name, []).append(time.perf_counter() - start)
            setattr(callback, name, wrapped)
        return callback
    return make


def train_once(store: Store, name: str, settings: TrainSettings,
               record: bool) -> tuple[float, dict[str, list[float]], int, int]:
    """(training seconds, recording seconds per callback method, bytes, kept epochs)."""
    template = templates.get(name)
    run_id = store.create_run(template.architecture, template.dataset, settings)
    store.claim(sys.maxsize, os.getpid(), run_id)
    spent: dict[str, list[float]] = {}
    original = inside.recorder
    inside.recorder = timed_recorder(spent) if record else (lambda sink, data: _Nothing())
    try:
        status = trainer.train(store, run_id)
    finally:
        inside.recorder = original
    run = store.run(run_id)
    assert status == "completed", run.error_text()
    path = store.artifact(run_id, inside.KIND)
    if not record:
        return run.train_seconds, {}, 0, 0
    kept = len(inside.read(path, run_id).epochs)
    return run.train_seconds, spent, path.stat().st_size, kept


class _Nothing:
    """A callback that does nothing (training without the recorder)."""

    def __new__(cls):
        import keras
        return keras.callbacks.Callback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", nargs="+", default=["mnist-cnn", "cifar10-cnn"])
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--paired", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("LAYERLAB_DATASET_DIR", REAL_DATA)
    settings = TrainSettings(epochs=args.epochs, limit=args.limit, batch_size=64)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "runs.sqlite")
        for name in args.templates:
            seconds, spent, size, kept = train_once(store, name, settings, record=True)
            recording = sum(map(sum, spent.values()))
            ends = spent["on_epoch_end"]
            steady = statistics.median(ends[1:]) if len(ends) > 1 else ends[0]
            once = recording - steady * len(ends)
            epoch = seconds / args.epochs
            full = templates.get(name).dataset
            scale = DATASETS[full].train_images * 0.9 / args.limit
            print(f"{name}: {args.limit} images × {args.epochs} epochs — training {seconds:.1f} s, "
                  f"recording {recording:.2f} s = {100 * recording / seconds:.2f} % "
                  f"(load {os.getloadavg()[0]:.1f}): once {once:.2f} s (sub-model, first call), "
                  f"then {steady * 1000:.0f} ms per epoch = {100 * steady / epoch:.2f} % of an "
                  f"epoch here, ≈ {100 * steady / (epoch * scale):.3f} % on the full set; "
                  f"file {size / 1e6:.2f} MB, ≈ {20 * size / max(kept, 1) / 1e6:.1f} MB for "
                  f"20 epochs")
            if args.paired:
                plain, _, _, _ = train_once(store, name, settings, record=False)
                print(f"  paired: with {seconds:.1f} s / without {plain:.1f} s = {seconds / plain:.3f}")


if __name__ == "__main__":
    main()
