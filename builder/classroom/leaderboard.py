"""The leaderboard: each student's best run, scored on a public and a private half.

As in Kaggle competitions the test set is split once, by a fixed seed, into two halves
(the same for every run and every student). During class a run's score is its accuracy
on the **public** half; the **private** half stays hidden until the teacher reveals it
(``class.revealed``). Each student's entry is their best run by public accuracy among
finished runs that keep the challenge (with no challenge: all finished runs); after
Reveal the same entries are ranked by private accuracy and each shows how many places it
moved. Scores come from a run's ``predictions`` artifact (``label`` and ``predicted`` for
every test image) and are cached by file and modification time.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from builder import formats
from builder.analysis import analyse
from builder.classroom import TEACHER
from builder.classroom.challenge import current, meets
from builder.compare import csv_cell
from builder.datasets import DATASETS

SEED = 20_240_515
REVEALED = "class.revealed"
SCORED = ("completed", "stopped")
PERCENT = ("public_accuracy", "private_accuracy")  # written in percent points in the CSV


@dataclass(frozen=True)
class Entry:
    rank: int
    owner: str
    run_id: int
    run_name: str
    public_accuracy: float
    private_accuracy: float | None   # None until revealed
    final_rank: int | None           # None until revealed
    moved: int | None                # places gained (+) or lost (−) at Reveal
    params: int
    epochs: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def public_half(n: int) -> np.ndarray:
    """A boolean mask over ``n`` test images: True for the public half (fixed seed)."""
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(SEED).permutation(n)[: n // 2]] = True
    return mask


def split_scores(label: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """(public accuracy, private accuracy) of one run's test-set predictions."""
    right = np.asarray(label).ravel() == np.asarray(predicted).ravel()
    public = public_half(right.size)
    return float(right[public].mean()), float(right[~public].mean())


@lru_cache(maxsize=4096)
def _scores_of(path: str, mtime_ns: int) -> tuple[float, float] | None:
    try:
        with np.load(path, allow_pickle=False) as npz:
            if "label" not in npz.files or "predicted" not in npz.files or npz["label"].size < 2:
                return None
            return split_scores(npz["label"], npz["predicted"])
    except (OSError, ValueError):
        return None


def run_scores(store, run_id: int) -> tuple[float, float] | None:
    """A run's (public, private) accuracy, or None before it has test predictions."""
    path: Path | None = store.artifact(run_id, "predictions")
    if path is None:
        return None
    try:
        return _scores_of(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def leaderboard(store, revealed: bool | None = None) -> list[Entry]:
    """The ranking: public order before Reveal; final (private) order after it.

    ``revealed`` None reads ``class.revealed`` from the store."""
    revealed = bool(store.get_setting(REVEALED, False)) if revealed is None else revealed
    challenge = current(store)
    best: dict[str, tuple[Any, tuple[float, float]]] = {}
    for run in sorted(store.runs(), key=lambda r: r.id):
        if not run.owner or run.owner == TEACHER or run.status not in SCORED:
            continue
        scores = run_scores(store, run.id)
        if scores is None or not meets(challenge, run):
            continue
        held = best.get(run.owner)
        if held is None or scores[0] > held[1][0]:
            best[run.owner] = (run, scores)
    return rank([(run, scores) for run, scores in best.values()], revealed)


def rank(entries: Sequence[tuple[Any, tuple[float, float]]], revealed: bool) -> list[Entry]:
    """Rank (run, (public, private)) pairs; ties go to the earlier run."""
    public = sorted(entries, key=lambda e: (-e[1][0], e[0].id))
    private = sorted(entries, key=lambda e: (-e[1][1], e[0].id))
    final = {e[0].id: i + 1 for i, e in enumerate(private)}
    out = [_entry(i + 1, run, scores, final[run.id] if revealed else None)
           for i, (run, scores) in enumerate(public)]
    return sorted(out, key=lambda e: e.final_rank) if revealed else out


def _entry(rank_: int, run, scores: tuple[float, float], final: int | None) -> Entry:
    info = DATASETS.get(run.dataset)
    params = analyse(run.architecture, info.classes if info else None).total_params
    return Entry(rank=rank_, owner=run.owner, run_id=run.id, run_name=run.name,
                 public_accuracy=scores[0], private_accuracy=scores[1] if final else None,
                 final_rank=final, moved=rank_ - final if final else None,
                 params=params, epochs=run.epochs_done, seconds=round(run.train_seconds, 1))


def ranking_csv(entries: Sequence[Entry]) -> str:
    """The ranking as CSV; accuracy in percent points as the pages show it
    (:mod:`builder.formats`); text cells neutralised against spreadsheet formulas (OWASP)."""
    names = list(Entry.__dataclass_fields__)
    rows = [["" if v is None else csv_cell(formats.points(v) if n in PERCENT else v)
             for n, v in ((n, getattr(e, n)) for n in names)] for e in entries]
    header = [f"{n}_percent" if n in PERCENT else n for n in names]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC).writerows([header, *rows])  # cells: csv_cell
    return out.getvalue()
