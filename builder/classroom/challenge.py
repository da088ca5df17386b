"""The teacher's challenge and the one way a class's runs are created.

A challenge (``class.challenge`` in the store's settings) may fix the dataset, cap the
image limit, the epochs and the parameter count, allow only some layer types, set a
deadline and say what to do in a short text. Each field left empty is no rule.
:func:`broken_rules` lists every rule a model and its settings break (Build's Problems and
Train's reason show them all); :func:`check_run` raises them. :func:`enforce` is the one
check every run of a student passes: the store calls it wherever a run is created or
extended, so no page, CLI command or crafted request gets a run past the rules. The teacher (and LayerLab without class mode,
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


def broken_rules(challenge: Challenge | None, arch: Architecture, dataset: str,
                 settings: TrainSettings | None = None, at: float | None = None) -> list[LabError]:
    """Every rule of ``challenge`` this run breaks, in the order the challenge shows them
    (the Build page's Problems and the Train page's reason both list them all). Without
    ``settings`` (Build) the image limit and the epochs are not judged."""
    if challenge is None:
        return []
    at = time.time() if at is None else at
    broken: list[LabError] = []
    if challenge.deadline is not None and at > challenge.deadline:
        broken.append(LabError("challenge_deadline", deadline=time.strftime(
            "%Y-%m-%d %H:%M", time.localtime(challenge.deadline))))
    if challenge.dataset is not None and dataset != challenge.dataset:
        broken.append(LabError("challenge_dataset", dataset=_title(challenge.dataset),
                               got_dataset=_title(dataset)))
    if settings is not None and challenge.limit is not None and (
            settings.limit is None or settings.limit > challenge.limit):
        broken.append(LabError("challenge_limit", limit=challenge.limit, got=settings.limit or "—"))
    if settings is not None and challenge.max_epochs is not None \
            and settings.epochs > challenge.max_epochs:
        broken.append(LabError("challenge_epochs", limit=challenge.max_epochs, got=settings.epochs))
    banned = palette_breaks(challenge, arch)
    if banned:
        broken.append(LabError("challenge_layer", type=", ".join(banned),
                               allowed=", ".join(challenge.layer_types)))
    if challenge.max_params is not None:
        params = model_params(arch, challenge.dataset or dataset)
        if params > challenge.max_params:
            broken.append(LabError("challenge_params", limit=challenge.max_params, got=params))
    return broken


def check_run(challenge: Challenge | None, arch: Architecture, dataset: str,
              settings: TrainSettings, at: float | None = None) -> None:
    """Raise a LabError naming every rule of ``challenge`` this run breaks: the rule's own
    error when it is one, ``challenge_rules`` listing them all when there are more."""
    broken = broken_rules(challenge, arch, dataset, settings, at)
    if len(broken) == 1:
        raise broken[0]
    if broken:
        raise RulesBroken(broken)


class RulesBroken(LabError):
    """Several rules at once; ``rules`` holds each one's LabError."""

    def __init__(self, rules: list[LabError]) -> None:
        super().__init__("challenge_rules", rules=_Listed(tuple(rules)))
        self.rules = rules


@dataclass(frozen=True)
class _Listed:
    """Several errors shown as one text, each in the message's language."""

    errors: tuple[LabError, ...]

    def text(self, lang: str) -> str:
        return " · ".join(error.text(lang) for error in self.errors)

    def __str__(self) -> str:
        return self.text("en")


def model_params(arch: Architecture, dataset: str) -> int:
    """The model's parameter count for ``dataset``'s classes (what the budget counts)."""
    info = DATASETS.get(dataset)
    return analyse(arch, info.classes if info else None).total_params


def budget_left(challenge: Challenge | None, arch: Architecture, dataset: str) -> int | None:
    """Parameters still free under the challenge's budget (negative: over it), or None."""
    if challenge is None or challenge.max_params is None:
        return None
    return challenge.max_params - model_params(arch, challenge.dataset or dataset)


def palette_breaks(challenge: Challenge | None, arch: Architecture) -> list[str]:
    """The layer types of ``arch`` the challenge's palette does not allow (for templates)."""
    if challenge is None:
        return []
    return list(dict.fromkeys(layer.type for _, layer in arch.walk()
                              if not challenge.allows(layer.type)))


def keeps_to(challenge: Challenge | None, before: Architecture, after: Architecture,
             dataset: str) -> bool:
    """Whether a change from ``before`` to ``after`` (a one-click fix) stays with the
    challenge: it breaks no rule ``before`` kept, and never moves the input away from the
    challenge's dataset."""
    if challenge is None:
        return True
    if challenge.dataset is not None and after.input_shape != before.input_shape \
            and after.input_shape != DATASETS[challenge.dataset].input_shape:
        return False
    codes = {e.code for e in broken_rules(challenge, before, dataset)}
    return {e.code for e in broken_rules(challenge, after, dataset)} <= codes


def _title(dataset: str) -> Any:
    """A dataset's display name in the message's language (its spec when unregistered)."""
    info = DATASETS.get(dataset)
    return (lambda lang: info.title[lang]) if info else dataset[:60]


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


def enforce(store, actor: Actor, items: Sequence[tuple[Architecture, str, TrainSettings]]) -> None:
    """THE challenge check of a class: the store calls it in ``create_run``, ``create_runs``
    and ``extend`` for every actor but the teacher, so Train, Continue, the pair,
    experiments, the CLI and direct store calls all meet the same rules."""
    if actor.teacher:
        return
    challenge = current(store)
    for arch, dataset, settings in items:
        check_run(challenge, arch, dataset, settings)


def submit_run(store, actor: Actor, arch: Architecture, dataset: str, settings: TrainSettings,
               name: str = "", **options: Any) -> int:
    """Create a queued run owned by ``actor`` after checking its memory at its batch size
    (the store then checks the challenge)."""
    readiness.check_memory(arch, settings)
    return store.create_run(arch, dataset, settings, name, actor=actor, **options)


def submit_runs(store, actor: Actor, items: Sequence[tuple[Architecture, str, TrainSettings, str]],
                **options: Any) -> list[int]:
    """Several runs at once (all or none), each checked like :func:`submit_run`."""
    for arch, _, settings, _ in items:
        readiness.check_memory(arch, settings)
    return store.create_runs(list(items), actor=actor, **options)


def continue_run(store, actor: Actor, run_id: int, epochs: int | None) -> None:
    """*Continue*: ``epochs`` more (None: the rest of the plan); the store keeps the plan
    from shrinking and checks the challenge."""
    store.extend(run_id, epochs, actor=actor)


def continue_offer(challenge: Challenge | None, run) -> int:
    """The epochs Continue offers for ``run``: the rest of its plan (one more when the plan
    is done), never past the challenge's epochs; 0 when the challenge allows no more."""
    done, plan = run.epochs_done, run.settings.epochs
    offer = plan - done if plan > done else 1
    if challenge is not None and challenge.max_epochs is not None:
        offer = min(offer, challenge.max_epochs - done)
    return max(offer, 0)


def continue_most(challenge: Challenge | None, run) -> int:
    """The most epochs "More epochs" may ask for ``run`` (1000 without a challenge cap)."""
    if challenge is None or challenge.max_epochs is None:
        return 1000
    return max(challenge.max_epochs - run.epochs_done, 0)


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _need(ok: bool, name: str, got: Any) -> None:
    if not ok:
        raise LabError("bad_challenge", name=name, got=repr(got)[:60])
