"""Pure helpers on a run's metric rows: epoch rows, the best epoch, overfitting."""
from __future__ import annotations

from typing import Sequence

from builder.store.records import Metric


def epoch_rows(metrics: Sequence[Metric]) -> list[Metric]:
    return [m for m in metrics if m.kind == "epoch"]


def score(m: Metric) -> float:
    """How an epoch ranks for "best": validation accuracy, else training accuracy."""
    value = m.val_accuracy if m.val_accuracy is not None else m.accuracy
    return value if value is not None and value == value else float("-inf")


def best_epoch(metrics: Sequence[Metric]) -> int | None:
    """The epoch with the highest validation accuracy (the first on ties), or None."""
    epochs = epoch_rows(metrics)
    return max(epochs, key=lambda m: (score(m), -m.epoch)).epoch if epochs else None


def overfitting_since(metrics: Sequence[Metric], patience: int = 2) -> int | None:
    """The epoch from which validation loss rose while training loss fell for at least
    ``patience`` epochs in a row (the latest such stretch still going on), else None."""
    epochs = [m for m in epoch_rows(metrics) if m.val_loss is not None and m.loss is not None]
    streak = 0
    for before, now in zip(epochs, epochs[1:]):
        streak = streak + 1 if now.val_loss > before.val_loss and now.loss < before.loss else 0
    return epochs[-1].epoch - streak + 1 if streak >= patience else None
