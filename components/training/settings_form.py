"""The training settings widgets; their values become one :class:`TrainSettings`.

Every typed value is either used or visibly refused: the number fields have no limits of
their own (a browser field with limits shows an out-of-range value while quietly keeping
the old one), :class:`TrainSettings` judges each value, and a refused one gets a message
with the allowed range right under its field and keeps Start disabled.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from builder.errors import LabError
from builder.settings import OPTIMIZERS, TrainSettings
from builder.text import t
from components import safe, state

LR_KEY = "train_learning_rate"
KEYS = {"optimizer": "train_optimizer", "learning_rate": LR_KEY, "batch_size": "train_batch_size",
        "epochs": "train_epochs", "validation_split": "train_validation_split",
        "limit": "train_limit", "seed": "train_seed"}  # setting → its widget


def settings_form(lang: str, restore: TrainSettings | None = None) -> TrainSettings | LabError:
    """Optimizer, learning rate, batch size, epochs, validation share, image limit, seed;
    the first refused value as a :class:`LabError` when any is out of range.

    The widgets start from the settings kept in the session, so they survive a visit to
    another page (Streamlit forgets the widgets of pages that are not shown). A new session
    (a refreshed page) has none kept: it starts from ``restore``, the shown run's settings."""
    kept = state.settings() if restore is None or state.SETTINGS in st.session_state else restore
    top, bottom = st.columns(4), st.columns(4)
    with top[0]:
        optimizer = st.selectbox(t("train.optimizer", lang), OPTIMIZERS, key=KEYS["optimizer"],
                                 index=OPTIMIZERS.index(kept.optimizer),
                                 format_func=lambda o: t(f"train.opt_{o}", lang),
                                 help=t("train.optimizer_help", lang))
    with bottom[0]:
        validation_split = st.slider(
            t("train.validation_split", lang), min_value=0.0, max_value=0.5,
            value=kept.validation_split, step=0.05, key=KEYS["validation_split"],
            help=t("train.validation_split_help", lang))
    values: dict[str, Any] = {"optimizer": optimizer,
                              "validation_split": round(float(validation_split), 4)}
    refused: list[LabError] = []
    for col, name, step in ((top[1], "learning_rate", 0.0005), (top[2], "batch_size", 16),
                            (top[3], "epochs", 1), (bottom[1], "limit", 500), (bottom[2], "seed", 1)):
        with col:
            values[name] = _number(name, getattr(kept, name), step, KEYS[name], lang)
            error = refusal(name, values[name], lang)
            if error is not None:
                st.markdown(f":red[:material/block: {safe.error(error, lang)}]")
                refused.append(error)
    if refused:
        return refused[0]
    chosen = TrainSettings(**values)
    state.keep_settings(chosen)
    return chosen


def committed() -> TrainSettings | LabError:
    """The settings as the widgets hold them now. In Start's callback these are the values
    sent with the click: a number typed just before it is committed by that very click
    (on blur), after the form last drew, so arguments bound at drawing time would be stale."""
    kept = state.settings()
    values = {name: st.session_state.get(key, getattr(kept, name)) for name, key in KEYS.items()}
    values["validation_split"] = round(float(values["validation_split"]), 4)
    try:
        return TrainSettings(**values)
    except LabError as exc:
        return exc


def _number(name: str, value: Any, step: float, key: str, lang: str) -> Any:
    """One limitless number field (the learning rate shown as typed, ``%g``)."""
    return st.number_input(t(f"train.{name}", lang), value=value, step=step, key=key,
                           format="%g" if name == "learning_rate" else None,
                           help=t(f"train.{name}_help", lang))


def refusal(name: str, value: Any, lang: str) -> LabError | None:
    """Why :class:`TrainSettings` refuses ``value`` for setting ``name`` (None: it is used)."""
    try:
        replace(TrainSettings(), **{name: value})
    except LabError:
        shown = f"{value:g}" if isinstance(value, float) else value
        return LabError("setting_refused", field=t(f"train.{name}", lang), got=shown,
                        allowed=t(f"train.range_{name}", lang))
    return None


def set_learning_rate(value: float) -> None:
    """Used by the "diverged" advice: put a smaller rate into the form."""
    state.keep_settings(replace(state.settings(), learning_rate=value))
    st.session_state.pop(LR_KEY, None)
