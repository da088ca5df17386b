"""The chosen runs' overlaid curves and the trade-off chart, at page or projector size."""
from __future__ import annotations

import streamlit as st

from builder.compare import COSTS, RunRow, per_batch_first, tradeoff
from builder.store import Run
from builder.text import t
from components import services
from components.compare import charts

PER_BATCH, COST = "compare_per_batch", "compare_cost"


def curves(runs: list[Run], names: dict[int, str], lang: str, font: int = charts.SMALL,
           key: str = "curves") -> None:
    """Training and validation loss and accuracy of ``runs``, per epoch or per batch
    (per batch by default when no run has more than two epochs: a few dots say little)."""
    if not runs:
        st.info(t("compare.pick_first", lang))
        return
    short = per_batch_first(runs)
    # One switch per kind of choice, so each starts from its own sensible default.
    per_batch = st.toggle(t("compare.per_batch", lang), value=short,
                          key=f"{PER_BATCH}_{'short' if short else 'long'}",
                          help=t("compare.per_batch_help", lang))
    kind = "batch" if per_batch else "epoch"
    metrics = {r.id: services.store().metrics(r.id, kind=kind) for r in runs}
    charts.show(charts.curves(metrics, runs, names, kind, lang, font), key, lang,
                download=font == charts.SMALL)


def trade_off(rows: list[RunRow], lang: str, font: int = charts.SMALL,
              key: str = "tradeoff") -> None:
    """Test accuracy against parameters or training time; the best runs starred."""
    cost = st.segmented_control(t("compare.cost", lang), COSTS, key=COST, default=COSTS[0],
                                format_func=lambda c: t(f"compare.cost_{c}", lang),
                                required=True)
    points = tradeoff(rows, cost)
    if not points:
        st.info(t("compare.no_results", lang))
        return
    charts.show(charts.tradeoff(points, cost, lang, font), key, lang,
                download=font == charts.SMALL)
    st.caption(t("compare.front_help", lang))
