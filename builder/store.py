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
every trainer write carries the token (``builder.sink.StoreSink``) and is refused with
:class:`LeaseLost` once the lease expired (``STALE_SECONDS`` without a beat) or was revoked
by ``recover()``. Its files go to a folder of that lease (``lease_dir``).

What the UI calls (``store = Store.open()``; cheap, thread-safe):

* ``create_run(arch, dataset, settings, name="", *, actor=SOLO, experiment=None) -> int`` —
  a queued run owned by ``actor.name``; then hand its id to the executor
  (``builder.executor.get_executor().submit(run_id)``). ``create_runs(items, …)`` queues
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
* A feature's own tables: ``ensure_schema(sql)``, ``transaction()``, ``query(sql, args)``.

Pure helpers on metrics: :func:`best_epoch`, :func:`overfitting_since`.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import threading
import time
import urllib.parse
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from builder import checkpoints
from builder.access import SOLO, Actor, check_change, may_change
from builder.architecture import Architecture
from builder.errors import LabError
from builder.queueing import fair_order, next_run
from builder.settings import TrainSettings

STORE_ENV = "LAYERLAB_STORE"
ACTIVE = ("running", "stopping")
FINAL = ("stopped", "completed", "diverged", "failed", "interrupted")
STALE_SECONDS = 15.0   # a lease not renewed by a heartbeat for this long has expired
CLAIM_GRACE = 30.0     # the first lease of a claim: the trainer process still starts up
TRAINER_COMMANDS = ("builder.executor", "builder.pool")  # processes recover() may end

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
DEFAULT_MAX_QUEUED = 2  # a student's queued runs at once unless the teacher sets queue.max_queued


@dataclass(frozen=True)
class Metric:
    id: int
    run_id: int
    epoch: int
    batch: int | None
    kind: str
    loss: float | None
    accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None
    time: float


@dataclass(frozen=True)
class Run:
    id: int
    name: str
    note: str
    pinned: bool
    architecture_json: str
    dataset: str
    settings: TrainSettings
    status: str
    created: float
    started: float | None
    finished: float | None
    error: dict[str, Any] | None
    results: dict[str, Any] | None
    progress: dict[str, Any]
    epochs_done: int
    train_seconds: float
    worker_pid: int | None
    heartbeat: float | None
    stop_requested: bool
    owner: str = ""
    experiment: int | None = None
    lease_token: int = 0

    @cached_property
    def architecture(self) -> Architecture:
        """The run's model, parsed once per ``Run`` (pages ask for it many times)."""
        return Architecture.from_json(self.architecture_json)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def error_text(self, lang: str = "en") -> str:
        """The error in ``lang`` ('' when none); ``error["code"]`` tells its kind."""
        if not self.error:
            return ""
        return self.error["text"].get(lang) or self.error["text"]["en"]


@dataclass(frozen=True)
class Lease:
    """The right to train a run: only writes carrying the newest ``token`` are accepted."""

    run_id: int
    token: int


class LeaseLost(LabError):
    """A trainer's write was refused: its lease expired or another trainer holds the run.
    The trainer must stop without touching the run (or its files) again."""

    def __init__(self, run_id: int) -> None:
        super().__init__("lease_lost", id=run_id)


@dataclass(frozen=True)
class Experiment:
    """A group of runs (variants of one model); ``spec`` is the experiment's own JSON."""

    id: int
    name: str
    owner: str
    spec: dict[str, Any]
    created: float


def default_path() -> Path:
    """``$LAYERLAB_STORE``, else ``$XDG_DATA_HOME/layerlab/runs.sqlite``."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(data_home) / "layerlab" / "runs.sqlite"


class Store:
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
            self._db.executescript(SCHEMA)
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

    # ---------------------------------------------------------------- writing helpers

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

    # ---------------------------------------------------------------- runs

    def create_run(self, arch: Architecture, dataset: str, settings: TrainSettings,
                   name: str = "", *, actor: Actor = SOLO, status: str = "queued",
                   experiment: int | None = None) -> int:
        """A new run owned by ``actor``: queued for the executor, or ``running`` for a
        foreground CLI run (leased at once, so no warm trainer takes it; then
        ``set_worker(id, pid)``); a student over the queue cap gets ``queue_full``."""
        return self._insert_runs([(arch, dataset, settings, name)], actor, experiment, status)[0]

    def create_runs(self, items: Sequence[tuple[Architecture, str, TrainSettings, str]], *,
                    actor: Actor = SOLO, experiment: int | None = None) -> list[int]:
        """Queue several runs ``(arch, dataset, settings, name)`` at once: all or none."""
        return self._insert_runs(items, actor, experiment, "queued")

    def _insert_runs(self, items: Sequence[tuple[Architecture, str, TrainSettings, str]],
                     actor: Actor, experiment: int | None, status: str) -> list[int]:
        now = time.time()
        with self.transaction() as db:
            if status == "queued" and not actor.teacher:
                self._check_queue_room(db, actor.name, len(items))
            leased = status == "running"  # trained in the foreground: leased at once
            return [int(db.execute(
                "INSERT INTO runs (name, architecture, dataset, settings, status, created, progress,"
                " owner, experiment, started, claimed, lease_token, lease_expires) "
                "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
                (name or arch.name, arch.to_json(indent=None), dataset,
                 json.dumps(settings.to_dict()), status, now, actor.name, experiment,
                 now if leased else None, now if leased else None, int(leased),
                 now + CLAIM_GRACE if leased else None)).lastrowid)
                for arch, dataset, settings, name in items]

    def _check_queue_room(self, db: sqlite3.Connection, owner: str, more: int) -> None:
        """``queue_full`` when ``owner`` would have more than ``queue.max_queued`` queued runs."""
        row = db.execute("SELECT value FROM settings WHERE key = 'queue.max_queued'").fetchone()
        limit = int(json.loads(row[0])) if row else DEFAULT_MAX_QUEUED
        waiting = db.execute("SELECT COUNT(*) FROM runs WHERE status = 'queued' AND owner = ?",
                             (owner,)).fetchone()[0]
        if waiting + more > limit:
            raise LabError("queue_full", limit=limit)

    def runs(self, experiment: int | None = None, owner: str | None = None) -> list[Run]:
        """Every run, newest first (pinned ones first); optionally one experiment's or owner's."""
        where, args = _filters(experiment=experiment, owner=owner)
        rows = self._run_sql(f"SELECT * FROM runs{where} ORDER BY pinned DESC, id DESC", args)
        return [_run(r) for r in rows.fetchall()]

    def run(self, run_id: int) -> Run:
        row = self._run_sql("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise LabError("run_missing", id=run_id)
        return _run(row)

    def _changeable(self, run_id: int, actor: Actor) -> Run:
        """The run, when ``actor`` may change it (else ``not_owner``)."""
        run = self.run(run_id)
        check_change(actor, run.owner, run_id)
        return run

    def rename(self, run_id: int, name: str, *, actor: Actor) -> None:
        self._changeable(run_id, actor)
        self._update(run_id, name=name[:80])

    def set_note(self, run_id: int, note: str, *, actor: Actor) -> None:
        self._changeable(run_id, actor)
        self._update(run_id, note=note[:2000])

    def set_pinned(self, run_id: int, pinned: bool, *, actor: Actor) -> None:
        self._changeable(run_id, actor)
        self._update(run_id, pinned=int(pinned))

    def delete(self, run_id: int, *, actor: Actor) -> None:
        """Remove a run, its metrics and its files (not while it trains: stop it first)."""
        if self._changeable(run_id, actor).active:
            raise LabError("run_active", id=run_id)
        self._run_sql("DELETE FROM runs WHERE id = ?", (run_id,))
        shutil.rmtree(self.run_dir(run_id), ignore_errors=True)

    def request_stop(self, run_id: int, *, actor: Actor) -> None:
        """Ask the trainer to stop (within about a second); a queued run stops at once."""
        self._changeable(run_id, actor)
        with self.transaction() as db:
            db.execute("UPDATE runs SET status = 'stopped', finished = ? "
                       "WHERE id = ? AND status = 'queued'", (time.time(), run_id))
            db.execute("UPDATE runs SET stop_requested = 1, status = 'stopping' "
                       "WHERE id = ? AND status = 'running'", (run_id,))

    def extend(self, run_id: int, epochs: int | None = None, *, actor: Actor) -> None:
        """Continue: queue the same run again from its saved state, for the rest of its plan
        (``epochs=None``) or until ``epochs`` more than it has finished (an epoch a Stop
        interrupted counts as the first of them). Its rows up to the saved point stay; it
        counts against its owner's queue cap like a new run."""
        run = self._changeable(run_id, actor)
        last = checkpoints.usable(self.artifact(run_id, "last"))
        planned = run.settings.epochs if epochs is None else run.epochs_done + epochs
        if (run.status not in ("stopped", "completed", "interrupted") or planned <= run.epochs_done
                or not (last or checkpoints.usable(self.artifact(run_id, "best")))):
            raise LabError("cannot_continue", id=run_id, status=run.status)
        settings = TrainSettings.from_dict({**run.settings.to_dict(), "epochs": planned})
        kept = checkpoints.saved_point(last, run.epochs_done)["batch"]
        with self.transaction() as db:
            if not actor.teacher:
                self._check_queue_room(db, run.owner, 1)
            db.execute("DELETE FROM metrics WHERE run_id = ? AND epoch > ? AND NOT "
                       "(epoch = ? AND kind = 'batch' AND batch <= ?)",
                       (run_id, run.epochs_done, run.epochs_done + 1, kept))
            db.execute("UPDATE runs SET status = 'queued', settings = ?, stop_requested = 0, "
                       "error = NULL, finished = NULL WHERE id = ?",
                       (json.dumps(settings.to_dict()), run_id))

    # ---------------------------------------------------------------- class settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A class-wide setting (JSON value), or ``default`` when never set."""
        row = self._run_sql("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, *, actor: Actor) -> None:
        """Set a class-wide setting; only the teacher may (else ``teacher_only``)."""
        if not actor.teacher:
            raise LabError("teacher_only")
        self._run_sql("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                      (key, json.dumps(value)))

    # ---------------------------------------------------------------- experiments

    def create_experiment(self, name: str, spec: dict[str, Any], *, actor: Actor = SOLO) -> int:
        cursor = self._run_sql("INSERT INTO experiments (name, owner, spec, created) "
                               "VALUES (?, ?, ?, ?)",
                               (name[:80], actor.name, json.dumps(spec), time.time()))
        return int(cursor.lastrowid)

    def experiment(self, experiment_id: int) -> Experiment:
        row = self._run_sql("SELECT * FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        if row is None:
            raise LabError("experiment_missing", id=experiment_id)
        return _experiment(row)

    def experiments(self) -> list[Experiment]:
        """Every experiment, newest first."""
        return [_experiment(r) for r in
                self._run_sql("SELECT * FROM experiments ORDER BY id DESC").fetchall()]

    def delete_experiment(self, experiment_id: int, *, actor: Actor) -> None:
        """Remove an experiment and its runs (not while one of them trains)."""
        if not may_change(actor, self.experiment(experiment_id).owner):
            raise LabError("experiment_not_owner", id=experiment_id)
        runs = self.runs(experiment=experiment_id)
        for run in runs:
            check_change(actor, run.owner, run.id)
            if run.active:
                raise LabError("run_active", id=run.id)
        with self.transaction() as db:
            db.execute("DELETE FROM runs WHERE experiment = ?", (experiment_id,))
            db.execute("DELETE FROM experiments WHERE id = ?", (experiment_id,))
        for run in runs:
            shutil.rmtree(self.run_dir(run.id), ignore_errors=True)

    # ---------------------------------------------------------------- the queue

    def claim(self, slots: int, pid: int | None = None, run_id: int | None = None) -> int | None:
        """:meth:`claim_lease`, returning only the run id (the trainer reads its token from
        the run: ``StoreSink`` without a token)."""
        lease = self.claim_lease(slots, pid, run_id)
        return lease.run_id if lease else None

    def claim_lease(self, slots: int, pid: int | None = None,
                    run_id: int | None = None) -> Lease | None:
        """Mark the next queued run in fair order (or ``run_id``) running if fewer than
        ``slots`` run, granting a new lease; returns it, or None. Atomic across processes
        (an immediate transaction). Fair order: see :mod:`builder.queueing`. A run whose
        previous trainer process is still alive (paused, then revoked by recover()) waits
        until that process is gone. The lease lasts ``CLAIM_GRACE`` until the first beat."""
        with self.transaction() as db:
            busy = db.execute("SELECT COUNT(*) FROM runs WHERE status IN (?, ?)", ACTIVE)
            if busy.fetchone()[0] >= slots:
                return None
            queued, active, last = self._queue_state(db)
            free = [(i, owner) for i, owner, old_pid in queued
                    if not (old_pid and old_pid != pid and pid_alive(old_pid))]
            if run_id is None:
                run_id = next_run(free, active, last)
            elif run_id not in dict(free):
                return None
            if run_id is None:
                return None
            now = time.time()
            db.execute("UPDATE runs SET status = 'running', worker_pid = ?, heartbeat = ?, "
                       "started = COALESCE(started, ?), claimed = ?, stop_requested = 0, "
                       "lease_token = lease_token + 1, lease_expires = ? WHERE id = ?",
                       (pid, now, now, now, now + CLAIM_GRACE, run_id))
            token = db.execute("SELECT lease_token FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
            return Lease(run_id, int(token))

    @staticmethod
    def _queue_state(db: sqlite3.Connection) -> tuple[list[tuple[int, str, int | None]],
                                                        set[str], dict[str, float]]:
        """Queued ``(id, owner, previous trainer pid)``, owners with an active run, and each
        owner's last start."""
        queued = [(r[0], r[1], r[2]) for r in
                  db.execute("SELECT id, owner, worker_pid FROM runs WHERE status = 'queued'")]
        active = {r[0] for r in db.execute("SELECT DISTINCT owner FROM runs WHERE status IN "
                                           "(?, ?)", ACTIVE)}
        last = {r[0]: r[1] for r in db.execute("SELECT owner, MAX(claimed) FROM runs "
                                               "WHERE claimed IS NOT NULL GROUP BY owner")}
        return queued, active, last

    def queued(self) -> list[int]:
        """Queued run ids in the order they will start (the fair order)."""
        with self._lock:  # a read: pages call it, and must not need write access
            try:
                queued, active, last = self._queue_state(self._db)
                return fair_order([(i, owner) for i, owner, _ in queued], active, last)
            except sqlite3.OperationalError as exc:
                raise self.failure(exc) from None

    def has_queued(self) -> bool:
        """Whether any run waits (a read: pollers check it before claiming)."""
        return self._run_sql("SELECT 1 FROM runs WHERE status = 'queued' LIMIT 1").fetchone() is not None

    def queue_position(self, run_id: int) -> int | None:
        """1 for the next queued run to start, 2 for the one after…; None unless queued."""
        queued = self.queued()
        return queued.index(run_id) + 1 if run_id in queued else None

    def set_worker(self, run_id: int, pid: int, token: int | None = None) -> None:
        """The process that trains the run (its lease keeps the start-up grace)."""
        self._fenced(run_id, token, {"worker_pid": pid, "heartbeat": time.time()})

    def beat(self, run_id: int, progress: dict[str, Any] | None = None,
             rows: Sequence[tuple] = (), token: int | None = None) -> bool:
        """One trainer tick: new metric rows, heartbeat (renewing the lease), progress;
        returns stop_requested. With ``token``: :class:`LeaseLost` unless it holds the lease."""
        now = time.time()
        values: dict[str, Any] = {"heartbeat": now, "lease_expires": now + STALE_SECONDS}
        if progress is not None:
            values["progress"] = json.dumps(progress)
        with self.transaction() as db:
            self._fenced(run_id, token, values, db)
            if rows:
                db.executemany(
                    "INSERT INTO metrics (run_id, epoch, batch, kind, loss, accuracy, val_loss,"
                    " val_accuracy, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(run_id, *r) for r in rows])
            row = db.execute("SELECT stop_requested FROM runs WHERE id = ?", (run_id,)).fetchone()
        return bool(row and row[0])

    def record_epochs(self, run_id: int, epochs_done: int, train_seconds: float,
                      token: int | None = None) -> None:
        self._fenced(run_id, token, {"epochs_done": epochs_done, "train_seconds": train_seconds})

    def finish(self, run_id: int, status: str, results: dict[str, Any] | None = None,
               error: LabError | None = None, token: int | None = None) -> None:
        """Final status with results and/or the error (code and values, shown via t());
        the error is cleared when none is given, so status and error always agree."""
        values: dict[str, Any] = {"status": status, "finished": time.time(), "worker_pid": None,
                                  "stop_requested": 0, "lease_expires": None,
                                  "error": error_json(error) if error is not None else None}
        if results is not None:
            values["results"] = json.dumps(results)
        self._fenced(run_id, token, values)
        if token is not None:
            self._tidy(run_id, token)

    def _fenced(self, run_id: int, token: int | None, values: dict[str, Any],
                db: sqlite3.Connection | None = None) -> None:
        """``UPDATE runs SET values`` — with a ``token`` only while that lease holds (the
        newest token, not expired, not revoked by recover()), else :class:`LeaseLost`."""
        sql = f"UPDATE runs SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?"
        args = [*values.values(), run_id]
        if token is not None:
            sql += " AND lease_token = ? AND lease_expires >= ?"
            args += [token, time.time()]
        if db is None:
            changed = self._run_sql(sql, args).rowcount
        else:
            changed = db.execute(sql, args).rowcount
        if token is not None and not changed:
            raise LeaseLost(run_id)

    def holds_lease(self, run_id: int, token: int) -> bool:
        """True while ``token`` is the run's live lease (a trainer checks before a write)."""
        row = self._run_sql("SELECT 1 FROM runs WHERE id = ? AND lease_token = ? AND "
                            "lease_expires >= ?", (run_id, token, time.time())).fetchone()
        return row is not None

    def recover(self) -> list[int]:
        """Mark active runs whose trainer is gone as interrupted; returns their ids.

        Cheap enough to call on every poll of a live page: one indexed read of the active
        runs, and a write only when a trainer is gone (skipped, not raised, when the store
        cannot be written). A trainer is gone when its process
        has ended (``pid_alive``) or its lease expired (no heartbeat for ``STALE_SECONDS``;
        ``CLAIM_GRACE`` while it starts). Its lease is revoked (the token moves on), so a
        trainer that was only paused cannot write when it wakes: it stops itself. A paused
        spawned trainer (``builder.executor``/``builder.pool``) is also killed, so that
        Continue may start a new one (``claim`` waits until the old process is gone).
        """
        now, lost = time.time(), []
        for row in self._run_sql("SELECT id, worker_pid, lease_expires, lease_token FROM runs "
                                 "WHERE status IN (?, ?)", ACTIVE).fetchall():
            pid = row["worker_pid"]
            dead = pid is not None and not pid_alive(pid)
            if not dead and (row["lease_expires"] or 0) >= now:
                continue
            if dead:
                error = self.exit_cause(pid, row["id"]) or LabError("interrupted")
            else:
                error = LabError("stalled", seconds=int(STALE_SECONDS))
            try:
                changed = self._run_sql(
                    "UPDATE runs SET status = 'interrupted', finished = ?, error = ?, worker_pid = ?,"
                    " lease_token = lease_token + 1, lease_expires = NULL, stop_requested = 0 "
                    "WHERE id = ? AND lease_token = ? AND status IN (?, ?)",
                    (now, error_json(error), None if dead else pid, row["id"], row["lease_token"],
                     *ACTIVE)).rowcount
            except LabError as exc:
                if exc.code == "store_unwritable":  # pages still read; the run shows as it was
                    return lost
                raise
            if changed:
                lost.append(row["id"])
                if not dead:
                    end_stale_trainer(pid)
        return lost

    # ---------------------------------------------------------------- metrics

    def metrics(self, run_id: int, after: int = 0, kind: str | None = None) -> list[Metric]:
        """Metric rows with ``id > after`` in order; ``kind`` 'batch' or 'epoch' filters."""
        sql = "SELECT * FROM metrics WHERE run_id = ? AND id > ?"
        args: list[Any] = [run_id, after]
        if kind:
            sql, args = sql + " AND kind = ?", [*args, kind]
        return [Metric(**dict(r)) for r in self._run_sql(sql + " ORDER BY id", args).fetchall()]

    # ---------------------------------------------------------------- files

    def run_dir(self, run_id: int) -> Path:
        return self.files / str(run_id)

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


def error_json(error: LabError) -> str:
    """The stored form of an error: code, values and its text in every language."""
    from builder.text import LANGUAGES
    return json.dumps({"code": error.code, "args": error.args_,
                       "text": {lang: error.text(lang) for lang in LANGUAGES}}, default=str)


def _damaged(exc: Exception) -> bool:
    """SQLite's words for a file that is not (or no longer) a sound database."""
    text = str(exc)
    return any(word in text for word in ("not a database", "malformed", "encrypted"))


def end_stale_trainer(pid: int) -> None:
    """SIGKILL a trainer process of ours whose lease was revoked (a paused one never
    resumes the run anyway); other processes (e.g. a foreground CLI) are left alone."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return
    if any(words[i:i + 2] == ["-m", name] for name in TRAINER_COMMANDS for i in range(len(words))):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` exists on this machine and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _run(row: sqlite3.Row) -> Run:
    doc = dict(row)
    return Run(
        id=doc["id"], name=doc["name"], note=doc["note"], pinned=bool(doc["pinned"]),
        architecture_json=doc["architecture"], dataset=doc["dataset"],
        settings=TrainSettings.from_dict(json.loads(doc["settings"])), status=doc["status"],
        created=doc["created"], started=doc["started"], finished=doc["finished"],
        error=_json(doc["error"]), results=_json(doc["results"]),
        progress=_json(doc["progress"]) or {}, epochs_done=doc["epochs_done"],
        train_seconds=doc["train_seconds"], worker_pid=doc["worker_pid"],
        heartbeat=doc["heartbeat"], stop_requested=bool(doc["stop_requested"]),
        owner=doc.get("owner", ""), experiment=doc.get("experiment"),
        lease_token=doc.get("lease_token", 0))


def _experiment(row: sqlite3.Row) -> Experiment:
    return Experiment(id=row["id"], name=row["name"], owner=row["owner"],
                      spec=json.loads(row["spec"]), created=row["created"])


def _filters(**values: Any) -> tuple[str, list[Any]]:
    """`` WHERE a = ? AND b = ?`` for the values that are not None (column names are ours)."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{k} = ?" for k in given), list(given.values())


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


# ---------------------------------------------------------------- pure helpers on metrics

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

