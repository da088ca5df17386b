"""The teacher's challenge and the one way a class's runs are created.

A challenge (``class.challenge`` in the store's settings) may fix the dataset, cap the
image limit, the epochs and the parameter count, allow only some layer types, set a
deadline and say what to do in a short text. Each field left empty is no rule.
:func:`check_run` raises a LabError naming the first rule a run breaks; :func:`submit_run`
and :func:`continue_run` check before they touch the store, so a student cannot get a
run past the rules from a crafted request. The teacher (and LayerLab without class mode,
whose one user is the teacher) is not bound by the challenge.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Sequence

from builder import readiness
from builder.access import Actor
from builder.analysis import analyse
from builder.architecture import Architecture
from builder.layers import CATALOGUE
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings

SETTING = "class.challenge"
MAX_TEXT = 500


@dataclass(frozen=True)
class Challenge:
    dataset: str | None = None          # a registered dataset name
    limit: int | None = None            # most training images a run may use
    max_epochs: int | None = None
    layer_types: tuple[str, ...] = ()   # allowed layer types; empty = all
    max_params: int | None = None
    deadline: float | None = None       # Unix time after which no run may start
    text: str = ""

    def __post_init__(self) -> None:
        _need(self.dataset is None or self.dataset in DATASETS, "dataset", self.dataset)
        _need(self.limit is None or (_whole(self.limit) and self.limit >= 10), "limit", self.limit)
        _need(self.max_epochs is None or (_whole(self.max_epochs) and 1 <= self.max_epochs <= 1000),
              "max_epochs", self.max_epochs)
        _need(all(kind in CATALOGUE for kind in self.layer_types), "layer_types", self.layer_types)
        _need(self.max_params is None or (_whole(self.max_params) and self.max_params > 0),
              "max_params", self.max_params)
        _need(self.deadline is None or isinstance(self.deadline, (int, float)), "deadline",
              self.deadline)
        _need(isinstance(self.text, str) and len(self.text) <= MAX_TEXT, "text", self.text)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "layer_types": list(self.layer_types)}

    @classmethod
    def from_dict(cls, doc: Any) -> "Challenge":
        if not isinstance(doc, dict):
            raise LabError("not_object", what="challenge")
        unknown = set(doc) - {f.name for f in fields(cls)}
        if unknown:
            raise LabError("unknown_field", field=sorted(map(str, unknown))[0])
        types = doc.get("layer_types") or ()
        _need(isinstance(types, (list, tuple)), "layer_types", types)
        return cls(**{**doc, "layer_types": tuple(types)})

    def allows(self, layer_type: str) -> bool:
        return not self.layer_types or layer_type in self.layer_types


def check_run(challenge: Challenge | None, arch: Architecture, dataset: str,
              settings: TrainSettings, at: float | None = None) -> None:
    """Raise a LabError naming the first rule of ``challenge`` this run breaks."""
    if challenge is None:
        return
    at = time.time() if at is None else at
    if challenge.deadline is not None and at > challenge.deadline:
        raise LabError("challenge_deadline", deadline=time.strftime(
            "%Y-%m-%d %H:%M", time.localtime(challenge.deadline)))
    if challenge.dataset is not None and dataset != challenge.dataset:
        raise LabError("challenge_dataset", dataset=challenge.dataset, got_dataset=dataset[:60])
    if challenge.limit is not None and (settings.limit is None or settings.limit > challenge.limit):
        raise LabError("challenge_limit", limit=challenge.limit, got=settings.limit or "—")
    if challenge.max_epochs is not None and settings.epochs > challenge.max_epochs:
        raise LabError("challenge_epochs", limit=challenge.max_epochs, got=settings.epochs)
    banned = [layer.type for _, layer in arch.walk() if not challenge.allows(layer.type)]
    if banned:
        raise LabError("challenge_layer", type=banned[0], allowed=", ".join(challenge.layer_types))
    if challenge.max_params is not None:
        info = DATASETS.get(dataset)
        params = analyse(arch, info.classes if info else None).total_params
        if params > challenge.max_params:
            raise LabError("challenge_params", limit=challenge.max_params, got=params)


def meets(challenge: Challenge | None, run) -> bool:
    """Whether a stored run keeps the challenge's rules (judged at the time it was made)."""
    try:
        check_run(challenge, run.architecture, run.dataset, run.settings, at=run.created)
    except LabError:
        return False
    return True


def capped(challenge: Challenge | None, settings: TrainSettings) -> TrainSettings:
    """``settings`` within the challenge's image limit and epochs (for the Train form)."""
    if challenge is None:
        return settings
    changes: dict[str, Any] = {}
    if challenge.max_epochs is not None and settings.epochs > challenge.max_epochs:
        changes["epochs"] = challenge.max_epochs
    if challenge.limit is not None and (settings.limit is None or settings.limit > challenge.limit):
        changes["limit"] = challenge.limit
    return replace(settings, **changes)


# ---------------------------------------------------------------- in the store

def current(store) -> Challenge | None:
    """The challenge set in the store, or None."""
    doc = store.get_setting(SETTING)
    return Challenge.from_dict(doc) if doc else None


def set_challenge(store, challenge: Challenge | None, *, actor: Actor) -> None:
    """Set (or with None clear) the challenge; teacher only."""
    store.set_setting(SETTING, challenge.to_dict() if challenge else None, actor=actor)


def submit_run(store, actor: Actor, arch: Architecture, dataset: str, settings: TrainSettings,
               name: str = "", **options: Any) -> int:
    """Create a queued run owned by ``actor`` after checking its memory at its batch size
    (everyone) and the challenge (students only)."""
    readiness.check_memory(arch, settings)
    if not actor.teacher:
        check_run(current(store), arch, dataset, settings)
    return store.create_run(arch, dataset, settings, name, actor=actor, **options)


def submit_runs(store, actor: Actor, items: Sequence[tuple[Architecture, str, TrainSettings, str]],
                **options: Any) -> list[int]:
    """Several runs at once (all or none), each checked like :func:`submit_run`."""
    for arch, _, settings, _ in items:
        readiness.check_memory(arch, settings)
    if not actor.teacher:
        challenge = current(store)
        for arch, dataset, settings, _ in items:
            check_run(challenge, arch, dataset, settings)
    return store.create_runs(list(items), actor=actor, **options)


def continue_run(store, actor: Actor, run_id: int, epochs: int | None) -> None:
    """*Continue*: ``epochs`` more (None: the rest of the plan), within the challenge's
    epochs and deadline (students)."""
    if not actor.teacher:
        run = store.run(run_id)
        planned = run.settings.epochs if epochs is None else run.epochs_done + epochs
        more = replace(run.settings, epochs=min(planned, 1000))
        check_run(current(store), run.architecture, run.dataset, more)
    store.extend(run_id, epochs, actor=actor)


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _need(ok: bool, name: str, got: Any) -> None:
    if not ok:
        raise LabError("bad_challenge", name=name, got=repr(got)[:60])
