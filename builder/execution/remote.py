"""What runs on a Ray worker: the usual trainer, with a sink that mails everything home.

The relay (``builder.execution.relay``) starts one :class:`RemoteTrainer` actor per run with a
:class:`Job` — the run, its earlier epochs, the bytes of its checkpoints (Continue) and of
its dataset file when only the LayerLab machine has it — and calls ``train()`` once.
Meanwhile it calls ``exchange(stop)`` every tick: that hands over the Stop flag and
returns the events recorded since the previous call, in order::

    ("beat", progress, rows)           ("epochs", epochs_done, seconds)
    ("artifact", kind, name, bytes)    ("finish", status, results, error)

The relay replays them on the store through the same sink the local trainer uses, so the
store cannot tell where a run trained. This module never imports Ray (the relay wraps
:class:`RemoteTrainer` with ``ray.remote``) and imports Keras only inside ``train()``.
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from builder.datasets import DATASETS
from builder.errors import LabError
from builder.execution.sink import RunSink
from builder.store import Metric, Run

Event = tuple  # ("beat" | "epochs" | "artifact" | "finish", *values)
CHECKPOINTS = ("best", "last")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to train a run, with no access to the store."""

    run: Run
    earlier_epochs: list[Metric]
    checkpoints: dict[str, bytes]   # kind → .keras bytes of earlier sessions
    dataset: bytes | None           # the run's .npz when its dataset is a file here

    @classmethod
    def of(cls, sink: RunSink) -> "Job":
        checkpoints = {kind: path.read_bytes() for kind in CHECKPOINTS
                       if (path := sink.checkpoint(kind)) is not None}
        source = Path(sink.run.dataset)
        local_file = sink.run.dataset not in DATASETS and source.is_file()
        return cls(sink.run, sink.earlier_epochs(), checkpoints,
                   source.read_bytes() if local_file else None)


class MailboxSink:
    """A sink on the worker: files go to a temporary folder, every output becomes an event."""

    def __init__(self, job: Job, folder: Path) -> None:
        self.folder = folder
        self._earlier = job.earlier_epochs
        self._files: dict[str, Path] = {}
        for kind, data in job.checkpoints.items():
            self._files[kind] = _write(folder / f"{kind}.keras", data)
        run = job.run
        if job.dataset is not None:  # same file name, so messages still name it
            path = _write(folder / "data" / Path(run.dataset).name, job.dataset)
            run = dataclasses.replace(run, dataset=str(path))
        self.run = run
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self._stop = False

    def earlier_epochs(self) -> list[Metric]:
        return self._earlier

    def checkpoint(self, kind: str) -> Path | None:
        return self._files.get(kind)

    def beat(self, progress: dict[str, Any], rows: Sequence[tuple]) -> bool:
        self._post("beat", progress, list(rows))
        return self._stop

    def record_epochs(self, epochs_done: int, seconds: float) -> None:
        self._post("epochs", epochs_done, seconds)

    def add_artifact(self, kind: str, path: Path) -> None:
        self._files[kind] = path
        self._post("artifact", kind, path.name, path.read_bytes())

    def finish(self, status: str, results: dict[str, Any] | None,
               error: LabError | None) -> None:
        self._post("finish", status, results, error)

    def exchange(self, stop: bool) -> list[Event]:
        """Take the events so far; a True ``stop`` asks the training to stop."""
        with self._lock:
            self._stop = self._stop or stop
            events, self._events = self._events, []
        return events

    def _post(self, *event: Any) -> None:
        with self._lock:
            self._events.append(event)


class RemoteTrainer:
    """The Ray actor of one run (threaded, so ``exchange`` answers while ``train`` runs)."""

    def __init__(self, job: Job) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"layerlab-run-{job.run.id}-"))
        self.sink = MailboxSink(job, self.folder)

    def train(self) -> str:
        """Train to the end (the outcome arrives as the ``finish`` event), then clean up."""
        from builder import trainer
        try:
            return trainer.run_job(self.sink)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def exchange(self, stop: bool) -> list[Event]:
        return self.sink.exchange(stop)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
