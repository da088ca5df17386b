"""Who may change what: the one ownership rule, pure (no store, no Streamlit).

Every run (and experiment) has an owner: the ``name`` of the :class:`Actor` that made it,
'' when LayerLab runs without class mode. Everyone may look at every run; only its owner
or the teacher may change it (stop, continue, rename, note, pin, delete). The store calls
:func:`check_change` in each of its mutators, so no page or crafted request gets around it.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.errors import LabError


@dataclass(frozen=True)
class Actor:
    """Who asks: a student's display name or login identity ('' = nobody in particular)."""

    name: str
    teacher: bool = False


SOLO = Actor("", teacher=True)  # LayerLab without class mode: the one user may do everything


def may_change(actor: Actor, owner: str) -> bool:
    """The teacher may change anything; anyone else only what carries their (non-empty) name."""
    return actor.teacher or (bool(actor.name) and actor.name == owner)


def check_change(actor: Actor, owner: str, run_id: int) -> None:
    """Raise ``LabError("not_owner", id=run_id)`` unless ``actor`` may change the run."""
    if not may_change(actor, owner):
        raise LabError("not_owner", id=run_id)
