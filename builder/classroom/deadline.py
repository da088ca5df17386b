"""Extending the challenge's deadline alone, without entering the whole challenge again."""
from __future__ import annotations

import time
from dataclasses import replace

from builder.access import Actor
from builder.classroom.challenge import current, set_challenge
from builder.errors import LabError

MAX_MINUTES = 24 * 60


def extend_deadline(store, minutes: int, *, actor: Actor, now: float | None = None) -> float:
    """Move the deadline ``minutes`` later: from the deadline, or from ``now`` once it has
    passed (a challenge that ended opens again). Teacher only (the store refuses others);
    returns the new deadline. ``no_deadline`` when the challenge has none."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise LabError("bad_challenge", name="minutes", got=repr(minutes)[:60])
    challenge = current(store)
    if challenge is None or challenge.deadline is None:
        raise LabError("no_deadline")
    now = time.time() if now is None else now
    deadline = max(challenge.deadline, now) + 60 * minutes
    set_challenge(store, replace(challenge, deadline=deadline), actor=actor)
    return deadline
