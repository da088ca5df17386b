"""What the canvas shows, as plain JSON-ready data: palette cards and the model's cards.

The JavaScript side only draws this data (as text, never as HTML) and sends events back;
every number and message comes from the layer types and the analysis here.
"""
from __future__ import annotations

from typing import Any

from builder.analysis import Report, Row
from builder.architecture import Address, Architecture, Layer
from builder.layers import block_type, by_group, layer_type, shape_text
from builder.layers.blocks import projection, shortcut_text
from builder.text import t

__all__ = ["palette", "texts", "stack", "shape_text", "value_text", "key_params"]

TEXT_KEYS = ("palette", "palette_hint", "model", "empty", "drop_path", "up", "down",
             "duplicate", "remove", "paths", "add_path", "remove_path", "path", "main_path",
             "shortcut", "params", "trash", "busy")


def palette(lang: str) -> list[dict[str, Any]]:
    """Palette groups in family order, each with its cards and a one-line tip per card."""
    return [{"group": group, "title": t(f"group.{group}", lang),
             "cards": [{"type": kind.name, "tip": kind.explain[lang]} for kind in kinds]}
            for group, kinds in by_group().items()]


def texts(lang: str) -> dict[str, str]:
    """The canvas's own labels, from the translation table."""
    return {key: t(f"canvas.{key}", lang) for key in TEXT_KEYS}


def stack(arch: Architecture, report: Report, lang: str) -> list[dict[str, Any]]:
    """One card per top-level layer; blocks carry their paths' cards."""
    return _cards(arch.layers, (), report, lang)


def value_text(value: Any) -> str:
    """A parameter value as people write it: 3×3 for sizes, 0.5 for floats, auto for None."""
    if value is None:
        return "auto"
    if isinstance(value, list):
        return shape_text(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def key_params(layer: Layer) -> str:
    """``filters=32 · kernel_size=3×3 · …`` for the layer type's key parameters."""
    kind = layer_type(layer.type)
    names = kind.key_params if kind else ()
    return " · ".join(f"{n}={value_text(layer.params.get(n))}" for n in names)


def _cards(layers: tuple[Layer, ...], prefix: Address, report: Report,
           lang: str) -> list[dict[str, Any]]:
    return [_card(layer, (*prefix, i), report, lang) for i, layer in enumerate(layers)]


def _card(layer: Layer, address: Address, report: Report, lang: str) -> dict[str, Any]:
    row = report.row(address)
    problems = report.problems_at(address)
    card = {"addr": list(address), "type": layer.type, "name": layer.name,
            "keys": key_params(layer), "out": shape_text(row.output_shape if row else None),
            "params": f"{_block_params(report, address):,}",
            "problems": [{"text": f"{p.message(lang)} — {p.hint(lang)}", "severity": p.severity}
                         for p in problems]}
    kind = block_type(layer.type)
    if kind is not None:
        low, high = kind.paths
        card["block"] = {"paths": [_cards(path, (*address, k), report, lang)
                                   for k, path in enumerate(layer.paths)],
                         "labels": _path_labels(kind, len(layer.paths), lang),
                         "can_add": len(layer.paths) < high,
                         "can_remove": len(layer.paths) > low}
        if kind.shortcut and row is not None and row.output_shape is not None:
            card["shortcut"] = shortcut_text(row, lang)
            card["block"]["shortcut"] = _shortcut_card(row, lang)
    return card


def _path_labels(kind, count: int, lang: str) -> list[str]:
    """"Main path" for a block of one path (Residual); "Path 1", "Path 2", … otherwise."""
    if kind.paths[1] == 1:
        return [t(kind.path_label, lang)]
    return [f"{t(kind.path_label, lang)} {k + 1}" for k in range(count)]


def _shortcut_card(row: Row, lang: str) -> dict[str, Any]:
    """The shortcut drawn beside the main path: the input as it is, or its 1×1
    projection with its settings, output and parameters."""
    conv = projection(row)
    keys = " · ".join(f"{name}={value_text(list(conv[name]) if name != 'filters' else conv[name])}"
                      for name in ("filters", "kernel_size", "strides")) if conv else ""
    kind = "projection" if conv else "identity"
    return {"title": t(f"canvas.shortcut_{kind}", lang), "keys": keys,
            "out": shape_text(row.output_shape), "params": f"{row.params:,}"}


def _block_params(report: Report, address: Address) -> int:
    """Parameters of a layer, including everything inside it when it is a block."""
    return sum(r.params for r in report.rows if r.address[:len(address)] == address)
