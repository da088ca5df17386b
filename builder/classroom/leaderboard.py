"""The leaderboard: each student's best run, scored on a public and a private half.

As in Kaggle competitions the test set is split once, by a fixed seed, into two halves
(the same for every run and every student). During class a run's score is its accuracy
on the **public** half; the **private** half stays hidden until the teacher reveals it
(``class.revealed``). Each student's entry is their best run by public accuracy among
finished runs that keep the challenge; after Reveal the same entries are ranked by
private accuracy and each shows how many places it moved.

Only runs on the board's dataset rank (:func:`board_dataset`: the challenge's, else the
teacher's current one, else ``mnist``), and only against that registered set's own test
labels (:func:`reference_labels`), never labels a run brought along: a run trained on an
uploaded file, another set, or predictions of another test set is listed by
:func:`not_ranked` with the reason instead. Scores come from a run's ``predictions``
artifact (``predicted`` for every test image) and are cached by file and modification
time.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from builder import datasets, formats
from builder.analysis import analyse
from builder.classroom import TEACHER
from builder.classroom.challenge import current, meets
from builder.classroom.halves import public_half
from builder.compare import csv_cell
from builder.datasets import DATASETS

REVEALED = "class.revealed"
TEACHER_DATASET = "class.dataset"   # the dataset the teacher has open (set by the app)
FALLBACK_DATASET = "mnist"
SCORED = ("completed", "stopped")
PERCENT = ("public_accuracy", "private_accuracy")  # written in percent points in the CSV


@dataclass(frozen=True)
class NotRanked:
    """A finished student run the board leaves out, and why (a text key ``class.why_*``)."""
    owner: str
    run_id: int
    run_name: str
    reason: str
    dataset: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    epochs: float                    # epochs trained; a Stop's unfinished epoch counts its share
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def split_scores(label: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """(public accuracy, private accuracy) of one run's test-set predictions."""
    right = np.asarray(label).ravel() == np.asarray(predicted).ravel()
    public = public_half(right.size)
    return float(right[public].mean()), float(right[~public].mean())


def board_dataset(store) -> str:
    """The registered dataset the board ranks: the challenge's, else the teacher's current
    one, else ``FALLBACK_DATASET``."""
    challenge = current(store)
    if challenge is not None and challenge.dataset:
        return challenge.dataset
    name = store.get_setting(TEACHER_DATASET, None)
    return name if isinstance(name, str) and name in DATASETS else FALLBACK_DATASET


@lru_cache(maxsize=8)
def reference_labels(name: str) -> np.ndarray | None:
    """The registered set's own test labels, or None where reading them would load Keras
    in this process (then a run's labels count only if they are as many as the set's)."""
    if datasets.needs_keras(name):
        return None
    return np.asarray(datasets.load(name).y_test).ravel()


@lru_cache(maxsize=4096)
def _scores_of(path: str, mtime_ns: int, name: str) -> tuple[float, float] | None:
    """(public, private) against ``name``'s test labels; None when the file is not a
    prediction of every image of that test set."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            if "predicted" not in npz.files:
                return None
            predicted = npz["predicted"].ravel()
            label = reference_labels(name)
            if label is None and "label" in npz.files:
                label = npz["label"].ravel()
                if label.size != DATASETS[name].test_images:
                    return None
            if label is None or predicted.size != label.size or label.size < 2:
                return None
            return split_scores(label, predicted)
    except (OSError, ValueError):
        return None


def run_scores(store, run_id: int, dataset: str | None = None) -> tuple[float, float] | None:
    """A run's (public, private) accuracy on ``dataset``'s test set (default: the run's
    own, when it is a registered set), or None."""
    name = dataset or store.run(run_id).dataset
    path: Path | None = store.artifact(run_id, "predictions")
    if path is None or name not in DATASETS:
        return None
    try:
        return _scores_of(str(path), path.stat().st_mtime_ns, name)
    except OSError:
        return None


def leaderboard(store, revealed: bool | None = None) -> list[Entry]:
    """The ranking: public order before Reveal; final (private) order after it.

    ``revealed`` None reads ``class.revealed`` from the store."""
    revealed = bool(store.get_setting(REVEALED, False)) if revealed is None else revealed
    best: dict[str, tuple[Any, tuple[float, float]]] = {}
    for run, scores, _ in _judged(store):
        if scores is None:
            continue
        held = best.get(run.owner)
        if held is None or scores[0] > held[1][0]:
            best[run.owner] = (run, scores)
    return rank([(run, scores) for run, scores in best.values()], revealed)


def not_ranked(store) -> list[NotRanked]:
    """Every finished student run the board leaves out, with the reason."""
    return [NotRanked(run.owner, run.id, run.name, why, run.dataset)
            for run, scores, why in _judged(store) if scores is None]


def _judged(store) -> Iterator[tuple[Any, tuple[float, float] | None, str]]:
    """(run, scores or None, reason or '') for every finished student run, by id."""
    name, challenge = board_dataset(store), current(store)
    for run in sorted(store.runs(), key=lambda r: r.id):
        if not run.owner or run.owner == TEACHER or run.status not in SCORED:
            continue
        if run.dataset != name:
            yield run, None, "class.why_dataset"
        elif not meets(challenge, run):
            yield run, None, "class.why_rules"
        else:
            scores = run_scores(store, run.id, name)
            yield run, scores, "" if scores is not None else "class.why_test_set"


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
                 params=params, epochs=trained_epochs(run), seconds=round(run.train_seconds, 1))


def trained_epochs(run) -> float:
    """Whole epochs done, plus the share of the epoch a Stop ended in (2 batches of 10 after
    one epoch: 1.2), so a run stopped inside its first epoch shows what it trained, not 0."""
    stopped = (run.results or {}).get("stopped_at") or {}
    if stopped.get("epoch") != run.epochs_done + 1 or not stopped.get("batches"):
        return run.epochs_done
    return round(run.epochs_done + stopped["batch"] / stopped["batches"], 2)


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
