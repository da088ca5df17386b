"""The spotlight's chart: accuracy by epoch in percent, as the leaderboard's table shows it.

Every epoch is a marker (a run of one epoch is one visible point, not an empty line), the
axes have titles, whole epochs only on x, and the y scale is 0–100 % like the table.
"""
from __future__ import annotations

import plotly.graph_objects as go

from builder import formats
from builder.text import t

HEIGHT = 240


def figure(points: list[tuple[int, float]], lang: str) -> go.Figure:
    """``points``: (epoch, accuracy share) pairs, in epoch order."""
    fig = go.Figure(go.Scatter(
        x=[epoch for epoch, _ in points], y=[formats.points(share) for _, share in points],
        mode="lines+markers", marker={"size": 10}, line={"width": 3},
        name=t("class.spotlight_axis_y", lang),
        hovertemplate="%{x}: %{y:.2f} %<extra></extra>"))
    fig.update_layout(height=HEIGHT, margin={"l": 60, "r": 20, "t": 10, "b": 50},
                      showlegend=False)
    last = max(epoch for epoch, _ in points)
    fig.update_xaxes(title_text=t("class.spotlight_axis_x", lang), tickmode="linear", dtick=1,
                     tickformat="d", range=[0.5, last + 0.5])
    fig.update_yaxes(title_text=t("class.spotlight_axis_y", lang), range=[0, 100],
                     ticksuffix=" %")
    return fig


def summary(points: list[tuple[int, float]], lang: str) -> str:
    """The chart in words (its text alternative): each epoch's accuracy."""
    return t("class.spotlight_summary", lang, values=", ".join(
        f"{epoch}: {formats.percent(share)}" for epoch, share in points))
