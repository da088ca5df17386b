"""Who is using this browser session: the :class:`~builder.access.Actor` for every change.

Every UI call that changes a run passes ``actor=current_actor()``; the store enforces the
ownership rule (``builder.access``). Without class mode LayerLab has one user who may do
everything (``SOLO``); class mode (the classroom feature) returns the student or teacher.
"""
from __future__ import annotations

from builder.access import SOLO, Actor


def current_actor() -> Actor:
    """The actor of this session: ``SOLO`` until class mode identifies people."""
    return SOLO
