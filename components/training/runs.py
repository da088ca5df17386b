"""Which run the page shows, and the Train page's actions on runs (through
``components.services``).

The shown run is found from the URL (``?run=<id>``), then this session, then the newest
run still queued or training, so a refreshed page or a second tab finds a running job.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from builder.access import may_change
from builder.architecture import Architecture
from builder.classroom.challenge import continue_run, submit_run
from builder.classroom.visibility import visible
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import ACTIVE, Run
from builder.text import t
from components import safe, services
from components.lang import current as current_language
from components.identity import current_actor

RUN_PARAM, RUN_KEY, PICK_KEY = "run", "train_run", "train_run_pick"
RECENT = 50  # runs offered by the picker
WAITING = ("queued", *ACTIVE)


def shown_run() -> Run | None:
    """The run this page shows: URL, then session, then the newest waiting or active run
    this session may change (its own, in a class)."""
    for candidate in (st.query_params.get(RUN_PARAM), st.session_state.get(RUN_KEY)):
        if candidate is not None and str(candidate).isdigit():
            try:
                run = services.store().run(int(candidate))
            except LabError:
                continue
            shown = visible(services.store(), [run], current_actor())
            if shown:
                return shown[0]   # with the results this session may see
    actor = current_actor()  # in a class: a student's own waiting run, not the neighbour's
    return next((r for r in seen_runs()
                 if r.status in WAITING and may_change(actor, r.owner)), None)


def seen_runs() -> list[Run]:
    """The runs this session may see (class mode may hide others' runs)."""
    return visible(services.store(), services.store().runs(), current_actor())


def comes_first(run: Run) -> bool:
    """Does ``run`` come before the set-up of a new run? While it waits or trains, and once
    this session has watched, started or picked it (so its end never moves it down)."""
    if run.status in WAITING:
        st.session_state[RUN_KEY] = run.id
    return st.session_state.get(RUN_KEY) == run.id


def show(run_id: int) -> None:
    """Make ``run_id`` the shown run (in the URL too, so a refresh keeps it)."""
    st.session_state[RUN_KEY] = run_id
    st.query_params[RUN_PARAM] = str(run_id)


def picker(shown: Run, lang: str) -> None:
    """Choose which of the recent runs the page shows (the shown one is selected)."""
    recent = {r.id: r for r in seen_runs()[:RECENT]}
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


def name(run: Run, lang: str) -> str:
    """The run's name (its model's name unless renamed), or "unnamed model" — never blank."""
    return run.name or t("train.run_unnamed", lang)


def label(run: Run, lang: str) -> str:
    """``3 · mnist-cnn · MNIST digits · completed`` (an uploaded set by its file name)."""
    info = DATASETS.get(run.dataset)
    dataset = info.title[lang] if info else Path(run.dataset).name
    return f"{run.id} · {name(run, lang)} · {dataset} · {t(f'train.status_{run.status}', lang)}"


def start(arch: Architecture, dataset: str, settings: TrainSettings, name: str = "") -> int | None:
    """Queue a run in the store as this session's actor, hand it to the executor and show
    it; a refusal (the queue cap) is a toast and returns None."""
    try:
        run_id = submit_run(services.store(), current_actor(), arch, dataset, settings, name)
    except LabError as exc:
        return _refused(exc)
    services.executor().submit(run_id)
    show(run_id)
    return run_id


def stop(run_id: int) -> None:
    try:
        services.executor().stop(run_id, actor=current_actor())
    except LabError as exc:
        _refused(exc)
    services.shared().forget(run_id)  # this page shows "stopping" at once


def extend(run_id: int, epochs: int) -> None:
    """Continue: the same run trains ``epochs`` more epochs from its saved state."""
    try:
        continue_run(services.store(), current_actor(), run_id, epochs)
    except LabError as exc:
        return _refused(exc)
    services.shared().forget(run_id)
    services.executor().submit(run_id)


def _refused(error: LabError) -> None:
    """A change this session may not make (not the owner, queue full…): a toast."""
    st.toast(safe.escape(error.text(current_language())))
