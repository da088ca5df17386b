"""The presentation view for a projector: large type, no sidebar, charts only.

It fits a 1280×720 projector: the headline numbers (each chosen run's test accuracy)
come first, then the curves with their legend and axis titles, in one screen."""
from __future__ import annotations

import streamlit as st

from builder import formats
from builder.compare import RunRow, run_labels
from builder.store import Run
from builder.text import t
from components import safe
from components.compare import charts, pair, views

KEY = "compare_present"
STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] { display: none; }
.stApp p, .stApp label, [data-testid="stCaptionContainer"] { font-size: 1.45rem; }
.stApp h1 { font-size: 3rem; } .stApp h2, .stApp h3 { font-size: 2.2rem; }
.stApp [data-testid="stMetricValue"] * { font-size: 3.2rem; }
.stMainBlockContainer { padding-top: 1.5rem; }
</style>"""
HEADLINES = 4  # chosen runs whose test accuracy leads the view


def toggle(lang: str) -> bool:
    """The switch between the page and the presentation view (kept across reruns)."""
    return st.toggle(t("compare.present", lang), key=KEY, help=t("compare.present_help", lang))


def view(chosen: list[Run], rows: list[RunRow], names: dict[int, str], lang: str) -> None:
    """Large-type charts, each once: the chosen runs' curves, the trade-off, then the
    MNIST/CIFAR-10 pair (its curves only when they are not the chosen runs')."""
    st.html(STYLE)
    headline(chosen, lang)
    views.curves(chosen, names, lang, charts.LARGE, key="present_curves")
    views.trade_off(rows, lang, charts.LARGE, key="present_tradeoff")
    pair.side_by_side(lang, charts.LARGE, curves_shown=[r.id for r in chosen])


def headline(chosen: list[Run], lang: str) -> None:
    """The chosen runs' test accuracy, big, side by side (labels tell them apart)."""
    scored = [r for r in chosen if (r.results or {}).get("test_accuracy") is not None]
    scored = scored[:HEADLINES]
    if not scored:
        return
    labels = run_labels(scored, lang)
    for column, run in zip(st.columns(len(scored)), scored):
        column.metric(safe.escape(labels[run.id]), formats.percent(run.results["test_accuracy"]))
