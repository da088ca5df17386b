"""The problems panel: every problem of the model, and every class-challenge rule it
breaks, with a one-click fix where one exists (never one that leads away from the
challenge)."""
from __future__ import annotations

import streamlit as st

from builder import edits
from builder.analysis import Fix, Problem, Report
from builder.architecture import position
from builder.errors import LabError
from builder.text import t
from components import safe, state
from components.classroom import rules
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
        broken = rules.problems(state.architecture(), state.dataset().name, lang)
        if not report.problems and not broken and refused is None:
            st.success(t("build.no_problems", lang), icon=":material/check_circle:")
        for i, rule in enumerate(broken):
            _rule(rule, i, lang)
        ordered = sorted(report.problems, key=lambda p: p.severity != "error")
        for i, problem in enumerate(ordered):
            _problem(problem, i, lang)


def _rule(rule: rules.RuleProblem, i: int, lang: str) -> None:
    """A broken challenge rule: always an error; its fix as a button, or as a hint."""
    hint = f" — {safe.escape(rule.fix_text)}" if rule.fix_text and rule.fix is None else ""
    st.error(f"**{safe.escape(t('build.challenge_rule', lang))}**: "
             f"{safe.escape(rule.error.text(lang))}{hint}", icon=":material/flag:")
    if rule.fix is not None:
        st.button(rule.fix_text, key=f"rule-fix-{state.revision()}-{i}", icon=":material/build:",
                  on_click=rule.fix)


def _problem(problem: Problem, i: int, lang: str) -> None:
    box = st.error if problem.severity == "error" else st.warning
    box(f"**{safe.escape(problem.where(lang))}**: {safe.escape(problem.message(lang))} — "
        f"{safe.escape(problem.hint(lang))}",
        icon=":material/error:" if problem.severity == "error" else ":material/warning:")
    for n, fix in enumerate(_kept_fixes(problem)):
        st.button(fix.text(lang), key=f"fix-{state.revision()}-{i}" + (f"-{n}" if n else ""),
                  icon=":material/build:", on_click=apply_fix, args=(fix,))


def _kept_fixes(problem: Problem) -> list[Fix]:
    """The problem's fixes that keep to the class challenge (all of them without one)."""
    arch, dataset = state.architecture(), state.dataset().name
    kept = []
    for fix in problem.fixes:
        try:
            after = fix.apply(arch)
        except (LabError, IndexError):
            continue
        if rules.fix_allowed(arch, after, dataset):
            kept.append(fix)
    return kept


def apply_fix(fix: Fix) -> None:
    """Apply a problem's one-click fix to the session's model."""
    try:
        state.commit(fix.apply(state.architecture()))
    except (LabError, IndexError):
        state.bump()  # the model changed under the button; the panel is redrawn
