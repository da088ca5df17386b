"""The drag-and-drop canvas: a Streamlit Custom Components v2 component.

Python sends ``[{rev, palette, stack, selected, texts}]``; the browser sends one event at a
time (``{"op": ..., "rev": ...}``) and waits for the next revision before sending another,
so an echo can never overwrite a newer edit. Events whose ``rev`` is not the current one
are stale and only bump the revision. Edits go through :mod:`components.canvas.events`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from builder.errors import LabError
from components import custom, safe, state
from components.canvas import events, view
from components.classroom import rules as class_rules

KEY = "canvas"
ERROR = "canvas_error"
_component = custom.component("canvas", Path(__file__).parent)


def data(lang: str) -> dict[str, Any]:
    """Everything the canvas draws, for the current model."""
    arch, report = state.architecture(), state.report()
    selected = state.selected()
    return {"rev": state.revision(), "lang": lang, "texts": view.texts(lang),
            "palette": class_rules.palette(view.palette(lang)), "stack": view.stack(arch, report, lang),
            "selected": list(selected) if selected is not None else None}


def canvas(lang: str) -> None:
    """Draw the canvas; a failed edit from the last event is shown as a toast."""
    # sent in a list: Streamlit scans a dict's values for dataframes, which imports pandas
    # and pyarrow (about a second) before the first page's palette can draw
    _component(key=KEY, data=[data(lang)], on_edit_change=_on_edit)
    error = st.session_state.pop(ERROR, None)
    if error is not None:
        st.toast(safe.error(error, lang), icon=":material/warning:")


def handle(event: Any) -> None:
    """Apply one canvas event to the session's model (stale or bad events change nothing)."""
    if not isinstance(event, dict) or event.get("rev") != state.revision():
        state.bump()
        return
    try:
        if event.get("op") == "select":
            state.select(events.address(event.get("at")))
            state.bump()
        else:
            state.commit(events.apply(state.architecture(), event))
    except LabError as exc:
        st.session_state[ERROR] = exc
        state.bump()


def _on_edit() -> None:
    handle(st.session_state[KEY].get("edit"))
