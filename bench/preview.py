"""Live preview speed: LayerLab's analysis of a 100-layer architecture vs building the
Keras model and calling ``count_params()``. Targets: analysis ≤ 5 ms, ≥ 100× faster.

    python bench/preview.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from builder.analysis import analyse  # noqa: E402
from builder.architecture import Architecture, Layer  # noqa: E402


def hundred_layers() -> Architecture:
    """A deep CIFAR-10 CNN: 24 stages of conv, batch norm, activation, dropout; 100 layers."""
    layers = [Layer.make("Rescaling", scale=1 / 255)]
    for stage in range(24):
        layers += [Layer.make("Conv2D", filters=16 * (1 + stage // 8), padding="same",
                              activation="linear"),
                   Layer.make("BatchNormalization"), Layer.make("Activation"),
                   Layer.make("MaxPooling2D", pool_size=2, strides=1, padding="same")
                   if stage % 2 else Layer.make("Dropout", rate=0.1)]
    layers += [Layer.make("GlobalAveragePooling2D"), Layer.make("Dense", units=64),
               Layer.make("Dense", units=10, activation="softmax")]
    return Architecture((32, 32, 3), tuple(layers), "bench-100")


def timed(function, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Keras builds to time")
    repeat = parser.parse_args().repeat
    arch = hundred_layers()
    assert len(arch.layers) == 100

    ours, report = timed(lambda: analyse(arch), max(50, repeat * 10))
    import keras
    from builder.keras_build import build_model

    build_model(arch)  # warm-up: first use of Keras pays one-off costs
    keras.backend.clear_session()
    theirs, params = timed(lambda: build_model(arch).count_params(), repeat)
    assert params == report.total_params, (params, report.total_params)

    print(f"architecture: {len(arch.layers)} layers, {report.total_params:,} parameters")
    print(f"LayerLab analysis:          {ours * 1000:8.2f} ms  (target ≤ 5 ms)")
    print(f"Keras build + count_params: {theirs * 1000:8.2f} ms")
    print(f"ratio: analysis is {theirs / ours:,.0f}× faster (target ≥ 100×)")


if __name__ == "__main__":
    main()
