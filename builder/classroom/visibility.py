"""What an actor may see of runs and of their results.

Runs: everyone sees every run, unless the teacher hides others' runs until Reveal
(``class.hide_others``); then a student sees only their own.

Results: in a class before Reveal (``class.revealed``) a student sees each run's test
results on the **public half** of the test set only (:mod:`builder.classroom.halves`,
the leaderboard's split), so the hidden half's score cannot be worked out from the
run's page and the board: test loss and accuracy, per-class accuracy, the confusion
matrix and the mistakes are recomputed on the public half (:func:`results_of`), and the
predictions keep only the public half's answers (:func:`predictions_of`, which the
galleries draw from). The teacher, LayerLab without class mode (``SOLO``) and everyone
after Reveal see everything. (Inside the model's probe images are always public-half
images: :func:`builder.inside.probe_indices`.)
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from builder.access import Actor
from builder.classroom.halves import public_half
from builder.classroom.leaderboard import REVEALED

HIDE = "class.hide_others"
PUBLIC = "public"    # results["half"] when they cover the public half only


def visible(store, runs: Sequence, actor: Actor) -> list:
    """The runs of ``runs`` that ``actor`` may see, each with the results it may see."""
    own, half = view(store, actor)
    if own is not None:
        runs = [r for r in runs if r.owner == own]
    if not half:
        return list(runs)
    return [replace(r, results=results_of(store, r, actor)) if r.results else r for r in runs]


def view(store, actor: Actor) -> tuple[str | None, bool]:
    """What decides what ``actor`` sees: actors with equal views see the same runs and
    results (a key for what sessions share). It is (the owner whose runs alone are shown,
    or None for everyone's; whether results cover the public half only)."""
    own = not actor.teacher and store.get_setting(HIDE, False) and not _revealed(store)
    return (actor.name if own else None), half_only(store, actor)


def half_only(store, actor: Actor) -> bool:
    """Whether ``actor`` sees test results on the public half only (a student before Reveal)."""
    return not actor.teacher and not _revealed(store)


def results_of(store, run, actor: Actor) -> dict[str, Any] | None:
    """``run.results`` as ``actor`` may see them: all, or the public half's (None when
    the predictions needed for that are missing)."""
    if not run.results or not half_only(store, actor):
        return run.results
    path: Path | None = store.artifact(run.id, "predictions")
    if path is None:
        return None
    try:
        public = _public_results(str(path), path.stat().st_mtime_ns,
                                 len(run.results.get("class_names") or ()),
                                 len(run.results.get("mistakes") or ()))
    except (OSError, ValueError, KeyError):
        return None
    keep = {k: run.results[k] for k in ("best_epoch", "class_names", "stopped_at", "notes")
            if k in run.results}
    return {**keep, **public}


def predictions_of(store, run, actor: Actor) -> dict[str, np.ndarray] | None:
    """``store.predictions(run.id)`` as ``actor`` may see them: before Reveal a student's
    have ``predicted`` −1 and ``confidence`` 0 on the private half, and only the public
    half's mistakes; ``shown`` marks the test images that may be drawn."""
    predictions = store.predictions(run.id)
    if predictions is None:
        return None
    n = len(predictions["label"])
    if not half_only(store, actor):
        return {**predictions, "shown": np.ones(n, dtype=bool)}
    public = public_half(n)
    kept = public[predictions["indices"]]
    out = {k: v for k, v in predictions.items() if k != "truth"}
    out.update(predicted=np.where(public, predictions["predicted"], -1),
               confidence=np.where(public, predictions["confidence"], 0),
               indices=predictions["indices"][kept], images=predictions["images"][kept],
               shown=public)
    return out


@lru_cache(maxsize=1024)
def _public_results(path: str, mtime_ns: int, classes: int, listed: int) -> dict[str, Any]:
    """Test results of a predictions file on its public half, ``listed`` mistakes named
    (cached per file version)."""
    with np.load(path, allow_pickle=False) as npz:
        label, predicted = npz["label"].astype(int), npz["predicted"].astype(int)
        truth = npz["truth"].astype("float64") if "truth" in npz.files else None
        confidence, mistakes = npz["confidence"], npz["indices"]
    public = public_half(label.size)
    classes = max(classes, int(max(label.max(), predicted.max())) + 1)
    y, p = label[public], predicted[public]
    confusion = np.bincount(y * classes + p, minlength=classes ** 2).reshape(classes, classes)
    per_class = [float(confusion[c, c] / confusion[c].sum()) if confusion[c].sum() else None
                 for c in range(classes)]
    loss = None if truth is None else float(-np.log(np.clip(truth[public], 1e-7, 1)).mean())
    shown = [int(i) for i in mistakes if public[i]]
    return {"half": PUBLIC, "test_accuracy": float((y == p).mean()),
            "test_loss": loss if loss is None or np.isfinite(loss) else None,
            "confusion": confusion.tolist(), "per_class_accuracy": per_class,
            "mistakes": [{"index": i, "label": int(label[i]), "predicted": int(predicted[i]),
                          "confidence": round(float(confidence[i]), 4)} for i in shown[:listed]]}


def _revealed(store) -> bool:
    return bool(store.get_setting(REVEALED, False))
