"""Who sees which runs: everyone sees every run, unless the teacher hides others' runs
until Reveal (``class.hide_others``); then a student sees only their own."""
from __future__ import annotations

from typing import Sequence

from builder.access import Actor
from builder.classroom.leaderboard import REVEALED

HIDE = "class.hide_others"


def visible(store, runs: Sequence, actor: Actor) -> list:
    """The runs of ``runs`` that ``actor`` may see."""
    if actor.teacher or not store.get_setting(HIDE, False) or store.get_setting(REVEALED, False):
        return list(runs)
    return [r for r in runs if r.owner == actor.name]
