"""Pasted code against Keras: random models (the parity tests' generators) are printed as
Keras code in varied styles; Keras runs the code (it is the test's own), LayerLab reads it
without running it, and the two must agree on every shape and parameter count."""
from __future__ import annotations

import random

import pytest

from builder.analysis import analyse
from builder.architecture import Architecture
from builder.keras_code import from_keras_code
from builder.keras_graph import INPUT, Node, plan
from builder.keras_json import from_keras_json, to_keras_json
from builder.layers import layer_type

keras = pytest.importorskip("keras")
from tests.test_parity import valid_architectures  # noqa: E402  (after the Keras check)

IMPORTS = {  # how the code reaches the layer classes: import lines, prefix before a class
    "keras": ("import keras\nfrom keras import layers\n", "layers.", "keras."),
    "tf": ("import tensorflow as tf\n", "tf.keras.layers.", "tf.keras."),
    "from": ("from tensorflow.keras.models import Sequential, Model\n"
             "from tensorflow.keras.layers import {names}\n", "", ""),
}


def literal(value) -> str:
    return "(" + ", ".join(map(literal, value)) + ("," if len(value) == 1 else "") + ")" \
        if isinstance(value, (list, tuple)) else repr(value)


def call(node: Node, rng: random.Random, prefix: str, extra: str = "") -> str:
    """``Conv2D(8, (3, 3), padding='same')``: a random share positional, defaults sometimes left out."""
    kind = layer_type(node.class_name)
    kwargs, args = dict(node.kwargs), []
    for name in kind.positional if kind else ():
        if name not in kwargs or rng.random() < 0.4:
            break
        args.append(literal(kwargs.pop(name)))
    for name, default in (kind.keras_defaults if kind else {}).items():
        plain = list(kwargs[name]) if isinstance(kwargs.get(name), tuple) else kwargs.get(name)
        if name in kwargs and plain == default and rng.random() < 0.5:
            del kwargs[name]
    args += [f"{key}={literal(value)}" for key, value in kwargs.items()] + ([extra] if extra else [])
    return f"{prefix}{node.class_name}({', '.join(args)})"


def as_code(arch: Architecture, rng: random.Random) -> str:
    graph = plan(arch)
    style = rng.choice(sorted(IMPORTS))
    head, prefix, top = IMPORTS[style]
    names = sorted({n.class_name for n in graph.nodes} | {"Input"})
    lines = [head.format(names=", ".join(names)), "num_classes = 10"]
    model_class = (top or "") + ("Sequential" if graph.sequential else "Model")
    shape = literal(graph.input_shape)
    if graph.sequential:
        first = f"input_shape={shape}"
        if rng.random() < 0.5:
            items = [f"{top}Input(shape={shape})"] + [call(n, rng, prefix) for n in graph.nodes]
            lines.append(f"model = {model_class}([\n    " + ",\n    ".join(items) + "])")
        else:
            lines.append(f"model = {model_class}()")
            lines += [f"model.add({call(n, rng, prefix, first if i == 0 else '')})"
                      for i, n in enumerate(graph.nodes)]
    else:
        lines.append(f"inputs = {top}Input(shape={shape})")
        for node in graph.nodes:
            sources = ["inputs" if s == INPUT else s for s in node.inputs]
            argument = f"[{', '.join(sources)}]" if len(sources) > 1 else sources[0]
            lines.append(f"{node.name} = {call(node, rng, prefix)}({argument})")
        lines.append(f"model = {model_class}(inputs=inputs, outputs={graph.output})")
    lines.append("model.compile(optimizer='adam', loss='categorical_crossentropy')")
    return "\n".join(lines) + "\n"


def keras_model(code: str):
    """Keras's reading of the code: the test runs its own generated code."""
    namespace: dict = {}
    exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102  (trusted: printed above)
    return namespace["model"]


def weights(variables) -> int:
    return sum(int(v.numpy().size) for v in variables)


@pytest.mark.parametrize("group, count, blocks, seed", [("plain", 40, 0, 7_000),
                                                        ("blocks", 25, 2, 70_000)])
def test_printed_code_reads_back_as_the_model_keras_builds(group, count, blocks, seed):
    rng = random.Random(seed)
    for arch in valid_architectures(count, blocks, seed):
        code = as_code(arch, rng)
        read, model = from_keras_code(code), keras_model(code)
        report = analyse(read)
        assert report.ok, code
        assert model.count_params() == report.total_params == analyse(arch).total_params, code
        assert weights(model.trainable_weights) == report.trainable, code
        assert weights(model.non_trainable_weights) == report.non_trainable, code
        assert tuple(model.output_shape[1:]) == report.output_shape, code
        if not blocks:
            as_json = from_keras_json(to_keras_json(arch))  # Keras's own reading, e.g. strides
            assert (read.input_shape, read.layers) == (as_json.input_shape, as_json.layers), code
            assert [tuple(layer.output.shape[1:]) for layer in model.layers] == \
                [row.output_shape for row in report.rows], code
        keras.backend.clear_session()
