"""The run store: every training run, its metrics and its files, in one SQLite database.

One Streamlit server and several trainer processes share the file (WAL mode, a busy
timeout, short transactions). Where it lives: ``$LAYERLAB_STORE`` or
``$XDG_DATA_HOME/layerlab/runs.sqlite`` (``~/.local/share/...``). Checkpoints and other
files sit next to it in ``<name>-files/<run id>/``.

A run's life::

    queued → running → completed | stopped | diverged | failed
                ↘ stopping → stopped      (request_stop)
    running/stopping with a dead trainer → interrupted   (recover(): every open and poll)

One trainer per run: ``claim_lease`` grants a lease with a fencing token (``lease_token``,
+1 per grant) that the trainer's heartbeat renews (``beat``, every fraction of a second);
every trainer write carries the token (``builder.execution.sink.StoreSink``) and is refused with
:class:`LeaseLost` once the lease expired (``STALE_SECONDS`` without a beat) or was revoked
by ``recover()``. Its files go to a folder of that lease (``lease_dir``).

What the UI calls (``store = Store.open()``; cheap, thread-safe):

* ``create_run(arch, dataset, settings, name="", *, actor=SOLO, experiment=None) -> int`` —
  a queued run owned by ``actor.name``, named ``name`` or by default for its owner and its
  model (``builder.run_names``: "Ana · 2×Conv · 1×Dense · 44.6k"); then hand its id to the
  executor (``builder.execution.executor.get_executor().submit(run_id)``). ``create_runs(items, …)`` queues
  several at once (all or none). A student (non-teacher actor) may have at most
  ``get_setting("queue.max_queued", 2)`` queued runs, else ``LabError("queue_full")``.
* ``keep_upload(data) -> str`` — save an uploaded ``.npz``; the path is the dataset spec.
* ``runs(experiment=None, owner=None)``, ``run(id) -> Run`` — ``Run.progress`` holds the
  live phase / epoch / batch and the ``node`` (host name) that trains it;
  ``queue_position(id)`` for a queued run (the fair order, :mod:`builder.queueing`).
* ``metrics(run_id, after=0, kind=None) -> list[Metric]`` — rows with ``Metric.id > after``:
  poll with the last id seen for new points only.
* Changing a run needs an :class:`~builder.access.Actor` who may (its owner or the teacher,
  else ``LabError("not_owner")``): ``request_stop(id, *, actor)``; ``extend(id, epochs=None,
  *, actor)`` — *Continue* trains the SAME run from its last saved state (even mid-epoch),
  to the end of its plan or N more epochs (its metrics and epoch numbers go on); submit it
  again; ``rename``, ``set_note``, ``set_pinned``, ``delete``. ``artifact(id, kind)``
  (paths of ``best`` and ``last`` ``.keras`` checkpoints, ``predictions`` ``.npz``);
  ``predictions(id)`` — test-set predictions for the misclassified-images view.
* Class-wide settings: ``get_setting(key, default)``, ``set_setting(key, value, *, actor)``
  (teacher only). Experiments (groups of runs): ``create_experiment``, ``experiment(id)``,
  ``experiments()``, ``delete_experiment``.
* Saved models (:mod:`builder.store.drafts`): ``save_model(owner, arch, dataset, settings,
  name="", *, actor)``, ``saved_model(owner, name="", *, actor)``, ``saved_models(owner, *,
  actor)``, ``delete_model(owner, name, *, actor)`` — only the owner or the teacher.
* A feature's own tables: ``ensure_schema(sql)``, ``transaction()``, ``query(sql, args)``.

Pure helpers on metrics: :func:`best_epoch`, :func:`overfitting_since`.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Sequence

from builder.errors import LabError
from builder.store.drafts import DRAFTS_SCHEMA, Draft, Drafts
from builder.store.files import Files
from builder.store.leases import Leases
from builder.store.metrics import best_epoch, epoch_rows, overfitting_since, score
from builder.store.processes import STALE_SECONDS, pid_alive
from builder.store.records import ACTIVE, FINAL, Experiment, Lease, LeaseLost, Metric, Run
from builder.store.runs import Runs

__all__ = ["ACTIVE", "FINAL", "STALE_SECONDS", "STORE_ENV", "Draft", "Experiment", "Lease", "LeaseLost",
           "Metric", "Run", "Store", "best_epoch", "default_path", "epoch_rows",
           "overfitting_since", "pid_alive", "score"]


STORE_ENV = "LAYERLAB_STORE"
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    pinned INTEGER NOT NULL DEFAULT 0,
    architecture TEXT NOT NULL,
    dataset TEXT NOT NULL,
    settings TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    error TEXT,            -- JSON {"code", "args", "text": {"en", "ko"}} of a LabError
    results TEXT,          -- JSON, see builder.trainer
    progress TEXT,         -- JSON {"phase", "epoch", "epochs", "batch", "batches", ...}
    epochs_done INTEGER NOT NULL DEFAULT 0,
    train_seconds REAL NOT NULL DEFAULT 0,
    worker_pid INTEGER,
    heartbeat REAL,
    stop_requested INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL          -- JSON
);
CREATE TABLE IF NOT EXISTS experiments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    spec TEXT NOT NULL,          -- JSON, see builder.experiments
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,      -- 1-based
    batch INTEGER,               -- 1-based within the epoch; NULL for epoch rows
    kind TEXT NOT NULL,          -- 'batch' | 'epoch'
    loss REAL, accuracy REAL, val_loss REAL, val_accuracy REAL,
    time REAL NOT NULL           -- training seconds since the run first started
);
CREATE INDEX IF NOT EXISTS metrics_run ON metrics(run_id, id);
CREATE INDEX IF NOT EXISTS runs_status ON runs(status);
CREATE TABLE IF NOT EXISTS artifacts (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,          -- 'best' | 'last' | 'predictions'
    path TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (run_id, kind)
);
"""


# Columns added after the first release: existing stores gain them when opened.
RUN_COLUMNS = {
    "owner": "TEXT NOT NULL DEFAULT ''",        # Actor.name of its maker ('' = no class mode)
    "experiment": "INTEGER",                     # experiments.id of its group, if any
    "claimed": "REAL",                           # when a trainer last claimed it (fair queue)
    "lease_token": "INTEGER NOT NULL DEFAULT 0",  # fencing token: +1 per claim and per revoke
    "lease_expires": "REAL",                     # the lease holds until then (renewed by beats)
}


def default_path() -> Path:
    """``$LAYERLAB_STORE``, else ``$XDG_DATA_HOME/layerlab/runs.sqlite``."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(data_home) / "layerlab" / "runs.sqlite"


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on error) under the store's lock."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        self.store._lock.acquire()
        try:
            self.store._db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self.store._lock.release()
            raise self.store.failure(exc) from None
        return self.store._db

    def __exit__(self, kind, error, _trace) -> None:
        try:
            self.store._db.execute("COMMIT" if kind is None else "ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise self.store.failure(exc) from None
        finally:
            self.store._lock.release()
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.IntegrityError):
            raise self.store.failure(error) from None


def _damaged(exc: Exception) -> bool:
    """SQLite's words for a file that is not (or no longer) a sound database."""
    text = str(exc)
    return any(word in text for word in ("not a database", "malformed", "encrypted"))


class Store(Runs, Leases, Files, Drafts):
    """A connection to the run store; one instance may be shared by threads.
    
    Failures degrade: a store that cannot be written (read-only file or directory, full
    disk) is opened read-only — ``read_only`` says why — so pages still show every run,
    and each write raises ``LabError("store_unwritable")`` with the reason. A damaged file
    gives ``LabError("store_corrupt")`` and is never written to.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files = path.with_name(f"{path.stem}-files")
        self._lock = threading.Lock()
        self.read_only: str | None = None  # why writes fail, when opened read-only
        # (pid, run id) -> why that trainer process ended, when its parent knows (executor)
        self.exit_cause: Callable[[int, int], LabError | None] = lambda pid, run_id: None
        if path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            self._open_read_only("read-only file or folder")
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(str(path), uri=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA + DRAFTS_SCHEMA)
            self._add_columns()
            self.files.mkdir(parents=True, exist_ok=True)
        except (OSError, sqlite3.Error) as exc:
            if hasattr(self, "_db"):
                self._db.close()
            if _damaged(exc) or not path.is_file():
                raise self.failure(exc) from None
            self._open_read_only(str(exc)[:120])

    def _connect(self, target: str, uri: bool) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30, check_same_thread=False,
                             isolation_level=None, uri=uri)
        db.row_factory = sqlite3.Row
        return db

    def _open_read_only(self, reason: str) -> None:
        """Read what is there (``mode=ro``; ``immutable`` when not even the WAL index can
        be made), remembering why writes fail."""
        location = "file:" + urllib.parse.quote(str(self.path.resolve()))
        for options in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                self._db = self._connect(location + options, uri=True)
                self._db.execute("SELECT COUNT(*) FROM runs").fetchone()
                self.read_only = reason
                return
            except sqlite3.Error as exc:
                self._db.close()
                if _damaged(exc):
                    raise self.failure(exc) from None
        raise LabError("store_unwritable", path=str(self.path), reason=reason, env=STORE_ENV)

    def _add_columns(self) -> None:
        have = {row["name"] for row in self._db.execute("PRAGMA table_info(runs)")}
        for name, declaration in RUN_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE runs ADD COLUMN {name} {declaration}")

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, recover: bool = True) -> "Store":
        """Open (creating) the store; ``recover`` marks runs of dead trainers interrupted
        (skipped when the store cannot be written: reading still works)."""
        store = cls(Path(path).expanduser() if path else default_path())
        if recover:
            store.recover()
        return store

    def close(self) -> None:
        self._db.close()

    def _run_sql(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, args)
            except sqlite3.IntegrityError:
                raise
            except sqlite3.DatabaseError as exc:
                raise self.failure(exc) from None

    def failure(self, exc: Exception) -> LabError:
        """A database failure as the store's LabError: ``store_corrupt`` for a damaged
        file, else ``store_unwritable`` (disk full, file gone, read-only) with the reason."""
        reason = str(exc)[:120]
        if _damaged(exc):
            return LabError("store_corrupt", path=str(self.path), reason=reason, env=STORE_ENV)
        if self.read_only:
            reason = self.read_only
        return LabError("store_unwritable", path=str(self.path), reason=reason, env=STORE_ENV)

    def transaction(self) -> "_Transaction":
        """``with store.transaction() as db:`` — the sqlite3 connection inside
        ``BEGIN IMMEDIATE … COMMIT`` (rolled back on an exception)."""
        return _Transaction(self)

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """The rows of one SQL statement (for features keeping their own tables here)."""
        return self._run_sql(sql, args).fetchall()

    def ensure_schema(self, sql: str) -> None:
        """Run ``CREATE TABLE IF NOT EXISTS …`` statements (a feature's own tables)."""
        with self._lock:
            try:
                self._db.executescript(sql)
            except sqlite3.DatabaseError as exc:
                raise self.failure(exc) from None

    def _update(self, run_id: int, **values: Any) -> None:
        columns = ", ".join(f"{k} = ?" for k in values)
        self._run_sql(f"UPDATE runs SET {columns} WHERE id = ?", (*values.values(), run_id))
