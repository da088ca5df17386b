"""Opt-in: the seed tutorial's two exercises on real data, through our trainer.

Trains the seed MNIST CNN (10 epochs) and the seed CIFAR-10 CNN (20 epochs) exactly as
the tutorial does (Adam 0.001, batch 64, validation_split 0.1, categorical cross-entropy)
and prints the test accuracy of the best epoch next to the seed's numbers; ``--strong``
also trains the ``cifar10-strong`` template for 20 epochs against its 80 % goal. Needs
Keras-layout ``.npz`` files; nothing is downloaded. The full run takes 10–20 minutes on
two cores; ``--epochs 1 --limit 5000`` is a quick smoke run.

    python bench/real_data.py --mnist /work/shared/datasets/mnist.npz \
                              --cifar10 /work/shared/datasets/cifar10.npz [--epochs N] [--limit N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder import templates  # noqa: E402
from builder.execution import tf_env
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402

SEED = {"mnist": ("mnist-cnn", 10, 0.9892), "cifar10": ("cifar10-cnn", 20, 0.7062)}
STRONG = ("cifar10-strong", 20, 0.80)  # the template's goal, not a seed figure


def bench(store: Store, dataset: str, path: str, epochs: int | None, limit: int | None,
          reference: tuple[str, int, float]) -> None:
    from builder import trainer
    template, seed_epochs, seed_accuracy = reference
    settings = TrainSettings(epochs=epochs or seed_epochs, limit=limit)
    run_id = store.create_run(templates.get(template).architecture, path, settings)
    store.claim(1_000, os.getpid(), run_id)
    status = trainer.train(store, run_id)
    run = store.run(run_id)
    if status != "completed":
        print(f"{dataset}: {status} {run.error_text()}")
        return
    print(f"{dataset:8} {template:12} epochs {run.epochs_done:2}  limit {limit or '-':>6}  "
          f"test accuracy {run.results['test_accuracy']:.2%} (best epoch {run.results['best_epoch']})  "
          f"reference {seed_accuracy:.2%} after {seed_epochs}  ·  {run.train_seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", metavar="NPZ")
    parser.add_argument("--cifar10", metavar="NPZ")
    parser.add_argument("--epochs", type=int, help="override the seed's epochs (smoke runs)")
    parser.add_argument("--limit", type=int, help="train on a stratified sample of this size")
    parser.add_argument("--strong", action="store_true",
                        help="with --cifar10, also train cifar10-strong (20 epochs, goal 80 %%)")
    args = parser.parse_args()
    tf_env.apply()  # train as a trainer process does
    if not (args.mnist or args.cifar10):
        parser.error("give --mnist and/or --cifar10")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "runs.sqlite")
        for dataset in ("mnist", "cifar10"):
            if getattr(args, dataset):
                bench(store, dataset, getattr(args, dataset), args.epochs, args.limit, SEED[dataset])
        if args.strong and args.cifar10:
            bench(store, "cifar10", args.cifar10, args.epochs, args.limit, STRONG)


if __name__ == "__main__":
    main()
