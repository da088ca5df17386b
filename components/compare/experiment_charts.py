"""Plotly figures of an experiment: the effect chart and the learning curves by value."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from builder.compare import curve_points
from builder.formats import percent_ticks
from builder.experiments import Effect, value_text
from builder.store import Metric, Run
from builder.text import t
from components.compare.charts import COLOURS, FRONT, OTHER, SMALL, _styled

SECONDARY = ("params", "seconds")
KNEE = "#2ca02c"


def effect(found: Effect, secondary: str, lang: str, font: int = SMALL) -> go.Figure:
    """The varied value on x; test accuracy (mean, min–max bars, each seed a dot) on the
    left axis; parameters or training time as bars on the right; best and knee marked."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    labels = [value_text(found.knob, r.value, lang) for r in found.rows]
    cost = [r.params if secondary == "params" else r.seconds for r in found.rows]
    fig.add_trace(go.Bar(x=labels, y=cost, name=t(f"experiment.axis_{secondary}", lang),
                         marker={"color": OTHER, "opacity": 0.25}, hoverinfo="y+name"),
                  secondary_y=True)
    scored = [(x, r) for x, r in zip(labels, found.rows) if r.mean is not None]
    fig.add_trace(go.Scatter(
        x=[x for x, _ in scored], y=[r.mean for _, r in scored], mode="lines+markers",
        name=t("experiment.axis_accuracy", lang), line={"color": COLOURS[0]},
        marker={"size": font},
        error_y={"type": "data", "symmetric": False, "thickness": 2,
                 "array": [r.high - r.mean for _, r in scored],
                 "arrayminus": [r.mean - r.low for _, r in scored]},
        hovertemplate="%{y:.2%}"), secondary_y=False)
    seeds = [(x, a) for x, r in scored for a in r.accuracies]
    fig.add_trace(go.Scatter(x=[x for x, _ in seeds], y=[a for _, a in seeds], mode="markers",
                             name=t("experiment.axis_seeds", lang), hovertemplate="%{y:.2%}",
                             marker={"color": COLOURS[0], "size": font // 2, "opacity": 0.5}),
                  secondary_y=False)
    for index, name, colour, symbol in ((found.best, "best", FRONT, "star"),
                                        (found.knee, "knee", KNEE, "diamond")):
        if index is not None and found.rows[index].mean is not None:
            fig.add_trace(go.Scatter(
                x=[labels[index]], y=[found.rows[index].mean], mode="markers+text",
                text=[t(f"experiment.{name}", lang)], cliponaxis=False,
                textposition="top center" if name == "best" else "bottom center",
                name=t(f"experiment.{name}", lang), hoverinfo="skip",
                marker={"color": colour, "size": font + 8, "symbol": symbol}), secondary_y=False)
    fig.update_xaxes(title_text=found.knob.label(lang), type="category")
    shown = [a for _, r in scored for a in (r.low, r.high, *r.accuracies) if a is not None]
    if shown:  # round ticks with enough decimals: never two labels alike on a narrow range
        values, texts = percent_ticks(min(shown), max(shown))
        fig.update_yaxes(tickvals=values, ticktext=texts, range=[values[0], values[-1]],
                         secondary_y=False)
    fig.update_yaxes(title_text=t("compare.test_accuracy", lang), secondary_y=False)
    fig.update_yaxes(title_text=t(f"experiment.axis_{secondary}", lang), showgrid=False,
                     rangemode="tozero", secondary_y=True)
    return _styled(fig, font, legend_below=True)


def curves(found: Effect, metrics: dict[int, list[Metric]], runs: dict[int, Run], kind: str,
           lang: str, font: int = SMALL) -> go.Figure:
    """Validation accuracy of every run (training accuracy when no run has validation
    points yet, as per batch), one colour per value (its seeds share it), named once per
    value in the legend."""
    fig = go.Figure()
    points = {run_id: [p for p in curve_points(rows, kind) if p.metric == "accuracy"]
              for run_id, rows in metrics.items()}
    split = "validation" if any(p.split == "validation" for line in points.values()
                                for p in line) else "train"
    for n, row in enumerate(found.rows):
        colour = COLOURS[n % len(COLOURS)]
        name = value_text(found.knob, row.value, lang)
        for k, run_id in enumerate(row.runs):
            line = [p for p in points.get(run_id, []) if p.split == split]
            seed = runs[run_id].settings.seed if run_id in runs else k
            fig.add_trace(go.Scatter(
                x=[p.x for p in line], y=[p.value for p in line], mode="lines+markers",
                name=name, legendgroup=name, showlegend=k == 0 and bool(line),
                line={"color": colour}, marker={"size": font // 2},
                hovertemplate=f"{name} · seed {seed}: %{{y:.2%}}<extra></extra>"))
    fig.update_xaxes(title_text=t("compare.epoch", lang), rangemode="tozero")
    fig.update_yaxes(title_text=t(f"experiment.axis_curve_{split}", lang), tickformat=".0%",
                     range=[0, 1.02])
    fig.update_layout(legend_title_text=found.knob.label(lang))
    return _styled(fig, font, legend_below=True)
