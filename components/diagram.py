"""The architecture diagram (Plotly): one box per layer, top to bottom, sized by its output.

A box's width follows the output's height×width (a 28×28 map is wide, a vector narrow) and
its height follows the number of channels, so a model's funnel shape is visible at a
glance. A block's paths are drawn side by side and meet again at the block's merge box.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import log2, log10

import plotly.graph_objects as go

from builder.analysis import Report
from builder.architecture import Address, Architecture, Layer
from builder.catalogue import layer_type
from builder.text import t
from components.canvas.view import shape_text

GAP = 0.35
PATH_GAP = 0.4
COLOURS = {"convolution": "#4c8bf5", "pooling": "#21a67a", "core": "#8e6cd8",
           "regularization": "#e08a1e", "augmentation": "#d45b9c", "blocks": "#6b7f99",
           "input": "#888888"}


@dataclass(frozen=True)
class Box:
    x: float  # centre
    y: float  # top
    w: float
    h: float
    label: str
    group: str


def box_size(shape: tuple[int, ...] | None, side: int) -> tuple[float, float]:
    """(width, height): width from the spatial size (or log of a vector's length),
    height from log2 of the channels."""
    if not shape:
        return 1.0, 0.5
    if len(shape) == 3:
        return 0.8 + 2.4 * min(1.0, shape[0] / side), 0.45 + 0.12 * log2(max(shape[2], 1))
    return 0.5 + 0.5 * min(1.0, log10(max(shape[-1], 1)) / 4), 0.45


class _Layout:
    """Places boxes and the lines between them, walking the stack like the analysis."""

    def __init__(self, report: Report, side: int, lang: str) -> None:
        self.report, self.side, self.lang = report, side, lang
        self.boxes: list[Box] = []
        self.lines: list[tuple[float, float, float, float]] = []

    def box(self, x: float, y: float, shape, label: str, group: str, link_from) -> tuple:
        w, h = box_size(shape, self.side)
        self.boxes.append(Box(x, y, w, h, label, group))
        for fx, fy in link_from:
            self.lines.append((fx, fy, x, y))
        return [(x, y - h)], y - h - GAP

    def width(self, layer: Layer, address: Address) -> float:
        if not layer.paths:
            return self.leaf_width(address)
        paths = [self.path_width(p, (*address, k)) for k, p in enumerate(layer.paths)]
        return max(sum(paths) + PATH_GAP * (len(paths) - 1), self.leaf_width(address))

    def leaf_width(self, address: Address) -> float:
        row = self.report.row(address)
        return box_size(row.output_shape if row else None, self.side)[0]

    def path_width(self, path: tuple[Layer, ...], prefix: Address) -> float:
        return max([self.width(layer, (*prefix, j)) for j, layer in enumerate(path)] or [0.8])

    def stack(self, layers: tuple[Layer, ...], prefix: Address, x: float, y: float, ends) -> tuple:
        for i, layer in enumerate(layers):
            ends, y = self.layer(layer, (*prefix, i), x, y, ends)
        return ends, y

    def layer(self, layer: Layer, address: Address, x: float, y: float, ends) -> tuple:
        row = self.report.row(address)
        shape = row.output_shape if row else None
        kind = layer_type(layer.type)
        group = kind.group if kind else "core"
        label = f"{layer.type} {shape_text(shape)}"
        if not layer.paths:
            return self.box(x, y, shape, label, group, ends)
        widths = [self.path_width(p, (*address, k)) for k, p in enumerate(layer.paths)]
        left = x - (sum(widths) + PATH_GAP * (len(widths) - 1)) / 2
        path_ends, bottom = [], y
        for k, path in enumerate(layer.paths):
            centre = left + widths[k] / 2
            end, low = self.stack(path, (*address, k), centre, y, ends)
            path_ends += end
            bottom = min(bottom, low)
            left += widths[k] + PATH_GAP
        if layer.type == "Residual":
            path_ends += ends  # the shortcut joins the main path at the merge box
        merge = t(f"diagram.merge_{layer.params.get('merge', 'add')}", self.lang)
        return self.box(x, bottom, shape, f"{layer.type} ({merge}) {shape_text(shape)}", group,
                        path_ends)


def figure(arch: Architecture, report: Report, lang: str) -> go.Figure:
    """The whole model as a Plotly figure, input at the top."""
    layout = _Layout(report, max(arch.input_shape[0], 1), lang)
    ends, _ = layout.box(0.0, 0.0, arch.input_shape,
                         f"{t('diagram.input', lang)} {shape_text(arch.input_shape)}", "input", [])
    layout.stack(arch.layers, (), 0.0, -box_size(arch.input_shape, layout.side)[1] - GAP, ends)
    return _draw(layout)


def _draw(layout: _Layout) -> go.Figure:
    fig = go.Figure()
    for x0, y0, x1, y1 in layout.lines:  # first, so that the boxes cover them
        fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
                      line={"color": "rgba(128,128,128,0.7)", "width": 1.5})
    for b in layout.boxes:
        fig.add_shape(type="rect", x0=b.x - b.w / 2, x1=b.x + b.w / 2, y0=b.y - b.h, y1=b.y,
                      line={"color": COLOURS[b.group], "width": 1.5},
                      fillcolor=COLOURS[b.group], opacity=0.85, layer="below")
    fig.add_trace(go.Scatter(
        x=[b.x for b in layout.boxes], y=[b.y - b.h / 2 for b in layout.boxes],
        text=[b.label for b in layout.boxes], mode="text", hoverinfo="text",
        textfont={"size": 11, "color": "white"}))
    depth = -min((b.y - b.h for b in layout.boxes), default=-1)
    spread = max((abs(b.x) + b.w / 2 for b in layout.boxes), default=1)
    fig.update_layout(showlegend=False, height=int(90 + 48 * depth),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    fig.update_xaxes(visible=False, range=[-spread - 0.2, spread + 0.2])
    fig.update_yaxes(visible=False, range=[-depth - 0.1, 0.1])
    return fig
