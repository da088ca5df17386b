"""Canvas events → edits: what a drop, click or key press in the canvas does to the model.

The canvas sends small events (``{"op": "insert", "type": "Dense", "to": [7]}``); ``apply``
turns each into one ``builder.edits`` call. Addresses come as lists from JavaScript and
``to`` is where the layer should land in the stack *as the user saw it* (before the moved
layer is taken out). The result is checked against the format's limits (nesting depth,
number of layers), so the canvas can never build what a file could not hold.
"""
from __future__ import annotations

from typing import Any

from builder import edits
from builder.architecture import Address, Architecture, check_limits
from builder.errors import LabError

EDIT_OPS = ("insert", "move", "remove", "duplicate", "add_path", "remove_path")


def address(value: Any) -> Address:
    """A layer address from JSON: a non-empty odd-length list of non-negative integers."""
    if not (isinstance(value, list) and len(value) % 2 == 1
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        raise LabError("canvas_event")
    return tuple(value)


def after_removal(source: Address, target: Address) -> Address:
    """``target`` (seen before ``source`` is removed) as an address after the removal."""
    depth = len(source) - 1
    if target[:depth] != source[:depth] or target[depth] <= source[depth]:
        return target
    return (*target[:depth], target[depth] - 1, *target[depth + 1:])


def apply(arch: Architecture, event: dict[str, Any]) -> Architecture:
    """The architecture after one canvas edit (raises LabError for impossible edits)."""
    op = event.get("op")
    if op not in EDIT_OPS:
        raise LabError("canvas_event")
    try:
        return check_limits(_edit(arch, op, event))
    except LabError:
        raise
    except (IndexError, KeyError, TypeError, ValueError):
        raise LabError("canvas_event") from None


def _edit(arch: Architecture, op: str, event: dict[str, Any]) -> Architecture:
    if op == "insert":
        return edits.insert(arch, address(event["to"]), edits.new_layer(str(event["type"])))
    if op == "move":
        source, target = address(event["from"]), address(event["to"])
        if len(target) > len(source) and target[:len(source)] == source:
            raise LabError("drop_into_itself")
        return edits.move(arch, source, after_removal(source, target))
    at = address(event["at"])
    if op == "remove":
        return edits.remove(arch, at)
    if op == "duplicate":
        return edits.duplicate(arch, at)
    if op == "add_path":
        return edits.add_path(arch, at)
    return edits.remove_path(arch, at, int(event["path"]))
