"""The cost forecast before Start: start-up, time per epoch, the whole run and peak memory.

The numbers come from :mod:`builder.forecast`; measuring this machine runs a short Keras
job in a subprocess (never in the server) and is cached next to the run store.
"""
from __future__ import annotations

import streamlit as st

from builder import forecast
from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings, split
from builder.text import t
from components import safe
from components.summary import human_bytes
from components.training.data import Choice
from components.training.words import duration


def train_images(choice: Choice) -> int | None:
    """The size of the training set: counted when loaded, else the registry's figure."""
    if choice.data is not None:
        return len(choice.data.y_train)
    info = DATASETS.get(choice.spec)
    return info.train_images if info else None


def forecast_panel(arch: Architecture, choice: Choice, settings: TrainSettings, lang: str) -> None:
    """The images used, three metrics, the start-up / training split and, until this
    machine was measured, a button to measure it."""
    images = train_images(choice)
    if images is None:
        st.caption(t("train.forecast_missing", lang))
        return
    fit, validation = split(images, settings)
    st.caption(t("train.forecast_images", lang, used=fit + validation, total=images, fit=fit,
                 val=validation))
    calibration = forecast.cached_calibration()
    cost = forecast.estimate(arch, images, settings, calibration)
    epoch_col, total_col, memory_col = st.columns(3)
    epoch_col.metric(t("train.forecast_epoch", lang), duration(cost.seconds_per_epoch, lang))
    total_col.metric(t("train.forecast_total", lang), duration(cost.seconds_total, lang))
    memory_col.metric(t("train.forecast_memory", lang), human_bytes(cost.peak_memory_bytes))
    st.caption(t("train.forecast_split", lang, startup=duration(cost.seconds_startup, lang),
                 training=duration(cost.seconds_training, lang)))
    if cost.calibrated:
        st.caption(t("train.forecast_note", lang))
        return
    st.caption(t("train.forecast_typical", lang))
    if st.button(t("train.forecast_calibrate", lang), key="train_calibrate", icon=":material/speed:"):
        with st.spinner(t("train.forecast_measuring", lang)):
            try:
                forecast.calibrate()
            except LabError as exc:
                st.error(safe.error(exc, lang), icon=":material/block:")
                return
        st.rerun()


def with_wait(total: float, wait: forecast.Wait, lang: str) -> str:
    """"Done about 2 min after the click, 1 min of it behind the 3 runs ahead" — the
    forecast that counts the queue (experiments and the pair)."""
    if wait.runs:
        return t("forecast.with_wait", lang, time=duration(total, lang), runs=wait.runs,
                 wait=duration(wait.seconds, lang))
    return t("forecast.no_wait", lang, time=duration(total, lang))
