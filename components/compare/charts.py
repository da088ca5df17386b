"""Plotly figures of the Compare page and how they are shown with their downloads.

Every chart has Plotly's modebar (its camera button saves a PNG) and a button that
downloads it as a self-contained interactive HTML file.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from builder.compare import TradePoint, curve_points
from builder.store import Metric, Run
from builder.text import t

COLOURS = qualitative.Plotly
DASH = {"train": "solid", "validation": "dash"}
SMALL, LARGE = 13, 24  # font sizes: page, presentation


def label(run: Run) -> str:
    return f"#{run.id} {run.name or run.dataset}"


def curves(metrics: dict[int, list[Metric]], runs: list[Run], kind: str, lang: str,
           font: int = SMALL) -> go.Figure:
    """Loss (left) and accuracy (right) per epoch of each run: one colour per run,
    solid for training, dashed for validation."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(t("compare.loss", lang), t("compare.accuracy", lang)))
    for n, run in enumerate(runs):
        points = curve_points(metrics.get(run.id, []), kind)
        for split, dash in DASH.items():
            for col, metric in ((1, "loss"), (2, "accuracy")):
                line = [p for p in points if p.split == split and p.metric == metric]
                if not line:
                    continue
                fig.add_trace(go.Scatter(
                    x=[p.x for p in line], y=[p.value for p in line],
                    mode="lines+markers" if kind == "epoch" else "lines",
                    name=f"{label(run)} · {t(f'compare.{split}', lang)}",
                    legendgroup=str(run.id), showlegend=col == 1,
                    line={"color": COLOURS[n % len(COLOURS)], "dash": dash},
                    marker={"size": font // 2}), row=1, col=col)
    fig.update_xaxes(title_text=t("compare.epoch", lang))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], row=1, col=2)
    return _styled(fig, font, legend_below=True)


def tradeoff(points: list[TradePoint], cost: str, lang: str, font: int = SMALL) -> go.Figure:
    """Test accuracy against ``cost`` (parameters or training seconds); the best runs for
    their cost (the Pareto front) are stars joined by a line."""
    fig = go.Figure()
    front = sorted((p for p in points if p.best), key=lambda p: p.cost)
    if front:
        fig.add_trace(go.Scatter(x=[p.cost for p in front], y=[p.score for p in front],
                                 mode="lines", line={"color": "#d62728", "dash": "dot"},
                                 name=t("compare.front", lang), hoverinfo="skip"))
    for best in (False, True):
        group = [p for p in points if p.best == best]
        if group:
            fig.add_trace(go.Scatter(
                x=[p.cost for p in group], y=[p.score for p in group], mode="markers+text",
                text=[f"#{p.row.id}" for p in group], textposition="top center", cliponaxis=False,
                hovertext=[f"#{p.row.id} {p.row.name} ({p.row.dataset})" for p in group],
                name=t("compare.best" if best else "compare.others", lang),
                marker={"size": 16 if best else 10, "symbol": "star" if best else "circle",
                        "color": "#d62728" if best else "#7f7f7f"}))
    fig.update_xaxes(title_text=t(f"compare.cost_{cost}", lang),
                     type="log" if cost == "params" else "linear")
    fig.update_yaxes(title_text=t("compare.test_accuracy", lang), tickformat=".0%",
                     range=[0, 1.05])
    return _styled(fig, font)


def show(fig: go.Figure, key: str, lang: str, download: bool = True) -> None:
    """The chart (modebar: PNG) and, below it, its interactive HTML download."""
    large = fig.layout.font.size == LARGE  # Streamlit's theme would shrink the large type
    st.plotly_chart(fig, key=key, theme=None if large else "streamlit",
                    config={"displaylogo": False,
                            "toImageButtonOptions": {"filename": key, "scale": 2}})
    if download:
        st.download_button(t("compare.html", lang), lambda: fig.to_html(include_plotlyjs=True),
                           f"{key}.html", mime="text/html", icon=":material/download:",
                           key=f"{key}_html", on_click="ignore", help=t("compare.png_help", lang))


def _styled(fig: go.Figure, font: int, legend_below: bool = False) -> go.Figure:
    fig.update_layout(font={"size": font}, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      height=380 if font == SMALL else 560, template="plotly_white")
    fig.update_annotations(font_size=font + 2)
    if legend_below:
        fig.update_layout(legend={"orientation": "h", "y": -0.25, "x": 0})
    return fig
