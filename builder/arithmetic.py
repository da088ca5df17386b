"""Worked formulas: the arithmetic behind one layer's output size and parameter count.

``worked(arch, report, address, lang)`` returns lines such as
``(3·3·1 + 1)·32 = 320 parameters`` and ``⌊(28 − 3 + 2·0) / 1⌋ + 1 = 26``, filled in
with the layer's real numbers, so a learner sees how the summary's numbers come about.
Layers without arithmetic worth showing (Dropout, Activation, ...) give no lines.
"""
from __future__ import annotations

from typing import Callable

from builder import edits
from builder.analysis import Report, Row
from builder.architecture import Address, Architecture, Layer
from builder.rules import Shape
from builder.text import t

Lines = list[str]


def worked(arch: Architecture, report: Report, address: Address, lang: str = "en") -> Lines:
    """The worked formulas of the layer at ``address`` (empty when its shapes are unknown)."""
    row = report.row(address)
    if row is None or row.input_shape is None or row.output_shape is None:
        return []
    layer = edits.get(arch, address)
    if layer.type == "Branch":
        return _branch(layer, row, _path_outputs(report, layer, address, row.input_shape), lang)
    rule = _RULES.get(layer.type)
    return rule(layer, row, lang) if rule else []


def shortcut(row: Row, lang: str = "en") -> str:
    """What a Residual block's shortcut is and why, e.g. "shortcut: 1×1 Conv2D projection,
    1,056 params — added because the main path changes 26×26×32 into 13×13×32"
    (empty while the block's shapes are unknown)."""
    if row.input_shape is None or row.output_shape is None:
        return ""
    shapes = {"inp": _shape(row.input_shape), "out": _shape(row.output_shape)}
    if not row.params:
        return t("arith.shortcut_identity", lang, **shapes)
    return t("arith.shortcut_projection", lang, n=f"{row.params:,}", **shapes)


def window_line(n: int, k: int, s: int, padding: str) -> str:
    """One axis of a sliding window: valid ``⌊(n − k + 2·0) / s⌋ + 1``, same ``⌈n / s⌉``."""
    if padding == "same":
        return f"⌈{n} / {s}⌉ = {-(-n // s)}"
    return f"⌊({n} − {k} + 2·0) / {s}⌋ + 1 = {(n - k) // s + 1}"


def _shape(shape: Shape) -> str:
    return "×".join(map(str, shape))


def _params(n: int, lang: str) -> str:
    return t("arith.params", lang, n=f"{n:,}")


def _window(row: Row, kernel: list[int], strides: list[int], padding: str) -> Lines:
    h, w, _ = row.input_shape
    height = window_line(h, kernel[0], strides[0], padding)
    width = window_line(w, kernel[1], strides[1], padding)
    if height == width:
        return [height]
    return [f"H: {height}", f"W: {width}"]


def _conv(layer: Layer, row: Row, lang: str) -> Lines:
    p = layer.params
    kh, kw = p["kernel_size"]
    bias = " + 1" if p["use_bias"] else ""
    params = f"({kh}·{kw}·{row.input_shape[-1]}{bias})·{p['filters']} = {_params(row.params, lang)}"
    return [params, *_window(row, p["kernel_size"], p["strides"], p["padding"])]


def _pool(layer: Layer, row: Row, lang: str) -> Lines:
    p = layer.params
    return _window(row, p["pool_size"], p["strides"] or p["pool_size"], p["padding"])


def _dense(layer: Layer, row: Row, lang: str) -> Lines:
    bias = " + 1" if layer.params["use_bias"] else ""
    units = layer.params["units"]
    return [f"({row.input_shape[-1]:,}{bias})·{units} = {_params(row.params, lang)}"]


def _flatten(layer: Layer, row: Row, lang: str) -> Lines:
    return ["·".join(map(str, row.input_shape)) + f" = {row.output_shape[0]:,}"]


def _global_pool(layer: Layer, row: Row, lang: str) -> Lines:
    return [_shape(row.input_shape) + f" → {row.output_shape[0]}"]


def _batch_norm(layer: Layer, row: Row, lang: str) -> Lines:
    return [f"4·{row.input_shape[-1]} = {_params(row.params, lang)} "
            + t("arith.trainable", lang, n=f"{row.trainable:,}")]


def _residual(layer: Layer, row: Row, lang: str) -> Lines:
    if not row.params:
        return [t("arith.identity", lang)]
    c_in, c_out = row.input_shape[-1], row.output_shape[-1]
    return [f"({c_in} + 1)·{c_out} = {_params(row.params, lang)} " + t("arith.projection", lang)]


def _branch(layer: Layer, row: Row, outs: list[Shape], lang: str) -> Lines:
    if layer.params["merge"] == "add" or len(row.output_shape) != len(outs[0]):
        return []
    channels = " + ".join(str(o[-1]) for o in outs)
    return [f"{channels} = " + t("arith.channels", lang, n=row.output_shape[-1])]


def _path_outputs(report: Report, layer: Layer, address: Address, shape: Shape) -> list[Shape]:
    """Each path's output shape: its last layer's output, or the input for an empty path."""
    outs = []
    for k, path in enumerate(layer.paths):
        last = report.row((*address, k, len(path) - 1)) if path else None
        outs.append(last.output_shape if last else shape)
    return outs


_RULES: dict[str, Callable[[Layer, Row, str], Lines]] = {
    "Conv2D": _conv, "MaxPooling2D": _pool, "AveragePooling2D": _pool, "Dense": _dense,
    "Flatten": _flatten, "GlobalAveragePooling2D": _global_pool,
    "GlobalMaxPooling2D": _global_pool, "BatchNormalization": _batch_norm,
    "Residual": _residual,
}
