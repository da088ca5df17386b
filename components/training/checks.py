"""Can this model be trained on this dataset? The page says why not and disables Start.

Nothing is adapted silently: an input-shape mismatch offers a button, problems offer
their one-click fixes (the Build page's panel), everything else is explained.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from builder import readiness
from builder.analysis import Report
from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings, check_data
from builder.text import t
from components import problems, safe, state
from components.canvas.view import shape_text
from components.training.data import Choice
from components.training.forecast_view import train_images

Reason = tuple[str, dict]  # a text key and its values


def blockers(arch: Architecture, report: Report, choice: Choice | None) -> list[Reason]:
    """Why this model cannot be trained on ``choice`` yet (empty: it can): the page's own
    (no dataset, one that is not here), then ``builder.readiness``'s, in the page's words."""
    if choice is None:
        return [("train.no_dataset", {})]
    reasons: list[Reason] = []
    if choice.unavailable:
        reasons.append(("train.dataset_unavailable", {"dataset": safe.escape(choice.title)}))
    target = readiness.Target(choice.title, tuple(choice.input_shape))
    for exc in readiness.reasons(arch, target, report):
        values = {k: safe.escape(v) if isinstance(v, str) else v for k, v in exc.args_.items()}
        reasons.append((f"train.{exc.code}", values))
    return reasons


def fits_data(settings: TrainSettings, choice: Choice,
              report: Report | None = None) -> TrainSettings | LabError:
    """``settings``, or why they leave no batch to learn from or no image to validate on,
    or (with the model's ``report``) why their batch needs too much memory."""
    images = train_images(choice)
    try:
        if images is not None:
            check_data(settings, images)
    except LabError as exc:
        return exc
    too_big = readiness.memory_reason(report, settings) if report and not report.errors else None
    return too_big or settings


def model_line(arch: Architecture, report: Report, lang: str) -> None:
    """The model's name, parameter count and shapes in one line."""
    st.markdown(t("train.model_line", lang, name=safe.escape(arch.name) or t("train.model_unnamed", lang),
                  params=report.total_params, shape=shape_text(arch.input_shape),
                  output=shape_text(report.output_shape)))


def explain(reasons: list[Reason], report: Report, choice: Choice | None, lang: str) -> None:
    """Each reason in words, with the button that fixes it where there is one."""
    if reasons:
        st.error(t("train.cannot_start", lang) + "\n\n" + "\n".join(
            f"- {t(key, lang, **values)}" for key, values in reasons), icon=":material/block:")
    if choice is not None and any(key == "train.input_mismatch" for key, _ in reasons):
        st.button(t("train.adapt_input", lang, data=shape_text(choice.input_shape)),
                  key="train_adapt_input", icon=":material/build:", on_click=adapt_input, args=(choice,))
    if report.problems:
        with st.expander(t("build.problems", lang), expanded=bool(report.errors)):
            problems.panel(report, lang)


def adapt_input(choice: Choice) -> None:
    """Give the model the dataset's input shape (the Build page follows a registered set)."""
    if choice.spec in DATASETS:
        state.set_dataset(choice.spec)
    else:
        state.commit(replace(state.architecture(), input_shape=tuple(choice.input_shape)))
