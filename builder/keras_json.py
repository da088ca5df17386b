"""Keras model JSON (``model.to_json()``) written and read without TensorFlow.

Writing: a straight stack becomes a Keras ``Sequential`` document, a stack with blocks a
``Functional`` one, both accepted by ``keras.models.model_from_json``.

Reading: a Keras ``Sequential`` (Keras 3 ``InputLayer.batch_shape``, or Keras 2
``batch_input_shape`` on the first layer), a Functional straight chain, or a Functional
model LayerLab wrote (blocks are found again by the node names of
:mod:`builder.keras_graph`, then the wiring is checked). Configuration keys map to
layer-type parameters by name; harmless keys (names, dtype, initializers, seeds ...) are
ignored; every other key must hold a value the type's ``keras_fixed`` allows.
"""
from __future__ import annotations

import json
from typing import Any

from builder.architecture import (FORMAT, MAX_NAME, VERSION, Address, Architecture,
                                  LayerFormatError, parse_json, read_input_shape)
from builder.errors import LabError
from builder.keras_graph import INPUT, Graph, Node, parse_name, plan, snake
from builder.layers import LAYER_TYPES, LayerType, layer_type
from builder.keras_build import model_name

IGNORED = {"name", "trainable", "dtype", "seed", "batch_input_shape", "synchronized",
           "renorm_momentum", "force_generator", "fused", "autocast"}  # no effect on the graph
IGNORED_ENDINGS = ("_initializer", "_regularizer", "_constraint")
MAX_NESTING = 8  # inbound_nodes are shallow; deeper lists are not tensor references
ACTIVATION_ALIASES = {"silu": "swish"}  # Keras writes swish under its other name
BLOCKS = {snake(kind.name): kind for kind in LAYER_TYPES if kind.is_block}  # by node-name prefix
BLOCK_NAMES = {kind.name for kind in BLOCKS.values()}


# ---------------------------------------------------------------- writing

def to_keras_json(arch: Architecture, indent: int | None = None) -> str:
    """Keras JSON of ``arch`` (raises NotBuildable when it has an error)."""
    graph = plan(arch)
    write = _sequential_doc if graph.sequential else _functional_doc
    return json.dumps(write(graph, model_name(arch)), indent=indent)


def _sequential_doc(graph: Graph, name: str) -> dict[str, Any]:
    layers = [_input_doc(graph)] + [_layer_doc(n) for n in graph.nodes]
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": name, "layers": layers}}


def _functional_doc(graph: Graph, name: str) -> dict[str, Any]:
    shapes = {INPUT: graph.input_shape, **{n.name: n.shape for n in graph.nodes}}
    layers = [{**_input_doc(graph), "name": INPUT, "inbound_nodes": []}]
    for node in graph.nodes:
        refs = [_tensor_ref(source, shapes[source]) for source in node.inputs]
        args = [refs] if len(refs) > 1 else refs
        layers.append({**_layer_doc(node), "name": node.name,
                       "inbound_nodes": [{"args": args, "kwargs": {}}]})
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "registered_name": "Functional",
            "config": {"name": name, "layers": layers, "input_layers": [[INPUT, 0, 0]],
                       "output_layers": [[graph.output, 0, 0]]}}


def _input_doc(graph: Graph) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
            "config": {"batch_shape": [None, *graph.input_shape], "dtype": "float32",
                       "name": INPUT}}


def _layer_doc(node: Node) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": node.class_name, "registered_name": None,
            "config": {"name": node.name, **node.kwargs}}


def _tensor_ref(source: str, shape: tuple[int, ...]) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, *shape], "dtype": "float32",
                       "keras_history": [source, 0, 0]}}


# ---------------------------------------------------------------- reading

def from_keras_json(text: str | bytes) -> Architecture:
    """Read a Keras model JSON (raises LabError naming the layer's position and type)."""
    doc = parse_json(text)
    kind = doc.get("class_name") if isinstance(doc, dict) else None
    config = doc.get("config") if isinstance(doc, dict) else None
    if kind not in ("Sequential", "Functional", "Model") or not isinstance(config, (dict, list)):
        raise LabError("not_keras_model", got=_short(kind))
    entries = config.get("layers") if isinstance(config, dict) else config  # Keras 1: a list
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise LabError("field_type", field="layers", expected="a list of objects")
    name = config.get("name", "") if isinstance(config, dict) else ""
    name = name if isinstance(name, str) and len(name) <= MAX_NAME else ""
    shape, input_name, entries = _split_input(entries, config)
    wiring = [(_text(e.get("name")), _text(e.get("class_name")), _sources(e, input_name))
              for e in entries]
    if kind == "Sequential" or _is_chain(wiring):
        layers = [read_layer(e, (i,)) for i, e in enumerate(entries)]
        return Architecture.from_dict(document(name, shape, layers))
    arch = Architecture.from_dict(document(name, shape, _read_blocks(entries, wiring)))
    if set(wiring) != {(n.name, n.class_name, n.inputs) for n in plan(arch).nodes}:
        raise LabError("keras_graph")
    return arch


def _split_input(entries: list[dict], config: Any) -> tuple[tuple[int, int, int], str, list[dict]]:
    """The input shape, the input layer's name and the layers after it."""
    first = entries[0].get("config") if entries else None
    first = first if isinstance(first, dict) else {}
    batch = first.get("batch_shape") or first.get("batch_input_shape")
    if batch is None and isinstance(config, dict):
        batch = config.get("build_input_shape")
    if not isinstance(batch, list) or len(batch) < 2:
        raise LabError("keras_no_input")
    if entries[0].get("class_name") == "InputLayer":
        return read_input_shape(batch[1:]), entries[0].get("name") or first.get("name"), entries[1:]
    return read_input_shape(batch[1:]), INPUT, entries


def _sources(entry: dict, input_name: str) -> tuple[str, ...]:
    """Names of the layers feeding ``entry``'s first call (Keras 3 or Keras 2 form)."""
    found: list[str] = []

    def visit(item: Any, depth: int = 0) -> None:
        if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
            config = item.get("config")
            item = config.get("keras_history") if isinstance(config, dict) else None
        if isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str) \
                and isinstance(item[1], int):
            found.append(INPUT if item[0] == input_name else item[0])
        elif isinstance(item, (list, dict)) and depth < MAX_NESTING:
            for value in item.values() if isinstance(item, dict) else item:
                visit(value, depth + 1)

    nodes = entry.get("inbound_nodes")
    visit(nodes[:1] if isinstance(nodes, list) else [])
    return tuple(found)


def _is_chain(wiring: list[tuple[Any, Any, tuple[str, ...]]]) -> bool:
    """Every layer reads the one before it (the first reads the input)."""
    previous = INPUT
    for name, _, sources in wiring:
        if sources != (previous,):
            return False
        previous = name
    return True


def read_layer(entry: dict, address: Address) -> dict[str, Any]:
    """A LayerLab layer object from one Keras layer entry (checks settings)."""
    class_name = _short(entry.get("class_name"), 30)
    try:
        kind = layer_type(class_name)
        if kind is None or kind.is_block:
            raise LabError("keras_unsupported", type=class_name)
        config = entry.get("config")
        if not isinstance(config, dict):
            raise LabError("field_type", field="config", expected="an object")
        return {"type": kind.name, "params": _params(kind, config)}
    except LabError as exc:
        raise LayerFormatError(address, class_name, exc) from None


def _params(kind: LayerType, config: dict[str, Any]) -> dict[str, Any]:
    names = {p.name for p in kind.params}
    for key, value in config.items():
        if key in names or key in IGNORED or key.endswith(IGNORED_ENDINGS):
            continue
        allowed = kind.keras_fixed.get(key)
        if allowed is None:
            raise LabError("keras_unknown_setting", setting=_short(key, 40))
        if value not in allowed:
            raise LabError("keras_setting", setting=key, got=_short(value),
                           supported=_short(allowed[0]))
    return kind.keras_read({key: _value(config[key]) for key in names if key in config})


def _value(value: Any) -> Any:
    """Undo Keras's rewrites: a factor f saved as the range [-f, f]; swish saved as silu."""
    if isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, float) for v in value) and value[0] == -value[1]:
        return value[1]
    return ACTIVATION_ALIASES.get(value, value) if isinstance(value, str) else value


def _read_blocks(entries: list[dict], wiring: list) -> list[dict[str, Any]]:
    """Layers and blocks by LayerLab's node names (``conv2d_3_1_2``, ``residual_3_add``)."""
    found: dict[Address, dict[str, Any]] = {}
    for entry, (name, _, sources) in zip(entries, wiring):
        parsed = parse_name(name) if name else None
        if parsed is None:
            raise LabError("keras_graph")
        prefix, address, helper = parsed
        if not helper:
            found[address] = read_layer(entry, address)
            continue
        kind = BLOCKS.get(prefix)
        if kind is None:
            raise LabError("keras_graph")
        block = found.setdefault(address, {"type": kind.name, "params": {},
                                           "paths": kind.paths[0]})
        config = {k: _value(v) for k, v in (entry.get("config") or {}).items()}
        kind.read_helper(block, helper, config, len(sources))
    return _nest(found, ())


def _nest(found: dict[Address, dict[str, Any]], prefix: Address) -> list[dict[str, Any]]:
    """The stack at ``prefix``: layers at (*prefix, 0), (*prefix, 1), ... with their paths."""
    stack = []
    while (address := (*prefix, len(stack))) in found:
        layer = dict(found[address])
        if layer.get("type") in BLOCK_NAMES:
            layer["paths"] = [_nest(found, (*address, k)) for k in range(layer["paths"])]
        stack.append(layer)
    return stack


def document(name: str, shape: tuple[int, int, int], layers: list[dict]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "name": name, "input_shape": list(shape),
            "layers": layers}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
