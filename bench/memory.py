"""Peak memory during a full-size MNIST run: the server's and the trainer's, the trainer
against a plain Keras script doing the same work (``fit`` + ``evaluate``) in its own process.

A browser opens the Train page of a queued run (the page's executor starts the trainer,
as Start does) and watches it train to the end. Peaks are ``VmHWM`` from
``/proc/<pid>/status``, sampled while the processes live. The data is 60,000 + 10,000
generated 28×28 images (MNIST's size) through ``$LAYERLAB_DATASET_DIR``, or the real file
with ``--mnist PATH``.

    python bench/memory.py [--epochs 1] [--mnist /work/shared/datasets/mnist.npz]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import chromium, mib, new_page, peak_kib, serve, wait_idle  # noqa: E402
from bench.training_overhead import synthetic  # noqa: E402
from builder import templates  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402

TEMPLATE = "mnist-cnn"
TRAIN_TIMEOUT_S = 900


def plain_keras_peak(path: str, settings: TrainSettings) -> int:
    """Peak KiB of a fresh process that trains the same model with plain Keras."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from bench.memory import plain_child; "
            "plain_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))")
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parents[1]), path,
                          str(settings.epochs), str(settings.batch_size)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return int(out.stdout.split()[-1])


def plain_child(path: str, epochs: int, batch_size: int) -> None:
    """The seed tutorial's steps; prints this process's peak RSS in KiB."""
    import keras
    from builder.keras_build import build_model
    with np.load(path) as d:
        x, y = d["x_train"][..., None] / np.float32(255), keras.utils.to_categorical(d["y_train"], 10)
        x_test, y_test = d["x_test"][..., None] / np.float32(255), keras.utils.to_categorical(d["y_test"], 10)
    model = build_model(templates.get(TEMPLATE).architecture)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=0.1, verbose=0)
    model.evaluate(x_test, y_test, verbose=0)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def watch(store: Store, run_id: int, server_pid: int) -> tuple[int, int, str]:
    """Sample peaks until the run ends: (server KiB, trainer KiB, final status)."""
    trainer_peak, deadline = 0, time.monotonic() + TRAIN_TIMEOUT_S
    while time.monotonic() < deadline:
        run = store.run(run_id)
        if run.worker_pid:
            trainer_peak = max(trainer_peak, peak_kib(run.worker_pid) or 0)
        if run.status not in ("queued", "running", "stopping"):
            return peak_kib(server_pid) or 0, trainer_peak, run.status
        time.sleep(0.2)
    raise TimeoutError("the run did not finish in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--mnist", help="a Keras-layout mnist.npz instead of generated images")
    args = parser.parse_args()
    settings = TrainSettings(epochs=args.epochs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = Path(args.mnist) if args.mnist else folder / "mnist.npz"
        if not args.mnist:
            synthetic(data, 60_000)
        store = Store.open(folder / "runs.sqlite")
        run_id = store.create_run(templates.get(TEMPLATE).architecture, "mnist", settings)
        with serve(store.path, LAYERLAB_DATASET_DIR=str(data.parent)) as server, \
                chromium() as browser:
            idle_server = peak_kib(server.pid)
            page = new_page(browser)
            page.goto(f"{server.url}/train?run={run_id}")  # the page's poll starts the trainer
            wait_idle(page)
            server_peak, trainer_peak, status = watch(store, run_id, server.pid)
            seconds = store.run(run_id).train_seconds
        plain_peak = plain_keras_peak(str(data), settings)
    print(f"data: {'file ' + args.mnist if args.mnist else 'generated'} 60,000 + 10,000 "
          f"28×28 images; seed MNIST CNN, {args.epochs} epoch(s), batch 64; run {status} "
          f"after {seconds:.0f} s of training")
    print(f"server peak RSS   : {mib(server_peak)} (after start, before training: {mib(idle_server)})")
    print(f"trainer peak RSS  : {mib(trainer_peak)}")
    print(f"plain Keras script: {mib(plain_peak)}")
    print(f"ratio trainer / plain Keras: {trainer_peak / plain_peak:.2f}")


if __name__ == "__main__":
    main()
