"""How fast the inference worker answers a drawing (target: warm ≤ 1 s).

A run of the seed MNIST CNN (built, not trained: the work per answer is the same) is put
in a temporary store with its ``best`` model; then the server's path is timed end to end:
``inference.predict`` with a 28×28 drawing → request file → worker process → probabilities
and every layer's feature maps read back. The first answer includes starting the worker
(TensorFlow's import and the model's load); the rest are warm.

    python bench/inference_latency.py [--template mnist-cnn] [--repeats 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import inference, templates  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402


def finished_run(store: Store, name: str) -> int:
    """A completed run of template ``name`` with an (untrained) best model saved."""
    from builder.keras_build import build_model
    template = templates.get(name)
    run_id = store.create_run(template.architecture, template.dataset, TrainSettings(),
                              status="completed")
    path = store.run_dir(run_id)
    path.mkdir(parents=True)
    build_model(template.architecture).save(path / "best.keras")
    store.add_artifact(run_id, "best", path / "best.keras")
    return run_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="mnist-cnn")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "runs.sqlite")
        run_id = finished_run(store, args.template)
        side = templates.get(args.template).architecture.input_shape
        rng = np.random.default_rng(0)
        phases: list[str] = []
        start = time.perf_counter()
        inference.predict(store, run_id, np.zeros(side[:2], "uint8"), progress=phases.append)
        cold = time.perf_counter() - start
        warm = []
        for _ in range(args.repeats):
            drawing = (rng.random(side[:2]) > 0.8).astype("uint8") * 255
            start = time.perf_counter()
            inference.predict(store, run_id, drawing)
            warm.append(time.perf_counter() - start)
        inference.WORKER.close()
    import os
    print(f"{args.template}: cold {cold:.2f} s (phases: {', '.join(phases)}); warm median "
          f"{statistics.median(warm) * 1000:.0f} ms, max {max(warm) * 1000:.0f} ms over "
          f"{len(warm)} drawings (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
