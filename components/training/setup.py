"""Setting up a new run: dataset, settings, cost forecast, model checks and Start."""
from __future__ import annotations

import streamlit as st

from builder.analysis import Report, analyse
from builder.architecture import Architecture
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.text import t
from components import safe
from components.classroom import rules as class_rules
from components.training import checks, data, runs
from components.training.forecast_view import forecast_panel
from components.training import settings_form as form


def setup(arch: Architecture, lang: str, restore: TrainSettings | None = None) -> None:
    """Everything before Start; Start is disabled, with the reasons, until ``arch`` can train.

    Start works through its callback, so the rerun it causes already shows the new run.
    """
    data_col, model_col = st.columns([3, 2], gap="large")
    with data_col:
        st.subheader(t("train.dataset", lang), anchor=False)
        choice = data.picker(lang)
    report = analyse(arch, choice.classes if choice else None)
    reasons = checks.blockers(arch, report, choice)

    st.subheader(t("train.settings", lang), anchor=False)
    class_rules.cap_form(lang)
    settings = form.settings_form(lang, restore)
    if choice is not None and not isinstance(settings, LabError):
        settings = checks.fits_data(settings, choice, report)
    if isinstance(settings, LabError):
        reasons.append(("train.bad_settings", {"error": safe.error(settings, lang)}))
    elif choice and (broken := class_rules.reason(arch, choice.spec, settings, lang)):
        reasons.append(broken)
    if not reasons:
        st.subheader(t("train.forecast", lang), anchor=False)
        forecast_panel(arch, choice, settings, lang)

    with model_col:
        st.subheader(t("train.model", lang), anchor=False)
        checks.model_line(arch, report, lang)
        checks.explain(reasons, report, choice, lang)

    st.button(t("train.start", lang), key="train_start", type="primary", icon=":material/play_arrow:",
              disabled=bool(reasons), on_click=_start, args=None if reasons else (arch, choice, report))


def _start(arch: Architecture, choice: data.Choice, report: Report) -> None:
    """Start with the settings the widgets hold at the click (a value typed just before it
    arrives with the click, after the form was drawn); a refused one starts nothing, and the
    rerun shows why under its field."""
    settings = form.committed()
    if not isinstance(settings, LabError):
        settings = checks.fits_data(settings, choice, report)
    if not isinstance(settings, LabError):
        runs.start(arch, choice.spec, settings)
