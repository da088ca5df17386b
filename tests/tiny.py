"""Tiny synthetic training data and models for the trainer, executor and CLI tests."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pytest

from builder.access import SOLO
from builder.architecture import Architecture, Layer
from tests.e2e.timing import scaled_s

L = Layer.make
CLASSES = 3


def images(n: int, seed: int, side: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Noise with a bright band whose row depends on the class: easy but not instant."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, CLASSES, n).astype("uint8")
    x = rng.integers(0, 120, (n, side, side), dtype=np.uint8)
    for c in range(CLASSES):
        x[y == c, 2 * c: 2 * c + 2, :] += 100
    return x, y


def write_npz(path: Path, train: int = 300, test: int = 60, seed: int = 0) -> Path:
    (x_train, y_train), (x_test, y_test) = images(train, seed), images(test, seed + 1)
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path


def model() -> Architecture:
    return Architecture((8, 8, 1), (L("Conv2D", filters=4), L("Flatten"),
                                    L("Dense", units=CLASSES, activation="softmax")), "tiny")


def exploding_model() -> Architecture:
    """Linear layers: with SGD at learning rate 10 the weights overflow within a few batches."""
    return Architecture((8, 8, 1), (L("Flatten"), L("Dense", units=32, activation="linear"),
                                    L("Dense", units=32, activation="linear"),
                                    L("Dense", units=CLASSES, activation="softmax")), "exploding")


def wait_for(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Poll ``condition`` until it holds, for ``timeout`` seconds on a quiet machine
    (scaled to this one's speed: tests.e2e.timing)."""
    timeout = scaled_s(timeout)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def continue_then_stop(store, run_id: int, more: int, resume: Callable[[], None],
                       stop: Callable[[], None], timeout: float = 180.0) -> None:
    """Continue a stopped run of a long plan (Continue never shrinks a plan, so it goes on
    for the rest of it), let ``more`` epochs pass, then Stop it again and wait until stopped."""
    before = store.run(run_id).epochs_done
    store.extend(run_id, None, actor=SOLO)
    resume()
    wait_for(lambda: store.run(run_id).epochs_done >= before + more, timeout,
             f"{more} more epoch(s) after Continue")
    stop()
    wait_for(lambda: store.run(run_id).status == "stopped", 60, "the second Stop")


SHAPES = {"mnist": (28, 28), "fashion_mnist": (28, 28), "cifar10": (32, 32, 3)}


def dataset_dir(tmp_path_factory: pytest.TempPathFactory,
                **sizes: tuple[int, int]) -> Iterator[None]:
    """Write random Keras-layout sets (``name=(train images, test images)``, 10 classes)
    and point ``$LAYERLAB_DATASET_DIR`` at them while the caller's scope lasts."""
    folder = tmp_path_factory.mktemp("datasets")
    rng = np.random.default_rng(0)
    for name, (train, test) in sizes.items():
        shape = SHAPES[name]
        np.savez(folder / f"{name}.npz",
                 x_train=rng.integers(0, 256, (train, *shape), dtype=np.uint8),
                 y_train=np.arange(train) % 10, y_test=np.arange(test) % 10,
                 x_test=rng.integers(0, 256, (test, *shape), dtype=np.uint8))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYERLAB_DATASET_DIR", str(folder))
        yield
