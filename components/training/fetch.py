"""Download a registered dataset in a process of its own, for the Train page's preview.

``keras.datasets`` imports Keras, which the Streamlit server must never do, so the page
runs ``python -m components.training.fetch NAME FOLDER``. It writes ``FOLDER/NAME.json``
(``{"done", "total"}`` while downloading, then ``{"ok": true}`` or ``{"error": {lang: text}}``)
and, on success, ``FOLDER/NAME.npz`` in the Keras layout with ``class_names``, which the
server can read with NumPy alone. The trainer later finds the download in Keras's cache.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from builder import datasets
from builder.errors import LabError
from builder.text import LANGUAGES

REPORT_EVERY = 0.2  # seconds between progress writes


def status_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.json"


def data_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.npz"


def main(name: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    last = 0.0

    def progress(done: int, total: int | None) -> None:
        nonlocal last
        if time.monotonic() - last >= REPORT_EVERY:
            last = time.monotonic()
            _write(status_path(folder, name), {"done": done, "total": total})

    try:
        data = datasets.load(name, progress=progress)
    except LabError as exc:
        _write(status_path(folder, name), {"error": {lang: exc.text(lang) for lang in LANGUAGES}})
        return
    partial = folder / f"{name}.partial.npz"
    np.savez(partial, x_train=data.x_train, y_train=data.y_train, x_test=data.x_test,
             y_test=data.y_test, class_names=np.array(data.class_names))
    os.replace(partial, data_path(folder, name))
    _write(status_path(folder, name), {"ok": True})


def _write(path: Path, doc: dict[str, Any]) -> None:
    """Replace ``path`` atomically, so the page never reads half a file."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(doc))
    os.replace(partial, path)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
