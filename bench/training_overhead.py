"""How much our trainer costs on top of plain ``model.fit`` (target: ratio ≤ 1.02).

The same model (the seed MNIST CNN), synthetic data, epochs and batch size go through
plain Keras (``fit`` with ``validation_split`` then ``evaluate``, as the seed script) and
through ``builder.trainer.train`` (store writes, per-batch metrics, best checkpoint,
test evaluation with confusion matrix). Both run in this process, after one warm-up, so
TensorFlow's import and a trainer process's start (a few seconds, once) are not counted.
The two alternate ``--repeats`` times and the fastest of each is compared.

    python bench/training_overhead.py [--images 20000] [--epochs 3] [--batch-size 64] [--repeats 2]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import templates  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402


def synthetic(path: Path, images: int, seed: int = 0) -> None:
    """MNIST-shaped noise with a class-dependent bright stripe (learnable, not trivial)."""
    rng = np.random.default_rng(seed)

    def split(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, 10, n).astype("uint8")
        x = rng.integers(0, 200, (n, 28, 28), dtype=np.uint8)
        for c in range(10):
            x[y == c, 2 * c + 4, :] = 255
        return x, y

    (x_train, y_train), (x_test, y_test) = split(images), split(images // 6)
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def plain(arch, path: Path, settings: TrainSettings) -> float:
    import keras
    from builder.keras_build import build_model
    start = time.perf_counter()
    with np.load(path) as d:
        x, y = d["x_train"][..., None] / np.float32(255), keras.utils.to_categorical(d["y_train"], 10)
        x_test = d["x_test"][..., None] / np.float32(255)
        y_test = keras.utils.to_categorical(d["y_test"], 10)
    keras.backend.clear_session()
    keras.utils.set_random_seed(settings.seed)
    model = build_model(arch)
    model.compile(optimizer=keras.optimizers.Adam(settings.learning_rate),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=settings.epochs, batch_size=settings.batch_size,
              validation_split=settings.validation_split, verbose=0)
    model.evaluate(x_test, y_test, verbose=0)
    return time.perf_counter() - start


def ours(arch, path: Path, settings: TrainSettings, store: Store) -> float:
    from builder import trainer
    run_id = store.create_run(arch, str(path), settings)
    store.claim(1_000, os.getpid(), run_id)
    start = time.perf_counter()
    status = trainer.train(store, run_id)
    seconds = time.perf_counter() - start
    assert status == "completed", store.run(run_id).error_text()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    arch = templates.get("mnist-cnn").architecture
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size)
    with tempfile.TemporaryDirectory() as tmp:
        data, store = Path(tmp) / "data.npz", Store.open(Path(tmp) / "runs.sqlite")
        synthetic(data, args.images)
        warm = Path(tmp) / "warm.npz"
        synthetic(warm, 600, seed=1)
        plain(arch, warm, TrainSettings(epochs=1))
        ours(arch, warm, TrainSettings(epochs=1), store)
        times: dict[str, list[float]] = {"plain": [], "ours": []}
        for _ in range(args.repeats):
            times["plain"].append(plain(arch, data, settings))
            times["ours"].append(ours(arch, data, settings, store))
        keras_s, our_s = min(times["plain"]), min(times["ours"])
    print(f"{args.images} images × {args.epochs} epochs, batch {args.batch_size}")
    print(f"plain model.fit + evaluate : {keras_s:7.2f} s")
    print(f"builder.trainer.train      : {our_s:7.2f} s")
    print("all runs (s)                :", {k: [round(t, 2) for t in v] for k, v in times.items()})
    print(f"ratio                      : {our_s / keras_s:7.3f}  (target ≤ 1.02)")


if __name__ == "__main__":
    main()
