"""Plotly figures of the Train page: live training curves, confusion matrix, per-class accuracy.

Pure functions of store rows and results (no Streamlit), so they are easy to test.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from builder.compare import own_value
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
    bounded however long the run; epoch rows all and exact. Only the rows kept are turned
    into their own values, so the cost is bounded too."""
    rows = [m for m in metrics if m.kind == "batch"]
    kept = thin(len(rows), MAX_BATCH_POINTS)
    own = [own_value(rows[i], rows[i - 1] if i else None) for i in kept]
    size = max(batches, 1)
    return Curves([round(rows[i].epoch - 1 + (rows[i].batch or 0) / size, DIGITS) for i in kept],
                  [_rounded(loss) for loss, _ in own], [_rounded(accuracy) for _, accuracy in own],
                  epoch_rows(metrics))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def thin(count: int, limit: int) -> list[int]:
    """At most ``limit`` of the indices 0…count−1, evenly spaced, always keeping the newest."""
    if count <= limit:
        return list(range(count))
    step = count / (limit - 1)
    return [int(i * step) for i in range(limit - 1)] + [count - 1]


def batches_per_epoch(metrics: Sequence[Metric], progress: dict) -> int:
    """The trainer's count when it reported one, else the largest batch number seen."""
    return int(progress.get("batches") or max((m.batch or 0 for m in metrics), default=1))


def live_figure(metrics: Sequence[Metric], batches: int, lang: str) -> go.Figure:
    """Loss and accuracy side by side: per-batch training, per-epoch training and validation,
    dotted epoch boundaries and the best epoch (by validation accuracy) starred.

    Watching a run rebuilds this at every new row, so it is assembled as plain dicts on a
    layout checked once per language (:func:`_frame`) and handed over as it is
    (:class:`Assembled`): about 50× less CPU than building it trace by trace."""
    c = curves(metrics, batches)
    data: list[dict] = []
    for col, field, batch_y in ((1, "loss", c.batch_loss), (2, "accuracy", c.batch_accuracy)):
        axes = {**_axes(col), "showlegend": col == 1}
        data.append({"type": "scatter", "x": c.batch_x, "y": batch_y, "mode": "lines",
                     "name": t("train.chart_batch", lang), "line": {"color": BATCH, "width": 1},
                     "legendgroup": "batch", **axes})
        for name, attr, color, dash in ((t("train.chart_train", lang), field, TRAIN, "solid"),
                                        (t("train.chart_val", lang), f"val_{field}", VAL, "dash")):
            data.append({"type": "scatter", "x": [m.epoch for m in c.epochs],
                         "y": [getattr(m, attr) for m in c.epochs], "mode": "lines+markers",
                         "name": name, "legendgroup": attr.replace(field, ""),
                         "line": {"color": color, "dash": dash}, **axes})
    data += _best_marks(c.epochs, lang)
    layout = {**_frame(lang), "shapes": [line for m in c.epochs for line in _epoch_lines(m.epoch)]}
    return Assembled({"data": data, "layout": layout})


class Assembled(go.Figure):
    """A figure whose dict is complete already (plain traces on a layout Plotly validated):
    ``to_dict`` returns it as it is, with no per-property validation and no copy, so every
    session that draws it (``st.plotly_chart`` calls ``to_dict``) shares one dict. Read-only."""

    def __init__(self, spec: dict) -> None:  # noqa: super().__init__ would validate it all
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


@functools.cache
def _frame(lang: str) -> dict:
    """The live chart's layout without its data: two subplots, titles, axes, legend (and
    Plotly's default template), built and validated by Plotly once per language."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(t("train.chart_loss", lang), t("train.chart_accuracy", lang)))
    fig.update_xaxes(title_text=t("train.chart_epoch", lang), rangemode="tozero")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    fig.update_layout(height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.25}, uirevision="live")
    return fig.to_dict()["layout"]


def _axes(col: int) -> dict:
    """The axes of subplot ``col`` (1: x and y; 2: x2 and y2)."""
    suffix = "" if col == 1 else str(col)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _epoch_lines(epoch: int) -> list[dict]:
    """A dotted vertical line at an epoch's end on each subplot."""
    return [{"type": "line", "x0": epoch, "x1": epoch, "xref": x, "y0": 0, "y1": 1,
             "yref": f"{y} domain", "line": {"color": "rgba(128,128,128,0.35)", "dash": "dot", "width": 1}}
            for x, y in (("x", "y"), ("x2", "y2"))]


def _best_marks(epochs: list[Metric], lang: str) -> list[dict]:
    """A star at the best epoch on each subplot (validation values where there are some)."""
    best = best_epoch(epochs)
    if best is None:
        return []
    row = next(m for m in epochs if m.epoch == best)
    star = {"symbol": "star", "size": 14, "color": BEST}
    return [{"type": "scatter", "x": [best], "y": [value], "mode": "markers", "marker": star,
             "name": t("train.chart_best", lang, epoch=best), "legendgroup": "best",
             "showlegend": col == 1, **_axes(col)}
            for col, value in ((1, row.val_loss if row.val_loss is not None else row.loss),
                               (2, row.val_accuracy if row.val_accuracy is not None else row.accuracy))]


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
