"""Plotly figures of the Train page: live training curves, confusion matrix, per-class accuracy.

Pure functions of store rows and results (no Streamlit), so they are easy to test.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from builder.compare import own_values
from builder.store import Metric, best_epoch, epoch_rows
from builder.text import t
from components import safe

MAX_BATCH_POINTS = 400    # batch rows drawn per curve, whatever the run's length (thinned evenly)
DIGITS = 4                # decimals sent of each batch point (what 340 pixels can show)
TRAIN, VAL, BATCH, BEST = "#1f77b4", "#ff7f0e", "rgba(31,119,180,0.35)", "#d62728"


@dataclass(frozen=True)
class Curves:
    """x (in epochs: batch b of epoch e sits at e − 1 + b / batches) and y of each curve."""

    batch_x: list[float]
    batch_loss: list[float | None]
    batch_accuracy: list[float | None]
    epochs: list[Metric]


def curves(metrics: Sequence[Metric], batches: int) -> Curves:
    """Batch rows placed on the epoch axis, as the batches' own values (not Keras's running
    mean, which restarts each epoch and makes the curve jump there), thinned to
    MAX_BATCH_POINTS (the newest always kept) and rounded to DIGITS, so what is sent stays
    bounded however long the run; epoch rows all and exact."""
    rows = thin(own_values([m for m in metrics if m.kind == "batch"]), MAX_BATCH_POINTS)
    size = max(batches, 1)
    return Curves([round(m.epoch - 1 + (m.batch or 0) / size, DIGITS) for m in rows],
                  [_rounded(m.loss) for m in rows], [_rounded(m.accuracy) for m in rows],
                  epoch_rows(metrics))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def thin(rows: list[Metric], limit: int) -> list[Metric]:
    """At most ``limit`` rows, evenly spaced, always keeping the newest."""
    if len(rows) <= limit:
        return rows
    step = len(rows) / (limit - 1)
    return [rows[int(i * step)] for i in range(limit - 1)] + [rows[-1]]


def batches_per_epoch(metrics: Sequence[Metric], progress: dict) -> int:
    """The trainer's count when it reported one, else the largest batch number seen."""
    return int(progress.get("batches") or max((m.batch or 0 for m in metrics), default=1))


def live_figure(metrics: Sequence[Metric], batches: int, lang: str) -> go.Figure:
    """Loss and accuracy side by side: per-batch training, per-epoch training and validation,
    dotted epoch boundaries and the best epoch (by validation accuracy) starred."""
    c = curves(metrics, batches)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(t("train.chart_loss", lang), t("train.chart_accuracy", lang)))
    for col, field, batch_y in ((1, "loss", c.batch_loss), (2, "accuracy", c.batch_accuracy)):
        first = col == 1
        fig.add_trace(go.Scatter(x=c.batch_x, y=batch_y, mode="lines", name=t("train.chart_batch", lang),
                                 line={"color": BATCH, "width": 1}, legendgroup="batch",
                                 showlegend=first), row=1, col=col)
        for name, attr, color, dash in ((t("train.chart_train", lang), field, TRAIN, "solid"),
                                        (t("train.chart_val", lang), f"val_{field}", VAL, "dash")):
            fig.add_trace(go.Scatter(
                x=[m.epoch for m in c.epochs], y=[getattr(m, attr) for m in c.epochs],
                mode="lines+markers", name=name, legendgroup=attr.replace(field, ""),
                line={"color": color, "dash": dash}, showlegend=first), row=1, col=col)
    _mark_epochs(fig, c.epochs)
    _mark_best(fig, c.epochs, lang)
    fig.update_xaxes(title_text=t("train.chart_epoch", lang), rangemode="tozero")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.25}, uirevision="live")
    return fig


def _mark_epochs(fig: go.Figure, epochs: list[Metric]) -> None:
    for m in epochs:
        fig.add_vline(x=m.epoch, line={"color": "rgba(128,128,128,0.35)", "dash": "dot", "width": 1})


def _mark_best(fig: go.Figure, epochs: list[Metric], lang: str) -> None:
    best = best_epoch(epochs)
    if best is None:
        return
    row = next(m for m in epochs if m.epoch == best)
    star = {"symbol": "star", "size": 14, "color": BEST}
    for col, value in ((1, row.val_loss if row.val_loss is not None else row.loss),
                       (2, row.val_accuracy if row.val_accuracy is not None else row.accuracy)):
        fig.add_trace(go.Scatter(x=[best], y=[value], mode="markers", marker=star,
                                 name=t("train.chart_best", lang, epoch=best), legendgroup="best",
                                 showlegend=col == 1), row=1, col=col)


def confusion_figure(confusion: list[list[int]], class_names: Sequence[str], lang: str) -> go.Figure:
    """Rows = true class, columns = predicted; an invisible marker on each cell makes it
    clickable (heatmaps send no click selections): its x is the predicted class, y the true."""
    n = len(class_names)
    cells = [(r, c) for r in range(n) for c in range(n)]
    class_names = [safe.plot_text(name) for name in class_names]
    axis = {"tickvals": list(range(n)), "ticktext": class_names}
    fig = go.Figure(go.Heatmap(z=confusion, x=list(range(n)), y=list(range(n)), colorscale="Blues",
                               showscale=False, hoverinfo="skip",
                               texttemplate="%{z}" if n <= 20 else None))
    fig.add_trace(go.Scatter(
        x=[c for _, c in cells], y=[r for r, _ in cells], mode="markers",
        marker={"symbol": "square", "size": max(8, 300 // max(n, 1)), "opacity": 0.01},
        hovertext=[f"{t('train.axis_true', lang)}: {class_names[r]}<br>"
                   f"{t('train.axis_predicted', lang)}: {class_names[c]}<br>{confusion[r][c]}"
                   for r, c in cells],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False))
    fig.update_xaxes(title_text=t("train.axis_predicted", lang), side="top", **axis)
    fig.update_yaxes(title_text=t("train.axis_true", lang), autorange="reversed", **axis)
    fig.update_layout(height=max(320, 34 * n + 120), margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      clickmode="event+select", dragmode=False)
    return fig


def per_class_figure(per_class: Sequence[float | None], class_names: Sequence[str],
                     lang: str) -> go.Figure:
    """One bar per class: the share of its test images classified right."""
    values = [v if v is not None else 0 for v in per_class]
    fig = go.Figure(go.Bar(x=[safe.plot_text(name) for name in class_names], y=values, marker_color=TRAIN,
                           text=[f"{v:.0%}" for v in values], textposition="outside"))
    fig.update_yaxes(range=[0, 1.1], tickformat=".0%", title_text=t("train.chart_accuracy", lang))
    fig.update_xaxes(type="category")
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 20, "b": 10})
    return fig
