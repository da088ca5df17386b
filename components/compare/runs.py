"""The runs as the Compare page sees them, and which runs are chosen.

The chosen run ids live under a plain session key (not a widget key), so they survive
pages and views that do not draw the picker.
"""
from __future__ import annotations

import streamlit as st

from builder.compare import RunRow, run_row
from builder.store import Run
from components import services
from components.training.runs import seen_runs

CHOSEN = "compare_chosen"


def all_runs() -> list[Run]:
    """Every run this session may see (pinned first, newest first) after starting trainers
    for queued runs."""
    services.executor().poll()
    return seen_runs()


def rows(runs: list[Run], names: dict[int, str]) -> list[RunRow]:
    """Table lines labelled with ``names`` (builder.compare.run_labels); the best epoch of
    runs not yet evaluated comes from their metrics."""
    return [run_row(r, [] if r.results else services.store().metrics(r.id, kind="epoch"), names[r.id])
            for r in runs]


def chosen(runs: list[Run]) -> list[Run]:
    """The chosen runs that still exist, in the order they were chosen."""
    by_id = {r.id: r for r in runs}
    return [by_id[i] for i in st.session_state.get(CHOSEN, []) if i in by_id]


def choose(ids: list[int]) -> None:
    st.session_state[CHOSEN] = list(dict.fromkeys(ids))
