"""Where a run's saved weights stand, without Keras: usable files and the resume point.

The trainer saves ``last.keras`` at every epoch end and when a run stops, and next to it
``last.json``: the *point* those weights reached, ``{"epochs": complete epochs,
"batch": batches done of the next epoch, "loss", "accuracy"}`` (the running means at that
batch, so a resumed epoch's curve goes on where it stopped). Both are written to a
temporary file first and then renamed, so a full disk never damages what was saved.

A run stopped inside its first epoch has no best epoch and no ``best`` file: what it has
is the model as stopped (``last``, at the stopped batch), and that is the model its test
evaluation scored (``best_epoch`` None, ``stopped_at`` set). :func:`tested` names the file
of the model a run's results describe, so every view asks the same model.
"""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any, Callable


def stopped_early(results: dict[str, Any] | None) -> dict[str, int] | None:
    """``stopped_at`` ({epoch, batch, batches}) of results that scored the model as stopped
    because no epoch had ended (no best epoch); else None."""
    results = results or {}
    if results.get("best_epoch") is None and results.get("stopped_at"):
        return results["stopped_at"]
    return None


def tested(results: dict[str, Any] | None, artifact: Callable[[str], Path | None]) -> Path | None:
    """The saved model the results describe: the best epoch's, else (a run stopped before
    any epoch ended) the model as stopped. ``artifact(kind)`` finds a run's file."""
    best = artifact("best")
    if best is not None:
        return best
    return artifact("last") if stopped_early(results) else None


def usable(path: Path | None) -> Path | None:
    """``path`` if it is a readable ``.keras`` archive (a cheap check, no Keras), else None."""
    if path is None:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            return path if archive.testzip() is None else None
    except (OSError, zipfile.BadZipFile):
        return None


def point_path(checkpoint: Path) -> Path:
    return checkpoint.with_suffix(".json")


def saved_point(checkpoint: Path | None, epochs_done: int) -> dict[str, Any]:
    """The point ``checkpoint`` reached when it belongs to ``epochs_done`` complete epochs;
    otherwise (no file, an older save) the start of the next epoch."""
    start = {"epochs": epochs_done, "batch": 0, "loss": None, "accuracy": None}
    if checkpoint is None:
        return start
    try:
        point = json.loads(point_path(checkpoint).read_text())
    except (OSError, ValueError):
        return start
    if not isinstance(point, dict) or point.get("epochs") != epochs_done:
        return start
    return {**start, **{k: point.get(k) for k in ("batch", "loss", "accuracy")},
            "batch": int(point.get("batch") or 0)}


def replace(path: Path, write: Callable[[Path], None]) -> None:
    """``write(temporary)`` then rename it to ``path``: the old file stays whole on failure."""
    temporary = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_point(checkpoint: Path, point: dict[str, Any]) -> None:
    replace(point_path(checkpoint), lambda p: p.write_text(json.dumps(point)))
