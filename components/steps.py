"""The seed tutorial's six steps as a small bar on every page, marking where you are."""
from __future__ import annotations

import streamlit as st

from builder.text import t

STEPS = ("import", "create", "add", "compile", "train", "evaluate")
PAGE_STEPS = {"build": ("import", "create", "add"),
              "train": ("compile", "train", "evaluate"),
              "compare": ("evaluate",)}


def badges(page: str, lang: str) -> str:
    """Markdown: one badge per step, coloured for the steps this page covers."""
    active = PAGE_STEPS.get(page, ())
    return " → ".join(
        f":{'blue' if step in active else 'gray'}-badge[{n}. {t(f'step.{step}', lang)}]"
        for n, step in enumerate(STEPS, start=1))


def step_bar(page: str, lang: str) -> None:
    st.markdown(badges(page, lang), help=t("step.help", lang))
