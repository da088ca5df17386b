"""The Keras graph an architecture becomes: named nodes and the nodes feeding them.

One plan serves the Keras builder, the Keras JSON writer and the code export, so a
block is wired in exactly one place:

- a plain layer is one node, its Keras class and constructor arguments from its type;
- a block is what its :class:`~builder.layers.blocks.BlockType` plans: its paths, then
  helper nodes (a Residual block's shortcut projection, ``Add`` and ``Activation``; a
  Branch block's ``Concatenate(axis=-1)`` or ``Add``).

Node names are stable and readable: the layer's snake-case type and its 1-based position,
e.g. ``conv2d_3`` for layer 3 and ``conv2d_3_1_2`` for layer 3 › path 1 › layer 2; block
helpers add a suffix (``residual_3_add``). Every name is a valid Python identifier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from builder.analysis import Problem, Report, analyse
from builder.architecture import Address, Architecture, Layer
from builder.errors import LabError
from builder.layers import LAYER_TYPES, layer_type
from builder.rules import Shape

INPUT = "input"
HELPERS = tuple(dict.fromkeys(h for kind in LAYER_TYPES if kind.is_block for h in kind.helpers))


@dataclass(frozen=True)
class Node:
    """One Keras layer of the graph and where it comes from."""

    name: str
    class_name: str
    kwargs: dict[str, Any]
    inputs: tuple[str, ...]  # two or more for Add / Concatenate
    shape: Shape  # output shape without the batch axis
    owner: Address  # the LayerLab layer (or block) it belongs to


@dataclass(frozen=True)
class Graph:
    input_shape: tuple[int, int, int]
    nodes: tuple[Node, ...]  # in build order; the input is not a node
    outputs: dict[Address, str]  # the node giving each LayerLab layer's output
    sequential: bool  # a straight stack: Keras Sequential fits

    @property
    def output(self) -> str:
        return self.nodes[-1].name if self.nodes else INPUT


class NotBuildable(LabError):
    """The architecture has an error, so no Keras model can be made; names the first one."""

    def __init__(self, problem: Problem) -> None:
        super().__init__("not_buildable", problem=problem)
        self.problem = problem


def snake(type_name: str) -> str:
    """Keras's own rule: ``MaxPooling2D`` → ``max_pooling2d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", type_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def node_name(address: Address, type_name: str, helper: str = "") -> str:
    numbers = "_".join(str(a + 1) for a in address)
    return f"{snake(type_name)}_{numbers}" + (f"_{helper}" if helper else "")


def parse_name(name: str) -> tuple[str, Address, str] | None:
    """Inverse of :func:`node_name`: (snake type, address, helper suffix), or None."""
    match = re.fullmatch(rf"([a-z0-9_]+?)_(\d+(?:_\d+)*)(?:_({'|'.join(HELPERS)}))?", name)
    if not match:
        return None
    return match[1], tuple(int(n) - 1 for n in match[2].split("_")), match[3] or ""


def plan(arch: Architecture, report: Report | None = None) -> Graph:
    """The Keras graph of ``arch`` (raises :class:`NotBuildable` when it has an error)."""
    report = report or analyse(arch)
    if report.errors:
        raise NotBuildable(report.errors[0])
    planner = _Planner(report)
    planner.stack(arch.layers, INPUT, ())
    return Graph(arch.input_shape, tuple(planner.nodes), planner.outputs, not arch.has_blocks)


class _Planner:
    def __init__(self, report: Report) -> None:
        self.rows = {row.address: row for row in report.rows}
        self.nodes: list[Node] = []
        self.outputs: dict[Address, str] = {}

    def add(self, node: Node) -> str:
        self.nodes.append(node)
        return node.name

    def stack(self, layers: tuple[Layer, ...], source: str, prefix: Address) -> str:
        for i, layer in enumerate(layers):
            address = (*prefix, i)
            source = self.layer(layer, source, address)
            self.outputs[address] = source
        return source

    def layer(self, layer: Layer, source: str, address: Address) -> str:
        kind = layer_type(layer.type)
        row = self.rows[address]
        if kind.is_block:
            return kind.plan(self, layer, layer.params, source, address, row)
        return self.add(Node(node_name(address, layer.type), layer.type,
                             kind.keras_kwargs(layer.params), (source,), row.output_shape, address))

    def helper(self, address: Address, helper: str, class_name: str, kwargs: dict[str, Any],
               inputs: tuple[str, ...]) -> str:
        """A block's helper node (``residual_3_add``); its shape is the block's output."""
        row = self.rows[address]
        return self.add(Node(node_name(address, row.type, helper), class_name, kwargs, inputs,
                             row.output_shape, address))
