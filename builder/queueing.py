"""The fair queue's order, pure: which queued run starts next, and after it which.

Rules (issue 15): at most one active run per non-empty owner; owners take turns
round-robin, the owner whose last start is oldest (or who never started) first; within an
owner, the oldest run first. Runs without an owner ('' — LayerLab without class mode) are
one group with no limit of active runs, so a single user's queue is plain oldest-first.
"""
from __future__ import annotations

from collections import deque
from typing import Iterable, Mapping


def fair_order(queued: Iterable[tuple[int, str]], active_owners: Iterable[str],
               last_start: Mapping[str, float]) -> list[int]:
    """Queued run ids (given as ``(id, owner)``) in the order they would start.

    ``active_owners`` own a run that trains now; ``last_start`` is each owner's latest start
    time (missing: never started). The prediction assumes the active runs end together
    whenever every owner still waiting has one running.
    """
    pending: dict[str, deque[int]] = {}
    for run_id, owner in sorted(queued):
        pending.setdefault(owner, deque()).append(run_id)
    busy = {o for o in active_owners if o}
    started = dict(last_start)
    clock = max(started.values(), default=0.0)
    order: list[int] = []
    while pending:
        free = [o for o in pending if o not in busy]
        if not free:
            busy.clear()
            continue
        owner = min(free, key=lambda o: (started.get(o, float("-inf")), pending[o][0]))
        order.append(pending[owner].popleft())
        clock += 1.0
        started[owner] = clock
        if owner:
            busy.add(owner)
        if not pending[owner]:
            del pending[owner]
    return order


def next_run(queued: Iterable[tuple[int, str]], active_owners: Iterable[str],
             last_start: Mapping[str, float]) -> int | None:
    """The run to start now, or None when every waiting owner already has one running."""
    queued = list(queued)
    busy = {o for o in active_owners if o}
    order = fair_order(queued, busy, last_start)
    owners = dict(queued)
    return order[0] if order and owners[order[0]] not in busy else None
