"""What a run leaves: metric rows, the run's folder, checkpoints and other artifacts,
test-set predictions, uploads."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from builder.store.records import Metric


class Files:
    """Metric rows and files of runs."""

    def metrics(self, run_id: int, after: int = 0, kind: str | None = None) -> list[Metric]:
        """Metric rows with ``id > after`` in order; ``kind`` 'batch' or 'epoch' filters."""
        sql = "SELECT * FROM metrics WHERE run_id = ? AND id > ?"
        args: list[Any] = [run_id, after]
        if kind:
            sql, args = sql + " AND kind = ?", [*args, kind]
        return [Metric(**dict(r)) for r in self._run_sql(sql + " ORDER BY id", args).fetchall()]

    def run_dir(self, run_id: int) -> Path:
        return self.files / str(run_id)

    def stop_file(self, run_id: int) -> Path:
        """Present while a Stop of the run waits for its trainer (``request_stop``)."""
        return self.run_dir(run_id) / "stop"

    def lease_dir(self, run_id: int, token: int) -> Path:
        """Where the trainer holding lease ``token`` writes its files: a paused trainer that
        wakes up after losing its lease cannot overwrite its successor's checkpoints."""
        return self.run_dir(run_id) / f"lease-{token}"

    def add_artifact(self, run_id: int, kind: str, path: Path, token: int | None = None) -> None:
        with self.transaction() as db:
            if token is not None:
                self._fenced(run_id, token, {"heartbeat": time.time()}, db)
            db.execute("INSERT OR REPLACE INTO artifacts (run_id, kind, path, created) "
                       "VALUES (?, ?, ?, ?)", (run_id, kind, str(path), time.time()))

    def _tidy(self, run_id: int, token: int) -> None:
        """Remove the folders of earlier leases that hold none of the run's artifacts."""
        kept = {Path(r[0]).parent for r in self._run_sql(
            "SELECT path FROM artifacts WHERE run_id = ?", (run_id,)).fetchall()}
        for folder in self.run_dir(run_id).glob("lease-*"):
            if folder != self.lease_dir(run_id, token) and folder not in kept:
                shutil.rmtree(folder, ignore_errors=True)

    def artifact(self, run_id: int, kind: str) -> Path | None:
        """The file of kind 'best', 'last' or 'predictions', if it exists."""
        row = self._run_sql("SELECT path FROM artifacts WHERE run_id = ? AND kind = ?",
                            (run_id, kind)).fetchone()
        return Path(row[0]) if row and Path(row[0]).exists() else None

    def predictions(self, run_id: int) -> dict[str, np.ndarray] | None:
        """Test-set ``label``, ``predicted``, ``confidence`` (all images) and ``indices`` +
        ``images`` of the most confident mistakes, or None before evaluation."""
        path = self.artifact(run_id, "predictions")
        if path is None:
            return None
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}

    def keep_upload(self, data: bytes) -> str:
        """Store an uploaded ``.npz`` by content hash; returns the dataset spec (its path)."""
        import hashlib
        folder = self.files / "uploads"
        folder.mkdir(exist_ok=True)
        path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.npz"
        if not path.exists():
            path.write_bytes(data)
        return str(path)
