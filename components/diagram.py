"""The architecture diagram (Plotly): one box per layer, top to bottom, sized by its output.

A box's width follows the output's height×width (a 28×28 map is wide, a vector narrow) and
its height follows the number of channels, so a model's funnel shape is visible at a
glance (a box is widened where its label needs it). A block's paths are drawn side by side
and meet again at the block's merge box; a Residual block's shortcut runs in a column of its
own, as a line (the input as it is) or as its 1×1 Conv2D projection box.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import log2, log10

import plotly.graph_objects as go

from builder.analysis import Report
from builder.architecture import Address, Architecture, Layer
from builder.layers import block_type, layer_type, shape_text
from builder.text import t

GAP = 0.35
PATH_GAP = 0.4
SHORTCUT_WIDTH = 1.2
NOTE_WIDTH = 1.8  # room for a note's text to the right of its line
CHAR_WIDTH = 0.09  # x units a label character asks of its box (labels widen small boxes)
PLOT_PX = 1000  # about how wide the Build page draws the diagram
PX_PER_CHAR = 0.58  # a label character's width, in font sizes
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
        self.notes: list[tuple[float, float, str]] = []  # grey text beside a line

    def size(self, shape, label: str) -> tuple[float, float]:
        """The box size for ``shape``, widened where needed so that the label fits."""
        w, h = box_size(shape, self.side)
        return max(w, CHAR_WIDTH * len(label)), h

    def box(self, x: float, y: float, shape, label: str, group: str, link_from) -> tuple:
        w, h = self.size(shape, label)
        self.boxes.append(Box(x, y, w, h, label, group))
        for fx, fy in link_from:
            self.lines.append((fx, fy, x, y))
        return [(x, y - h)], y - h - GAP

    def shape(self, address: Address):
        row = self.report.row(address)
        return row.output_shape if row else None

    def label(self, layer: Layer, address: Address) -> str:
        """"Conv2D 26×26×32"; blocks name their merge: "Branch (concatenate) 32×32×80"."""
        shape = shape_text(self.shape(address))
        if not layer.paths:
            return f"{layer.type} {shape}"
        merge = t(f"diagram.merge_{layer.params.get('merge', 'add')}", self.lang)
        return f"{layer.type} ({merge}) {shape}"

    def projection(self, address: Address) -> str | None:
        """The label of a Residual block's 1×1 shortcut projection; None without one."""
        row = self.report.row(address)
        if row is None or not row.params:
            return None
        return t("diagram.projection", self.lang, shape=shape_text(row.output_shape),
                 n=f"{row.params:,}")

    @staticmethod
    def has_shortcut(layer: Layer) -> bool:
        """A block drawn with a shortcut column beside its paths (Residual)."""
        kind = block_type(layer.type)
        return kind is not None and kind.shortcut

    def width(self, layer: Layer, address: Address) -> float:
        own = self.size(self.shape(address), self.label(layer, address))[0]
        if not layer.paths:
            return own
        columns = self.column_widths(layer, address)
        return max(sum(columns) + PATH_GAP * (len(columns) - 1), own)

    def column_widths(self, layer: Layer, address: Address) -> list[float]:
        """The paths' widths, and for a Residual block the shortcut's column after them."""
        widths = [self.path_width(p, (*address, k)) for k, p in enumerate(layer.paths)]
        if self.has_shortcut(layer):
            label = self.projection(address)
            widths.append(self.size(self.shape(address), label)[0] if label else SHORTCUT_WIDTH)
        return widths

    def path_width(self, path: tuple[Layer, ...], prefix: Address) -> float:
        return max([self.width(layer, (*prefix, j)) for j, layer in enumerate(path)] or [0.8])

    def stack(self, layers: tuple[Layer, ...], prefix: Address, x: float, y: float, ends) -> tuple:
        for i, layer in enumerate(layers):
            ends, y = self.layer(layer, (*prefix, i), x, y, ends)
        return ends, y

    def layer(self, layer: Layer, address: Address, x: float, y: float, ends) -> tuple:
        kind = layer_type(layer.type)
        group = kind.group if kind else "core"
        shape, label = self.shape(address), self.label(layer, address)
        if not layer.paths:
            return self.box(x, y, shape, label, group, ends)
        widths = self.column_widths(layer, address)
        left = x - (sum(widths) + PATH_GAP * (len(widths) - 1)) / 2
        centres = []
        for width in widths:
            centres.append(left + width / 2)
            left += width + PATH_GAP
        path_ends, bottom = [], y
        for k, path in enumerate(layer.paths):
            end, low = self.stack(path, (*address, k), centres[k], y, ends)
            path_ends += end if path else [(centres[k], y)]
            if not path:  # an empty path passes its input straight on
                self.lines += [(fx, fy, centres[k], y) for fx, fy in ends]
            bottom = min(bottom, low)
        if self.has_shortcut(layer):
            path_ends.append(self.shortcut(address, centres[-1], y, ends))
            bottom = min(bottom, path_ends[-1][1] - GAP)
        return self.box(x, bottom, shape, label, group, self.drop(path_ends, bottom + GAP))

    def drop(self, ends, low: float) -> list[tuple[float, float]]:
        """Run every path end straight down to ``low``, so lines into the merge box start
        below all the paths instead of crossing a neighbour's boxes."""
        lowered = []
        for x, y in ends:
            if y > low:
                self.lines.append((x, y, x, low))
            lowered.append((x, min(y, low)))
        return lowered

    def shortcut(self, address: Address, x: float, y: float, ends) -> tuple[float, float]:
        """The Residual shortcut in its own column beside the main path: its 1×1 projection
        box when the shapes differ, else a plain line; returns where it ends."""
        label = self.projection(address)
        if label:
            (end,), _ = self.box(x, y, self.shape(address), label, "convolution", ends)
            return end
        self.lines += [(fx, fy, x, y) for fx, fy in ends]
        self.notes.append((x, y - 0.3, t("diagram.shortcut", self.lang)))
        return x, y


def figure(arch: Architecture, report: Report, lang: str) -> go.Figure:
    """The whole model as a Plotly figure, input at the top."""
    layout = _Layout(report, max(arch.input_shape[0], 1), lang)
    ends, _ = layout.box(0.0, 0.0, arch.input_shape,
                         f"{t('diagram.input', lang)} {shape_text(arch.input_shape)}", "input", [])
    layout.stack(arch.layers, (), 0.0, -box_size(arch.input_shape, layout.side)[1] - GAP, ends)
    return _draw(layout)


def label_sizes(boxes: list[Box], spread: float) -> list[float]:
    """Font size per box label: 11 px, smaller (down to 7) where a wide model leaves a box
    too few pixels for its label on a page about ``PLOT_PX`` wide."""
    unit_px = PLOT_PX / (2 * spread + 0.4)
    return [max(7.0, min(11.0, b.w * unit_px / (PX_PER_CHAR * len(b.label)))) for b in boxes]


def _draw(layout: _Layout) -> go.Figure:
    fig = go.Figure()
    for x0, y0, x1, y1 in layout.lines:  # first, so that the boxes cover them
        fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
                      line={"color": "rgba(128,128,128,0.7)", "width": 1.5})
    for b in layout.boxes:
        fig.add_shape(type="rect", x0=b.x - b.w / 2, x1=b.x + b.w / 2, y0=b.y - b.h, y1=b.y,
                      line={"color": COLOURS[b.group], "width": 1.5},
                      fillcolor=COLOURS[b.group], opacity=0.85, layer="below")
    depth = -min((b.y - b.h for b in layout.boxes), default=-1)
    spread = max([abs(b.x) + b.w / 2 for b in layout.boxes]
                 + [abs(x) + NOTE_WIDTH for x, _, _ in layout.notes], default=1)
    fig.add_trace(go.Scatter(
        x=[b.x for b in layout.boxes], y=[b.y - b.h / 2 for b in layout.boxes],
        text=[b.label for b in layout.boxes], mode="text", hoverinfo="text",
        textfont={"size": label_sizes(layout.boxes, spread), "color": "white"}))
    fig.add_trace(go.Scatter(
        x=[x for x, _, _ in layout.notes], y=[y for _, y, _ in layout.notes],
        text=[text for _, _, text in layout.notes], mode="text", hoverinfo="skip",
        textposition="middle right", textfont={"size": 11, "color": "rgba(128,128,128,1)"}))
    fig.update_layout(showlegend=False, height=int(90 + 48 * depth),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    fig.update_xaxes(visible=False, range=[-spread - 0.2, spread + 0.2])
    fig.update_yaxes(visible=False, range=[-depth - 0.1, 0.1])
    return fig
