"""Runs and what their owners change (create, read, rename, note, pin, delete, stop,
extend), class-wide settings, and experiments."""
from __future__ import annotations

import json
import shutil
import sqlite3
import time
from typing import Any, Sequence

from builder import checkpoints
from builder.access import SOLO, Actor, check_change, may_change
from builder.architecture import Architecture
from builder.errors import LabError
from builder.run_names import default_name
from builder.settings import TrainSettings
from builder.store.processes import CLAIM_GRACE
from builder.store.records import Experiment, Run, _experiment, _run


DEFAULT_MAX_QUEUED = 2  # a student's queued runs at once unless the teacher sets queue.max_queued


class Runs:
    """Runs and what their owners change (create, read, rename, note, pin, delete, stop,
extend), class-wide settings, and experiments."""

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
        _enforce(self, actor, [(arch, dataset, settings) for arch, dataset, settings, _ in items])
        now = time.time()
        with self.transaction() as db:
            if status == "queued" and not actor.teacher:
                self._check_queue_room(db, actor.name, len(items))
            leased = status == "running"  # trained in the foreground: leased at once
            return [int(db.execute(
                "INSERT INTO runs (name, architecture, dataset, settings, status, created, progress,"
                " owner, experiment, started, claimed, lease_token, lease_expires) "
                "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
                (name or _default_name(actor, arch, dataset), arch.to_json(indent=None), dataset,
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
        """Ask the trainer to stop (within one batch: it watches :meth:`stop_file`); a queued
        run stops at once."""
        self._changeable(run_id, actor)
        with self.transaction() as db:
            db.execute("UPDATE runs SET status = 'stopped', finished = ? "
                       "WHERE id = ? AND status = 'queued'", (time.time(), run_id))
            db.execute("UPDATE runs SET stop_requested = 1, status = 'stopping' "
                       "WHERE id = ? AND status = 'running'", (run_id,))
            stopping = db.execute("SELECT 1 FROM runs WHERE id = ? AND status = 'stopping'",
                                  (run_id,)).fetchone()
        if stopping:  # the trainer watches this file: it need not wait for its next write
            flag = self.stop_file(run_id)
            flag.parent.mkdir(parents=True, exist_ok=True)
            flag.touch()

    def extend(self, run_id: int, epochs: int | None = None, *, actor: Actor) -> None:
        """Continue: queue the same run again from its saved state, for the rest of its plan
        (``epochs=None``) or until ``epochs`` more than it has finished (an epoch a Stop
        interrupted counts as the first of them). The plan only grows: asking for fewer
        than its rest keeps the plan. Its rows up to the saved point stay; it counts against
        its owner's queue cap like a new run, and a student's must meet the challenge."""
        run = self._changeable(run_id, actor)
        last = checkpoints.usable(self.artifact(run_id, "last"))
        settings = continued(run, epochs)
        planned = settings.epochs
        _enforce(self, actor, [(run.architecture, run.dataset, settings)])
        if (run.status not in ("stopped", "completed", "interrupted") or planned <= run.epochs_done
                or not (last or checkpoints.usable(self.artifact(run_id, "best")))):
            raise LabError("cannot_continue", id=run_id, run_status=run.status)
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
        self.stop_file(run_id).unlink(missing_ok=True)

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


def continued(run: Run, epochs: int | None) -> TrainSettings:
    """The settings ``run`` goes on with after Continue: the rest of its plan (None) or
    ``epochs`` more than it finished, and never a shorter plan than it had."""
    planned = run.settings.epochs if epochs is None else max(run.settings.epochs,
                                                             run.epochs_done + epochs)
    return TrainSettings.from_dict({**run.settings.to_dict(), "epochs": planned})


def _enforce(store, actor: Actor, items: list[tuple[Architecture, str, TrainSettings]]) -> None:
    """The class challenge's one check (:func:`builder.classroom.challenge.enforce`)."""
    if not actor.teacher:
        from builder.classroom.challenge import enforce
        enforce(store, actor, items)


def _default_name(actor: Actor, arch: Architecture, dataset: str) -> str:
    """A class's run is named for its owner and its model's signature; a run without an
    owner (LayerLab without class mode) for its model."""
    return default_name(actor.name, arch, dataset) if actor.name else arch.name


def _filters(**values: Any) -> tuple[str, list[Any]]:
    """`` WHERE a = ? AND b = ?`` for the values that are not None (column names are ours)."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{k} = ?" for k in given), list(given.values())
