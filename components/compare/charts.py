"""Plotly figures of the Compare page and how they are shown with their downloads.

Every chart has Plotly's modebar (its camera button saves a PNG) and a button that
downloads it as a self-contained interactive HTML file.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from builder import formats
from builder.compare import TradePoint, compact, curve_points, log_ticks
from builder.store import Metric, Run
from builder.text import t
from components import safe

COLOURS = qualitative.Plotly
DASH = {"train": "solid", "validation": "dash"}
SMALL, LARGE = 13, 24  # font sizes: page, presentation
PRESENT_HEIGHT = 420  # a presentation chart, its legend and the headline fit 1280×720
# The app's fonts (.streamlit/config.toml's theme.font): without Streamlit's chart theme
# (presentation size) Plotly would draw Korean names in its own fonts, as empty boxes.
FONT_FAMILY = "Source Sans, layerlab-hangul, layerlab-symbols, sans-serif"
FRONT, OTHER = "#d62728", "#7f7f7f"
MARKED = 30  # lines of this many points or fewer show each point (one point needs a dot)
SIDES = ("top left", "bottom right")  # front labels alternate so neighbours do not overlap


def curves(metrics: dict[int, list[Metric]], runs: list[Run], names: dict[int, str], kind: str,
           lang: str, font: int = SMALL) -> go.Figure:
    """Loss (left) and accuracy (right) of each run per epoch or batch: one colour per run
    (named once in the legend), solid for training, dashed for validation."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(t("compare.loss", lang), t("compare.accuracy", lang)))
    for n, run in enumerate(runs):
        points = curve_points(metrics.get(run.id, []), kind)
        colour = COLOURS[n % len(COLOURS)]
        for split, dash in DASH.items():
            for col, metric in ((1, "loss"), (2, "accuracy")):
                line = [p for p in points if p.split == split and p.metric == metric]
                if line:
                    fig.add_trace(go.Scatter(
                        x=[p.x for p in line], y=[p.value for p in line],
                        mode="lines+markers" if len(line) <= MARKED else "lines",
                        name=safe.plot_text(names.get(run.id, f"#{run.id}")), legendgroup=str(run.id),
                        showlegend=False, hovertemplate=f"%{{y:.3f}} ({t(f'compare.{split}', lang)})",
                        line={"color": colour, "dash": dash}, marker={"size": font // 2}),
                        row=1, col=col)
        fig.add_trace(_legend_entry(safe.plot_text(names.get(run.id, f"#{run.id}")), colour, "solid",
                                    str(run.id)))
    for split, dash in DASH.items():  # what solid and dashed mean
        fig.add_trace(_legend_entry(t(f"compare.{split}", lang), OTHER, dash, split))
    epochs = max((len(metrics.get(r.id, [])) for r in runs), default=1) if kind == "epoch" else 0
    fig.update_xaxes(title_text=t("compare.epoch", lang), dtick=max(1, round(epochs / 8))
                     if epochs else None, rangemode="normal" if epochs else "tozero")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], row=1, col=2)
    return _styled(fig, font, legend_below=True)


def tradeoff(points: list[TradePoint], cost: str, lang: str, font: int = SMALL) -> go.Figure:
    """Test accuracy against ``cost`` (parameters or training seconds). The best runs for
    their cost (the Pareto front) are stars joined by a line and labelled with their
    number; every point names its run on hover."""
    fig = go.Figure()
    front = sorted((p for p in points if p.best), key=lambda p: (p.cost, p.score))
    if front:
        fig.add_trace(go.Scatter(x=[p.cost for p in front], y=[p.score for p in front],
                                 mode="lines", line={"color": FRONT, "dash": "dot"},
                                 name=t("compare.front", lang), hoverinfo="skip"))
    others = [p for p in points if not p.best]
    for group, best in ((others, False), (front, True)):
        if group:
            fig.add_trace(go.Scatter(
                x=[p.cost for p in group], y=[p.score for p in group],
                mode="markers+text" if best else "markers", cliponaxis=False,
                text=[f"#{p.row.id}" for p in group],
                textposition=[SIDES[i % 2] for i in range(len(group))],
                hovertext=[f"{safe.plot_text(p.row.label)}<br>{formats.percent(p.score)} · {_cost_text(p.cost, cost)}"
                           for p in group], hoverinfo="text",
                name=t("compare.best" if best else "compare.others", lang),
                marker={"size": 16 if best else 10, "symbol": "star" if best else "circle",
                        "color": FRONT if best else OTHER, "opacity": 1 if best else 0.7}))
    fig.update_xaxes(title_text=t(f"compare.cost_{cost}", lang), **_cost_axis(points, cost))
    fig.update_yaxes(title_text=t("compare.test_accuracy", lang), tickformat=".0%",
                     range=[0, 1.08])
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


def _legend_entry(name: str, colour: str, dash: str, group: str) -> go.Scatter:
    """A line that only shows in the legend (clicking it hides its group)."""
    return go.Scatter(x=[None], y=[None], mode="lines", name=name, legendgroup=group,
                      line={"color": colour, "dash": dash}, hoverinfo="skip")


def _cost_axis(points: list[TradePoint], cost: str) -> dict:
    """Parameters on a log axis with 1-2-5 ticks written 20k, 50k, 100k; seconds linear."""
    if cost != "params":
        return {"type": "linear", "rangemode": "tozero", "ticksuffix": " s"}
    ticks = log_ticks(min(p.cost for p in points), max(p.cost for p in points))
    return {"type": "log", "tickvals": ticks, "ticktext": [compact(v) for v in ticks],
            "range": [math.log10(ticks[0]) - 0.05, math.log10(ticks[-1]) + 0.05]}


def _cost_text(value: float, cost: str) -> str:
    return f"{value:,.0f}" if cost == "params" else f"{value:.1f} s"


def _styled(fig: go.Figure, font: int, legend_below: bool = False) -> go.Figure:
    """Font, height and room at the top for the modebar above subplot titles."""
    fig.update_layout(font={"size": font, "family": FONT_FAMILY},
                      margin={"l": 10, "r": 10, "t": 70, "b": 10},
                      height=400 if font == SMALL else PRESENT_HEIGHT, template="plotly_white")
    fig.update_annotations(font_size=font + 2)
    if legend_below:  # below the axis titles, in the figure's own margin
        fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0,
                                  "yanchor": "bottom", "x": 0})
    return fig
