"""The queue and the trainers' side: claims with fencing tokens, heartbeats, fenced
writes, and recovery of dead trainers."""
from __future__ import annotations

import json
import sqlite3
import time
from typing import Any, Sequence

from builder.errors import LabError
from builder.queueing import fair_order, next_run
from builder.store.processes import CLAIM_GRACE, STALE_SECONDS, end_stale_trainer, pid_alive
from builder.store.records import ACTIVE, Lease, LeaseLost, error_json


class Leases:
    """Claims, leases and the writes a trainer makes under its lease."""

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
        spawned trainer (``builder.execution.executor``/``builder.execution.pool``) is also killed, so that
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
