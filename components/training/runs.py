"""The page's link to the run store and the executor, and which run the page shows.

The shown run is found from the URL (``?run=<id>``), then this session, then the newest
run still queued or training, so a refreshed page or a second tab finds a running job.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from builder.architecture import Architecture
from builder.errors import LabError
from builder.executor import Executor, get_executor
from builder.settings import TrainSettings
from builder.store import ACTIVE, Run, Store, default_path
from builder.text import t
from components import safe
from components.lang import current as current_language
from components.identity import current_actor

RUN_PARAM, RUN_KEY, PICK_KEY = "run", "train_run", "train_run_pick"
RECENT = 50  # runs offered by the picker
WAITING = ("queued", *ACTIVE)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store.open(path)


@st.cache_resource(show_spinner=False)
def _executor(path: str) -> Executor:
    return get_executor(_store(path))


def store() -> Store:
    """The run store at ``$LAYERLAB_STORE`` (or the default path), opened once per server."""
    return _store(str(default_path()))


def executor() -> Executor:
    return _executor(str(default_path()))


def shown_run() -> Run | None:
    """The run this page shows: URL, then session, then the newest waiting or active run."""
    for candidate in (st.query_params.get(RUN_PARAM), st.session_state.get(RUN_KEY)):
        if candidate is not None and str(candidate).isdigit():
            try:
                return store().run(int(candidate))
            except LabError:
                continue
    return next((r for r in store().runs() if r.status in WAITING), None)


def show(run_id: int) -> None:
    """Make ``run_id`` the shown run (in the URL too, so a refresh keeps it)."""
    st.session_state[RUN_KEY] = run_id
    st.query_params[RUN_PARAM] = str(run_id)


def picker(shown: Run, lang: str) -> None:
    """Choose which of the recent runs the page shows (the shown one is selected)."""
    recent = {r.id: r for r in store().runs()[:RECENT]}
    recent.setdefault(shown.id, shown)
    st.session_state[PICK_KEY] = shown.id
    st.selectbox(t("train.run_pick", lang), list(recent), key=PICK_KEY,
                 format_func=lambda i: label(recent[i], lang), on_change=_picked)


def _picked() -> None:
    """Show the picked run. Only a run id counts: a label can arrive instead when the shown
    run's status (part of its label) changed while the live fragment was redrawing."""
    picked = st.session_state.get(PICK_KEY)
    if isinstance(picked, int):
        show(picked)


def label(run: Run, lang: str) -> str:
    """``3 · mnist-cnn · mnist · completed``."""
    dataset = run.dataset if run.dataset.isidentifier() else Path(run.dataset).name
    return f"{run.id} · {run.name} · {dataset} · {t(f'train.status_{run.status}', lang)}"


def start(arch: Architecture, dataset: str, settings: TrainSettings) -> int | None:
    """Queue a run in the store as this session's actor, hand it to the executor and show
    it; a refusal (the queue cap) is a toast and returns None."""
    try:
        run_id = store().create_run(arch, dataset, settings, actor=current_actor())
    except LabError as exc:
        return _refused(exc)
    executor().submit(run_id)
    show(run_id)
    return run_id


def stop(run_id: int) -> None:
    try:
        executor().stop(run_id, actor=current_actor())
    except LabError as exc:
        _refused(exc)


def extend(run_id: int, epochs: int) -> None:
    """Continue: the same run trains ``epochs`` more epochs from its saved state."""
    try:
        store().extend(run_id, epochs, actor=current_actor())
    except LabError as exc:
        return _refused(exc)
    executor().submit(run_id)


def _refused(error: LabError) -> None:
    """A change this session may not make (not the owner, queue full…): a toast."""
    st.toast(safe.escape(error.text(current_language())))
