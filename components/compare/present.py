"""The presentation view for a projector: large type, no sidebar, charts only."""
from __future__ import annotations

import streamlit as st

from builder.compare import RunRow
from builder.store import Run
from builder.text import t
from components.compare import charts, pair, views

KEY = "compare_present"
STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] { display: none; }
.stApp p, .stApp label, [data-testid="stCaptionContainer"] { font-size: 1.45rem; }
.stApp h1 { font-size: 3rem; } .stApp h2, .stApp h3 { font-size: 2.2rem; }
.stApp [data-testid="stMetricValue"] * { font-size: 3.2rem; }
</style>"""


def toggle(lang: str) -> bool:
    """The switch between the page and the presentation view (kept across reruns)."""
    return st.toggle(t("compare.present", lang), key=KEY, help=t("compare.present_help", lang))


def view(chosen: list[Run], rows: list[RunRow], names: dict[int, str], lang: str) -> None:
    """Large-type charts, each once: the chosen runs' curves, the trade-off, then the
    MNIST/CIFAR-10 pair (its curves only when they are not the chosen runs')."""
    st.html(STYLE)
    views.curves(chosen, names, lang, charts.LARGE, key="present_curves")
    views.trade_off(rows, lang, charts.LARGE, key="present_tradeoff")
    pair.side_by_side(lang, charts.LARGE, curves_shown=[r.id for r in chosen])
