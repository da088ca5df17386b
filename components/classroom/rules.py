"""The challenge in the app: the Train form's caps, the reason Start is off, the palette.

The rules themselves are checked in :mod:`builder.classroom.challenge` when a run is
created; these hooks only make the widgets agree with them.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from builder.architecture import Architecture
from builder.classroom.challenge import Challenge, capped, check_run, current
from builder.errors import LabError
from builder.settings import TrainSettings
from components import identity, safe, services, state
from components.classroom.board import challenge_text

CAPPED_WIDGETS = {"train_epochs": "max_epochs", "train_limit": "limit"}


def challenge() -> Challenge | None:
    """The challenge that binds this person (None outside class mode and for the teacher)."""
    if not identity.class_mode() or identity.current_actor().teacher:
        return None
    try:
        return current(services.store())
    except LabError:
        return None


def cap_form(lang: str) -> None:
    """Before the Train form is drawn: the challenge in words, and epochs and image limit
    within it."""
    rules = challenge()
    if rules is None:
        return
    challenge_text(rules, lang)
    state.keep_settings(capped(rules, state.settings()))
    for key, field in CAPPED_WIDGETS.items():
        cap, value = getattr(rules, field), st.session_state.get(key)
        if cap is not None and (value is None or value > cap) and key in st.session_state:
            st.session_state[key] = cap


def reason(arch: Architecture, dataset: str, settings: TrainSettings,
           lang: str) -> tuple[str, dict] | None:
    """Why Start is off under the challenge (a text key and its values), or None."""
    try:
        check_run(challenge(), arch, dataset, settings)
    except LabError as exc:
        return "class.rule_broken", {"error": safe.escape(exc.text(lang))}
    return None


def palette(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The canvas palette's groups with only the challenge's layer types (groups left
    empty go); unchanged when no challenge limits them."""
    rules = challenge()
    if rules is None or not rules.layer_types:
        return groups
    kept = [{**g, "cards": [c for c in g["cards"] if rules.allows(c["type"])]} for g in groups]
    return [g for g in kept if g["cards"]]
