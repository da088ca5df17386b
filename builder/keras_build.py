"""Build the real Keras model of an architecture (Keras is imported here, lazily).

A straight stack becomes ``keras.Sequential([keras.Input(shape), ...])``; a stack with
blocks becomes a Functional model wired by :mod:`builder.keras_graph`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from builder.architecture import Architecture
from builder.keras_graph import INPUT, Graph, Node, plan

if TYPE_CHECKING:
    import keras


def build_model(arch: Architecture) -> "keras.Model":
    """The Keras model of ``arch``, not compiled (raises NotBuildable on an error)."""
    import keras

    graph = plan(arch)
    name = model_name(arch)
    inputs = keras.Input(shape=graph.input_shape, name=INPUT)
    if graph.sequential:
        return keras.Sequential([inputs, *(make_layer(n) for n in graph.nodes)], name=name)
    return keras.Model(inputs, _connect(graph, inputs), name=name)


def make_layer(node: Node) -> "keras.layers.Layer":
    import keras

    return getattr(keras.layers, node.class_name)(**node.kwargs, name=node.name)


def model_name(arch: Architecture) -> str:
    """Keras forbids '/' in names."""
    return arch.name.replace("/", "_") or "layerlab"


def _connect(graph: Graph, inputs: "keras.KerasTensor") -> "keras.KerasTensor":
    tensors = {INPUT: inputs}
    for node in graph.nodes:
        args = [tensors[name] for name in node.inputs]
        tensors[node.name] = make_layer(node)(args if len(args) > 1 else args[0])
    return tensors[graph.output]
