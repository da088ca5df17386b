"""Worked formulas: the arithmetic behind one layer's output size and parameter count.

``worked(arch, report, address, lang)`` returns lines such as
``(3·3·1 + 1)·32 = 320 parameters`` and ``⌊(28 − 3 + 2·0) / 1⌋ + 1 = 26``, filled in
with the layer's real numbers, so a learner sees how the summary's numbers come about.
Each layer type writes its own lines (``LayerType.worked`` in :mod:`builder.layers`);
types without arithmetic worth showing (Dropout, Activation, ...) give none.
"""
from __future__ import annotations

from builder import edits
from builder.analysis import Report
from builder.architecture import Address, Architecture, Layer
from builder.layers import layer_type
from builder.layers.base import Lines, window_line
from builder.layers.blocks import shortcut_text as shortcut
from builder.rules import Shape

__all__ = ["shortcut", "window_line", "worked"]


def worked(arch: Architecture, report: Report, address: Address, lang: str = "en") -> Lines:
    """The worked formulas of the layer at ``address`` (empty when its shapes are unknown)."""
    row = report.row(address)
    if row is None or row.input_shape is None or row.output_shape is None:
        return []
    layer = edits.get(arch, address)
    kind = layer_type(layer.type)
    if kind.is_block:
        return kind.worked(layer.params, row, lang, _path_outputs(report, layer, address, row.input_shape))
    return kind.worked(layer.params, row, lang)


def _path_outputs(report: Report, layer: Layer, address: Address, shape: Shape) -> list[Shape]:
    """Each path's output shape: its last layer's output, or the input for an empty path."""
    outs = []
    for k, path in enumerate(layer.paths):
        last = report.row((*address, k, len(path) - 1)) if path else None
        outs.append(last.output_shape if last else shape)
    return outs
