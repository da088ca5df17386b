"""The session's model: the Architecture being built, its dataset, selection and history.

Every page reads the model through these functions; every change goes through
``commit`` so that undo/redo (of the model AND its dataset), the "last edit" delta and the
canvas revision stay right. Each change is kept at once where a refresh finds it again:
outside class mode in the tab's URL (``?a=…&d=…``, as its share link), in class mode in
the store as the person's current model (:mod:`components.keeping`), together with the
Train page's settings.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from builder import edits
from builder.analysis import Report, analyse
from builder.architecture import Address, Architecture
from builder.datasets import DATASETS, DatasetInfo
from builder.settings import TrainSettings
from builder.templates import TEMPLATES

ARCH, DATASET, SELECTED, REV = "arch", "dataset", "selected", "arch_rev"
SETTINGS = "train_settings"
PAST, FUTURE, BEFORE = "arch_past", "arch_future", "arch_before"
START_TEMPLATE = "mnist-cnn"
HISTORY = 50


def _init() -> None:
    """Start a session on the seed MNIST model; keys already set (e.g. by tests) stay."""
    if REV not in st.session_state:
        template = TEMPLATES[START_TEMPLATE]
        for key, value in {ARCH: template.architecture, DATASET: template.dataset, SELECTED: None,
                           REV: 0, PAST: [], FUTURE: [], BEFORE: None}.items():
            st.session_state.setdefault(key, value)


def architecture() -> Architecture:
    """The architecture being built in this session."""
    _init()
    return st.session_state[ARCH]


def dataset() -> DatasetInfo:
    """The dataset the model is built for (sets the input shape and number of classes)."""
    _init()
    return DATASETS[st.session_state[DATASET]]


def report() -> Report:
    """The analysis of the current architecture for the current dataset (memoised by
    ``analyse``: every panel of a rerun, and every session with the same model, share it)."""
    return analyse(architecture(), dataset().classes)


def revision() -> int:
    """Grows with every change; the canvas uses it to drop stale echoes."""
    _init()
    return st.session_state[REV]


def bump() -> None:
    """Mark a new revision without changing the model (e.g. a rejected canvas event)."""
    st.session_state[REV] = revision() + 1


def commit(arch: Architecture, dataset_name: str | None = None) -> None:
    """Make ``arch`` (and ``dataset_name``, when given) the current model, remembering the
    old pair for undo and the model for the delta."""
    old = _now()
    new = (arch, dataset_name or old[1])
    if new == old:
        bump()
        return
    st.session_state[PAST] = [*st.session_state[PAST], old][-HISTORY:]
    st.session_state[FUTURE] = []
    _set(new, old[0])


def undo() -> None:
    """Back to the model and dataset before the last change."""
    if st.session_state.get(PAST):
        *rest, previous = st.session_state[PAST]
        st.session_state[PAST] = rest
        st.session_state[FUTURE] = [_now(), *st.session_state[FUTURE]]
        _set(previous, architecture())


def redo() -> None:
    if st.session_state.get(FUTURE):
        following, *rest = st.session_state[FUTURE]
        st.session_state[FUTURE] = rest
        st.session_state[PAST] = [*st.session_state[PAST], _now()]
        _set(following, architecture())


def can_undo() -> bool:
    return bool(st.session_state.get(PAST))


def can_redo() -> bool:
    return bool(st.session_state.get(FUTURE))


def before_last_edit() -> Architecture | None:
    """The model as it was before the last change (None before the first one)."""
    _init()
    return st.session_state[BEFORE]


def set_dataset(name: str) -> None:
    """Choose the dataset; the model's input shape follows it (one step of the history)."""
    commit(replace(architecture(), input_shape=DATASETS[name].input_shape), name)


def load(arch: Architecture, dataset_name: str | None = None) -> None:
    """Replace the model (template, file, share link); the dataset follows its input shape.

    ``dataset_name`` wins when given; otherwise the first dataset with the model's input
    shape is chosen, and a model fitting no dataset gets the current dataset's shape.
    """
    fitting = [d.name for d in DATASETS.values() if d.input_shape == arch.input_shape]
    if dataset_name in DATASETS:
        chosen = dataset_name
    elif dataset().name in fitting or not fitting:
        chosen = dataset().name
    else:
        chosen = fitting[0]
    st.session_state[SELECTED] = None
    commit(replace(arch, input_shape=DATASETS[chosen].input_shape), chosen)


def settings() -> TrainSettings:
    """The training settings last chosen on the Train page (defaults before that)."""
    kept = st.session_state.get(SETTINGS)
    return kept if isinstance(kept, TrainSettings) else TrainSettings()


def keep_settings(chosen: TrainSettings) -> None:
    """Remember the Train page's settings for code export, the pair runs and revisits
    (and, when they changed, where a refresh finds them)."""
    changed = st.session_state.get(SETTINGS) != chosen
    st.session_state[SETTINGS] = chosen
    if changed:
        _keep()


def restore(arch: Architecture, dataset_name: str, chosen: TrainSettings | None) -> None:
    """Start this session on a kept model (a class member's current one), without
    writing it back or adding a history step."""
    _init()
    st.session_state[ARCH], st.session_state[DATASET] = arch, dataset_name
    st.session_state[PAST], st.session_state[FUTURE], st.session_state[BEFORE] = [], [], None
    st.session_state[SELECTED] = None
    if chosen is not None:
        st.session_state[SETTINGS] = chosen
    bump()


def selected() -> Address | None:
    """The address of the selected layer, or None when it no longer exists."""
    _init()
    address = st.session_state[SELECTED]
    if address is None:
        return None
    try:
        edits.get(architecture(), address)
    except IndexError:
        return None
    return address


def select(address: Address | None) -> None:
    st.session_state[SELECTED] = tuple(address) if address is not None else None


def _now() -> tuple[Architecture, str]:
    """The current (model, dataset name): one step of the history."""
    return architecture(), dataset().name


def _set(new: tuple[Architecture, str], old: Architecture) -> None:
    st.session_state[ARCH], st.session_state[DATASET] = new
    st.session_state[BEFORE] = old
    bump()
    _keep()


def _keep() -> None:
    """Keep the change where a refresh finds it (lazily: keeping reads the identity)."""
    from components import keeping
    keeping.keep()
