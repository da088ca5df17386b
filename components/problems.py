"""The problems panel: every problem of the model with a one-click fix where one exists."""
from __future__ import annotations

import streamlit as st

from builder import edits
from builder.analysis import Fix, Problem, Report
from builder.architecture import position
from builder.errors import LabError
from builder.text import t
from components import safe, state
from components.editor import refusal


def panel(report: Report, lang: str) -> None:
    """Errors first, then warnings; each fixable one gets a button per fix (first the best)."""
    with st.container(key="problems"):
        st.subheader(t("build.problems", lang), anchor=False)
        refused = refusal()
        if refused is not None:
            where = position(refused.address, edits.get(state.architecture(), refused.address).type, lang)
            st.error(f"**{safe.escape(where)}**: {refused.markdown(lang)}",
                     icon=":material/block:")
        if not report.problems and refused is None:
            st.success(t("build.no_problems", lang), icon=":material/check_circle:")
        ordered = sorted(report.problems, key=lambda p: p.severity != "error")
        for i, problem in enumerate(ordered):
            _problem(problem, i, lang)


def _problem(problem: Problem, i: int, lang: str) -> None:
    box = st.error if problem.severity == "error" else st.warning
    box(f"**{safe.escape(problem.where(lang))}**: {safe.escape(problem.message(lang))} — "
        f"{safe.escape(problem.hint(lang))}",
        icon=":material/error:" if problem.severity == "error" else ":material/warning:")
    for n, fix in enumerate(problem.fixes):
        st.button(fix.text(lang), key=f"fix-{state.revision()}-{i}" + (f"-{n}" if n else ""),
                  icon=":material/build:", on_click=apply_fix, args=(fix,))


def apply_fix(fix: Fix) -> None:
    """Apply a problem's one-click fix to the session's model."""
    try:
        state.commit(fix.apply(state.architecture()))
    except (LabError, IndexError):
        state.bump()  # the model changed under the button; the panel is redrawn
