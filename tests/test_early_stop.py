"""A run stopped inside its first epoch: no best epoch, the model as stopped is the one
tested, and every reader of the results says so (no Keras here; the trainer's side is in
tests/test_trainer.py, the Train page's in tests/test_train_page.py)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from builder import checkpoints
from builder.classroom.leaderboard import trained_epochs
from builder.cli.train import model_tested

EARLY = {"test_accuracy": 0.9, "best_epoch": None, "stopped_at": {"epoch": 1, "batch": 120, "batches": 938}}
LATER = {"test_accuracy": 0.9, "best_epoch": 2, "stopped_at": {"epoch": 3, "batch": 5, "batches": 10}}


def files(*kinds: str):
    return lambda kind: Path(f"{kind}.keras") if kind in kinds else None


def test_the_tested_model_is_the_best_epochs_else_the_model_as_stopped():
    assert checkpoints.stopped_early(EARLY) == EARLY["stopped_at"]
    assert checkpoints.stopped_early(LATER) is None and checkpoints.stopped_early(None) is None
    assert checkpoints.tested(EARLY, files("last")) == Path("last.keras")
    assert checkpoints.tested(LATER, files("best", "last")) == Path("best.keras")
    assert checkpoints.tested(None, files("last")) is None  # not evaluated: nothing to ask
    assert checkpoints.tested({"best_epoch": None, "stopped_at": None}, files("last")) is None


def test_the_leaderboard_counts_the_share_of_the_epoch_a_stop_ended_in():
    assert trained_epochs(SimpleNamespace(epochs_done=0, results=EARLY)) == 0.13
    assert trained_epochs(SimpleNamespace(epochs_done=2, results=LATER)) == 2.5
    assert trained_epochs(SimpleNamespace(epochs_done=2, results={"stopped_at": None})) == 2
    assert trained_epochs(SimpleNamespace(epochs_done=3, results=None)) == 3


def test_the_cli_outcome_names_the_model_its_scores_describe():
    assert model_tested(EARLY) == "as_stopped" and model_tested(LATER) == "best_epoch"
    assert model_tested({}) is None
