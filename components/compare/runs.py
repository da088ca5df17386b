"""The run store and executor as the Compare page sees them, and which runs are chosen.

The chosen run ids live under a plain session key (not a widget key), so they survive
pages and views that do not draw the picker.
"""
from __future__ import annotations

import streamlit as st

from builder.compare import RunRow, run_row
from builder.executor import Executor, get_executor
from builder.store import Run, Store, default_path

CHOSEN = "compare_chosen"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store.open(path)


@st.cache_resource(show_spinner=False)
def _executor(path: str) -> Executor:
    return get_executor(_store(path))


def store() -> Store:
    """The run store named by ``$LAYERLAB_STORE`` (one connection per server)."""
    return _store(str(default_path()))


def executor() -> Executor:
    return _executor(str(default_path()))


def all_runs() -> list[Run]:
    """Every run (pinned first, newest first) after starting trainers for queued runs."""
    executor().poll()
    return store().runs()


def rows(runs: list[Run]) -> list[RunRow]:
    """Table lines; the best epoch of runs not yet evaluated comes from their metrics."""
    return [run_row(r, [] if r.results else store().metrics(r.id, kind="epoch")) for r in runs]


def chosen(runs: list[Run]) -> list[Run]:
    """The chosen runs that still exist, in the order they were chosen."""
    by_id = {r.id: r for r in runs}
    return [by_id[i] for i in st.session_state.get(CHOSEN, []) if i in by_id]


def choose(ids: list[int]) -> None:
    st.session_state[CHOSEN] = list(dict.fromkeys(ids))
