"""Where a training run comes from and where everything it produces goes.

The trainer talks to a :class:`RunSink`, never to the store directly, so the same training
code runs next to the store (:class:`StoreSink`, the local trainer and the CLI) or on a
remote machine whose sink forwards everything to the store (``builder.execution.remote``).

Exactly one trainer writes to a run: a sink's writes carry its lease token and the store
refuses them once the lease is lost (:class:`~builder.store.LeaseLost`, raised by every
method that writes); the trainer then stops without touching the run again.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, Sequence

from builder.errors import LabError
from builder.store import Metric, Run, Store


class RunSink(Protocol):
    """The trainer's view of one run: its definition, its files, its outputs."""

    run: Run        # the run as it was when training started
    folder: Path    # where the trainer writes checkpoint and prediction files

    def earlier_epochs(self) -> list[Metric]:
        """Epoch rows of earlier sessions of this run (Continue), oldest first."""

    def checkpoint(self, kind: str) -> Path | None:
        """The saved ``best`` or ``last`` model of earlier sessions, if any."""

    def beat(self, progress: dict[str, Any], rows: Sequence[tuple]) -> bool:
        """New metric rows plus the progress; returns True when Stop was requested."""

    def record_epochs(self, epochs_done: int, seconds: float) -> None:
        """Epochs finished so far and the training seconds they took."""

    def add_artifact(self, kind: str, path: Path) -> None:
        """A file of ``folder`` is the run's ``best``, ``last`` or ``predictions``."""

    def finish(self, status: str, results: dict[str, Any] | None,
               error: LabError | None) -> None:
        """The final status, with the results and/or the error."""


class StoreSink:
    """A run of a store on this machine: every call is a store call carrying the lease.

    ``token`` is the lease the trainer was given by ``Store.claim_lease`` (None: the run's
    current one, for a run claimed just before by the same process). Once the lease is
    lost every call raises :class:`~builder.store.LeaseLost`: the trainer must stop.
    """

    def __init__(self, store: Store, run_id: int, token: int | None = None) -> None:
        self.store, self.run_id = store, run_id
        self.run = store.run(run_id)
        self.token = self.run.lease_token if token is None else token
        self.folder = store.lease_dir(run_id, self.token)
        self.stop_file = store.stop_file(run_id)  # present once Stop was asked (the trainer watches it)

    def earlier_epochs(self) -> list[Metric]:
        return self.store.metrics(self.run_id, kind="epoch")

    def checkpoint(self, kind: str) -> Path | None:
        return self.store.artifact(self.run_id, kind)

    def beat(self, progress: dict[str, Any], rows: Sequence[tuple]) -> bool:
        return self.store.beat(self.run_id, progress, rows, token=self.token)

    def record_epochs(self, epochs_done: int, seconds: float) -> None:
        self.store.record_epochs(self.run_id, epochs_done, seconds, token=self.token)

    def add_artifact(self, kind: str, path: Path) -> None:
        self.store.add_artifact(self.run_id, kind, path, token=self.token)

    def finish(self, status: str, results: dict[str, Any] | None,
               error: LabError | None) -> None:
        self.store.finish(self.run_id, status, results, error, token=self.token)
