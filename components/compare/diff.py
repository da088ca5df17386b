"""What differs between the chosen runs: their settings, then each architecture against
the first run's (which layers were added, removed or changed, and which parameters)."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from builder.architecture import position
from builder.compare import LayerChange, architecture_diff, settings_diff
from builder.datasets import DATASETS
from builder.store import Run
from builder.text import t
from components import safe
from components.canvas.view import value_text

ONLY_DIFFERENT = "compare_only_different"
MARKS = {"same": "=", "changed": "✎", "added": "+", "removed": "−"}


def settings(runs: list[Run], names: dict[int, str], lang: str) -> None:
    """One row per setting, one column per run; differing rows first and highlighted."""
    only = st.toggle(t("compare.only_different", lang), key=ONLY_DIFFERENT, value=True)
    rows = [d for d in settings_diff(runs) if d.differs or not only]
    if not rows:
        st.caption(t("compare.same_settings", lang))
        return
    data = pd.DataFrame([[_value(d.name, v, lang) for v in d.values] for d in rows],
                        index=[t(f"compare.setting_{d.name}", lang) for d in rows],
                        columns=[names[r.id] for r in runs])
    differs = [d.differs for d in rows]
    styled = data.style.apply(lambda col: ["background-color: #fff3cd" if x else ""
                                           for x in differs])
    st.dataframe(styled, width="stretch")


def architectures(runs: list[Run], names: dict[int, str], lang: str) -> None:
    """Each later run's architecture against the first one's."""
    first = runs[0]
    for other in runs[1:]:
        changes = architecture_diff(first.architecture, other.architecture)
        moved = [c for c in changes if c.kind != "same"]
        st.markdown(t("compare.arch_vs", lang, a=safe.escape(names[first.id]),
                      b=safe.escape(names[other.id]), n=len(moved)))
        if moved:
            st.dataframe(pd.DataFrame([_change_row(c, lang) for c in moved]), hide_index=True,
                         width="stretch")


def _change_row(change: LayerChange, lang: str) -> dict[str, str]:
    kind = f"{MARKS[change.kind]} {t(f'compare.kind_{change.kind}', lang)}"
    params = " · ".join(f"{name}: {value_text(a)} → {value_text(b)}"
                        for name, (a, b) in change.params.items())
    return {t("compare.change", lang): kind,
            t("compare.layer", lang): position(change.before or change.after, change.type, lang),
            t("compare.params_changed", lang): params}


def _value(name: str, value: Any, lang: str) -> str:
    if name == "dataset" and value in DATASETS:
        return DATASETS[value].title[lang]
    return "—" if value is None else value_text(value)
