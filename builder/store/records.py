"""What the store hands out: runs, metric rows, leases, experiments, and the statuses."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from builder.architecture import Architecture
from builder.errors import LabError
from builder.settings import TrainSettings


ACTIVE = ("running", "stopping")
FINAL = ("stopped", "completed", "diverged", "failed", "interrupted")


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


def error_json(error: LabError) -> str:
    """The stored form of an error: code, values and its text in every language."""
    from builder.text import LANGUAGES
    return json.dumps({"code": error.code, "args": error.args_,
                       "text": {lang: error.text(lang) for lang in LANGUAGES}}, default=str)


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


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None
