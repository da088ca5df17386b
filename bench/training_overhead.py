"""Training through LayerLab against plain ``model.fit``, by CPU time as well as wall time
(target: LayerLab / plain ≤ 0.95 at equal accuracy, ± 0.2 points).

The same model (the seed MNIST CNN), images, epochs and batch size go through plain Keras
(the seed script: pixels / 255 as a float32 array, ``fit`` with ``validation_split``, then
``evaluate``) and through ``builder.trainer.train`` (store writes, per-batch metrics, best
and last checkpoints, test evaluation with confusion matrix). Each runs in its own process,
as it would for a user: the plain one with this environment as it is (a user's own script),
ours with what the executor gives a trainer (``builder.execution.tf_env``). Each process warms up once
(TensorFlow's import is not counted), then the two alternate (A B, B A, …) ``--repeats``
times. Each job's *CPU time* is its process's user + system time (``resource.getrusage``:
every thread, TensorFlow's included) — the work done, which a busy machine inflates far
less than the wall clock. Reported: median and spread (min–max) of both, the ratio of the
medians, and the test accuracy of each.

    python bench/training_overhead.py [--dataset mnist|synthetic] [--limit 6000]
        [--epochs 2] [--batch-size 64] [--repeats 3]

``--dataset mnist`` reads ``$LAYERLAB_DATASET_DIR/mnist.npz`` (e.g. the shared offline
copy); ``synthetic`` (the default without one) uses MNIST-shaped noise with a learnable
stripe, where accuracies say little.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import datasets, templates  # noqa: E402
from builder.execution import tf_env
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


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(job: Callable[[], float]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, test accuracy) of one call."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    accuracy = job()
    return time.perf_counter() - wall, cpu_seconds() - cpu, accuracy


def plain(arch, source: str, settings: TrainSettings) -> float:
    """The seed script on the same images (the same stratified sample as the trainer's)."""
    import keras
    from builder.keras_build import build_model
    data = datasets.load(source)
    keep = datasets.stratified_sample(data.y_train, settings.limit, settings.seed)
    x, y = data.x_train[keep] / np.float32(255), keras.utils.to_categorical(data.y_train[keep], 10)
    x_test, y_test = data.x_test / np.float32(255), keras.utils.to_categorical(data.y_test, 10)
    keras.backend.clear_session()
    keras.utils.set_random_seed(settings.seed)
    model = build_model(arch)
    model.compile(optimizer=keras.optimizers.Adam(settings.learning_rate),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=settings.epochs, batch_size=settings.batch_size,
              validation_split=settings.validation_split, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


def ours(arch, source: str, settings: TrainSettings, store: Store) -> float:
    from builder import trainer
    run_id = store.create_run(arch, source, settings)
    store.claim(1_000, os.getpid(), run_id)
    status = trainer.train(store, run_id)
    run = store.run(run_id)
    assert status == "completed", run.error_text()
    return float(run.results["test_accuracy"])


def summary(name: str, values: list[float]) -> str:
    return (f"{name:<26}: median {statistics.median(values):7.2f} s  "
            f"(min {min(values):.2f}, max {max(values):.2f}, n {len(values)})")


def serve(args: argparse.Namespace) -> None:
    """A child process: one kind of job (``--serve plain|ours``), warmed up once, then one
    measured job per ``go`` line on stdin, each answered with a JSON line."""
    if args.serve == "ours":
        tf_env.apply()  # what the executor gives every trainer process
    arch = templates.get("mnist-cnn").architecture
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size, limit=args.limit)
    warm = TrainSettings(epochs=1, batch_size=args.batch_size, limit=600)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "runs.sqlite")
        job = ((lambda s: plain(arch, args.source, s)) if args.serve == "plain"
               else (lambda s: ours(arch, args.source, s, store)))
        job(warm)
        for _ in sys.stdin:
            wall, cpu, accuracy = measured(lambda: job(settings))
            print(json.dumps({"wall": wall, "cpu": cpu, "accuracy": accuracy}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist" if os.environ.get("LAYERLAB_DATASET_DIR")
                        else "synthetic")
    parser.add_argument("--limit", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--serve", choices=("plain", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args)
    results: dict[str, list[tuple[float, float, float]]] = {"plain": [], "ours": []}
    with tempfile.TemporaryDirectory() as tmp:
        source = args.dataset
        if source == "synthetic":
            source = str(Path(tmp) / "data.npz")
            synthetic(Path(source), args.limit + args.limit // 9)
        children = {name: subprocess.Popen(
            [sys.executable, __file__, *sys.argv[1:], "--serve", name, "--source", source],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=plain_environment())
            for name in results}
        for repeat in range(args.repeats):
            order = ("plain", "ours") if repeat % 2 == 0 else ("ours", "plain")
            for name in order:
                children[name].stdin.write("go\n")
                children[name].stdin.flush()
                answer = json.loads(children[name].stdout.readline())
                results[name].append((answer["wall"], answer["cpu"], answer["accuracy"]))
        for child in children.values():
            child.stdin.close()
            child.wait()
    load = os.getloadavg()[0]
    print(f"{args.dataset}: {args.limit} images × {args.epochs} epochs, batch {args.batch_size}, "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    medians = {}
    for name, label in (("plain", "plain model.fit + evaluate"), ("ours", "builder.trainer.train")):
        wall, cpu, accuracy = zip(*results[name])
        medians[name] = (statistics.median(wall), statistics.median(cpu))
        print(summary(f"{label} wall", list(wall)))
        print(summary(f"{label} CPU", list(cpu)))
        print(f"{label + ' accuracy':<26}: {', '.join(f'{a:.2%}' for a in accuracy)}")
    print(f"ratio LayerLab / plain     : CPU {medians['ours'][1] / medians['plain'][1]:.3f}, "
          f"wall {medians['ours'][0] / medians['plain'][0]:.3f}  (target ≤ 0.95)")


def plain_environment() -> dict[str, str]:
    """This environment without the variables LayerLab sets for its trainers (unless the
    user set them), so the plain arm runs as a user's own Keras script would."""
    return {name: value for name, value in os.environ.items()
            if name not in tf_env.DEFAULTS or name in USER_SET}


USER_SET = set(os.environ) & set(tf_env.DEFAULTS)


if __name__ == "__main__":
    main()
