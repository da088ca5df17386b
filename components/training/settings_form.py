"""The training settings widgets; their values become one :class:`TrainSettings`."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from builder.errors import LabError
from builder.settings import OPTIMIZERS, TrainSettings
from builder.text import t
from components import state

LR_KEY = "train_learning_rate"


def settings_form(lang: str, restore: TrainSettings | None = None) -> TrainSettings | LabError:
    """Optimizer, learning rate, batch size, epochs, validation share, image limit, seed.

    The widgets start from the settings kept in the session, so they survive a visit to
    another page (Streamlit forgets the widgets of pages that are not shown). A new session
    (a refreshed page) has none kept: it starts from ``restore``, the shown run's settings."""
    kept = state.settings() if restore is None or state.SETTINGS in st.session_state else restore
    top = st.columns(4)
    optimizer = top[0].selectbox(t("train.optimizer", lang), OPTIMIZERS, key="train_optimizer",
                                 index=OPTIMIZERS.index(kept.optimizer),
                                 format_func=lambda o: t(f"train.opt_{o}", lang),
                                 help=t("train.optimizer_help", lang))
    learning_rate = top[1].number_input(
        t("train.learning_rate", lang), min_value=1e-6, max_value=10.0, value=kept.learning_rate,
        step=0.0005, format="%g", key=LR_KEY, help=t("train.learning_rate_help", lang))
    batch_size = top[2].number_input(
        t("train.batch_size", lang), min_value=1, max_value=8192, value=kept.batch_size, step=16,
        key="train_batch_size", help=t("train.batch_size_help", lang))
    epochs = top[3].number_input(t("train.epochs", lang), min_value=1, max_value=1000,
                                 value=kept.epochs, key="train_epochs",
                                 help=t("train.epochs_help", lang))
    bottom = st.columns(4)
    validation_split = bottom[0].slider(
        t("train.validation_split", lang), min_value=0.0, max_value=0.5,
        value=kept.validation_split, step=0.05, key="train_validation_split",
        help=t("train.validation_split_help", lang))
    limit = bottom[1].number_input(t("train.limit", lang), min_value=10, value=kept.limit,
                                   step=500, key="train_limit", help=t("train.limit_help", lang))
    seed = bottom[2].number_input(t("train.seed", lang), min_value=0, max_value=2**31 - 1,
                                  value=kept.seed, key="train_seed", help=t("train.seed_help", lang))
    try:
        chosen = TrainSettings(optimizer=optimizer, learning_rate=float(learning_rate),
                               batch_size=int(batch_size), epochs=int(epochs),
                               validation_split=round(float(validation_split), 4),
                               limit=None if limit is None else int(limit), seed=int(seed))
    except LabError as exc:
        return exc
    state.keep_settings(chosen)
    return chosen


def set_learning_rate(value: float) -> None:
    """Used by the "diverged" advice: put a smaller rate into the form."""
    state.keep_settings(replace(state.settings(), learning_rate=value))
    st.session_state.pop(LR_KEY, None)
