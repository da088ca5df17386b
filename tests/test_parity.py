"""Parity with real Keras: the analysis must predict exactly what Keras builds.

Seeded random architectures (plain and with blocks), generated from the layer types' own
parameter bounds (a new type is checked without touching this file), and every template
are built with Keras; per-layer output shapes and trainable / non-trainable parameter counts must equal
the analysis. Random invalid stacks must give problems (never exceptions), and Keras must
refuse them too. Keras JSON must survive both directions: ours into
``keras.models.model_from_json`` and Keras's own ``model.to_json()`` into LayerLab (and
the ``summary --json`` command).
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from math import prod
from pathlib import Path

import pytest

from builder import cli
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.layers import LAYER_TYPES, Param, layer_type
from builder.rules import ShapeError
from builder.keras_graph import plan
from builder.keras_json import from_keras_json, to_keras_json
from builder.templates import TEMPLATES

keras = pytest.importorskip("keras")
from builder.keras_build import build_model  # noqa: E402  (after the Keras check)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
PLAIN_TYPES = [k for k in LAYER_TYPES if not k.is_block]
BLOCK_TYPES = [k for k in LAYER_TYPES if k.is_block]


def _accepts(kind, shape) -> tuple | None:
    """The output shape of ``kind`` (defaults) on ``shape``, None when it refuses it."""
    try:
        return kind.shape(shape, kind.defaults())
    except ShapeError:
        return None


VECTOR_TYPES = [k for k in PLAIN_TYPES if _accepts(k, (8,)) is not None]
FLATTENING = {k.name for k in PLAIN_TYPES if len(_accepts(k, (8, 8, 3)) or ()) == 1}
SIZE_KEEPING = {"strides": 1, "padding": "same"}  # Keras's names: the window keeps H×W


# ---------------------------------------------------------------- random architectures

def random_value(rng: random.Random, param: Param) -> object:
    """A value inside the parameter's own bounds; numbers kept small so models stay small."""
    if param.optional and rng.random() < 0.3:
        return None
    if param.kind == "bool":
        return rng.random() < 0.8
    if param.kind == "choice":
        return rng.choice(param.choices)
    if param.kind in ("int", "size"):
        default = param.default if isinstance(param.default, int) else 1
        high = int(min(param.high, param.low + 11, max(default, param.low + 3) if param.kind == "int" else 3))
        one = lambda: rng.randint(int(param.low), high)  # noqa: E731
        return one() if param.kind == "int" or rng.random() < 0.5 else [one(), one()]
    if param.default is not None and rng.random() < 0.5:
        return param.default
    return round(rng.uniform(param.low, min(param.high, param.low + 2)), 3)


def random_params(rng: random.Random, kind, keep_size: bool = False) -> dict:
    """Valid parameter values; ``keep_size`` asks windows to keep height and width."""
    params = {p.name: random_value(rng, p) for p in kind.params}
    if keep_size:
        params.update({k: v for k, v in SIZE_KEEPING.items() if k in params})
    return params


def random_stack(rng: random.Random, image: bool, length: int, blocks: int = 0,
                 keep_size: bool = False) -> list[Layer]:
    """A stack that mostly fits: vector layers follow the first layer that flattens."""
    layers: list[Layer] = []
    for _ in range(length):
        if blocks and image and rng.random() < 0.35:
            layers.append(random_block(rng, blocks - 1))
            continue
        kind = rng.choice(PLAIN_TYPES if image else VECTOR_TYPES)
        if keep_size and (kind.name in FLATTENING or kind.per_position):
            continue  # a block's path keeps its image
        layers.append(Layer.make(kind.name, **random_params(rng, kind, keep_size)))
        image = image and kind.name not in FLATTENING
    return layers


def random_block(rng: random.Random, depth_left: int) -> Layer:
    kind = rng.choice(BLOCK_TYPES)
    count = rng.randint(*kind.paths)
    paths = [random_stack(rng, True, rng.randint(0, 3), depth_left, keep_size=rng.random() < 0.7)
             for _ in range(count)]
    if count == 1 and rng.random() < 0.3:  # a strided or wider main path needs a projection
        window = rng.choice([k for k in PLAIN_TYPES if k.pads and _accepts(k, (8, 8, 3))])
        paths[0].append(Layer.make(window.name, **{**random_params(rng, window), "strides": 2,
                                                   "padding": "same"}))
    return Layer.make(kind.name, *paths, **random_params(rng, kind))


def random_architecture(seed: int, blocks: int = 0) -> Architecture:
    rng = random.Random(seed)
    side = rng.randint(6, 24)
    shape = (side, rng.choice([side, rng.randint(6, 24)]), rng.choice([1, 3]))
    layers = random_stack(rng, True, rng.randint(1, 8), blocks)
    return Architecture(shape, tuple(layers), f"random-{seed}")


def valid_architectures(count: int, blocks: int, first_seed: int) -> list[Architecture]:
    found, seed = [], first_seed
    while len(found) < count:
        arch = random_architecture(seed, blocks)
        if analyse(arch).ok and (not blocks or arch.has_blocks):
            found.append(arch)
        seed += 1
    return found


PLAIN = valid_architectures(200, 0, 1_000)
WITH_BLOCKS = valid_architectures(100, 2, 50_000)


# ---------------------------------------------------------------- comparing with Keras

def weight_count(weights) -> int:
    return sum(prod(w.shape) for w in weights)


def assert_parity(arch: Architecture, model) -> None:
    """Every row's output shape and parameters, and the totals, equal Keras's."""
    report, graph = analyse(arch), plan(arch)
    for row in report.rows:
        layer = model.get_layer(graph.outputs[row.address])
        assert tuple(layer.output.shape[1:]) == row.output_shape, (arch.name, row)
        owned = [model.get_layer(n.name) for n in graph.nodes if n.owner == row.address]
        assert weight_count(w for l in owned for w in l.trainable_weights) == row.trainable, (arch.name, row)
        assert weight_count(w for l in owned for w in l.non_trainable_weights) == row.non_trainable
    assert model.count_params() == report.total_params
    assert weight_count(model.trainable_weights) == report.trainable
    assert weight_count(model.non_trainable_weights) == report.non_trainable
    assert tuple(model.output_shape[1:]) == report.output_shape


def test_generators_cover_every_layer_type():
    seen = {layer.type for arch in PLAIN + WITH_BLOCKS for _, layer in arch.walk()}
    assert seen == {kind.name for kind in LAYER_TYPES}
    projections = [a for a in WITH_BLOCKS if any(n.name.endswith("projection") for n in plan(a).nodes)]
    nested = [a for a in WITH_BLOCKS if any(len(addr) > 3 for addr, _ in a.walk())]
    assert len(projections) >= 10 and len(nested) >= 5


@pytest.mark.parametrize("group", ["plain", "blocks", "templates"])
def test_keras_builds_what_the_analysis_predicts(group):
    archs = {"plain": PLAIN, "blocks": WITH_BLOCKS,
             "templates": [t.architecture for t in TEMPLATES.values()]}[group]
    for arch in archs:
        model = build_model(arch)
        assert type(model).__name__ == ("Functional" if arch.has_blocks else "Sequential")
        assert_parity(arch, model)
    keras.backend.clear_session()


def test_random_invalid_stacks_give_problems_and_keras_refuses_them_too():
    refused = 0
    for seed in range(400):
        rng = random.Random(seed)
        arch = Architecture((rng.randint(1, 6), rng.randint(1, 6), 1),
                            tuple(random_stack(rng, True, rng.randint(1, 6))) + tuple(
                                random_stack(rng, bool(rng.random() < 0.5), 2)))
        report = analyse(arch)  # never raises
        codes = {p.code for p in report.errors}
        assert codes <= {"kernel_too_big", "needs_image"}, codes
        if not codes or any(p.layer_type.startswith("Random") for p in report.errors):
            continue  # Keras accepts augmentation on vectors; LayerLab insists on images
        with pytest.raises(ValueError):
            keras.Sequential([keras.Input(arch.input_shape), *(
                getattr(keras.layers, l.type)(**layer_type(l.type).keras_kwargs(l.params))
                for l in arch.layers)])
        refused += 1
    assert refused >= 50


def test_our_keras_json_loads_into_keras_with_the_same_numbers():
    for arch in PLAIN[::5] + WITH_BLOCKS[::3] + [t.architecture for t in TEMPLATES.values()]:
        model = keras.models.model_from_json(to_keras_json(arch))
        assert_parity(arch, model)
    keras.backend.clear_session()


def test_keras_own_json_reads_back_as_the_same_architecture():
    for arch in PLAIN[::2] + WITH_BLOCKS + [t.architecture for t in TEMPLATES.values()]:
        back = from_keras_json(build_model(arch).to_json())
        assert analyse(back).to_dict() == analyse(arch).to_dict()
        assert back.has_blocks == arch.has_blocks
    keras.backend.clear_session()


# ---------------------------------------------------------------- Keras-made models, our CLI

def keras_sequential(seed: int):
    """A random Sequential written directly with Keras, in Keras's own argument forms."""
    rng = random.Random(seed)
    arch = PLAIN[seed % len(PLAIN)]
    layers = []
    for layer in arch.layers:
        kwargs = layer_type(layer.type).keras_kwargs(layer.params)
        for key in ("kernel_size", "strides", "pool_size"):
            value = kwargs.get(key)
            if value is not None and value[0] == value[1] and rng.random() < 0.5:
                kwargs[key] = value[0]  # Keras also takes one int
        if kwargs.get("activation") == "linear" and layer.type != "Activation":
            kwargs["activation"] = None
        layers.append(getattr(keras.layers, layer.type)(**kwargs))
    return keras.Sequential([keras.Input(arch.input_shape), *layers])


def keras_facts(model) -> dict:
    return {"shapes": [list(layer.output.shape[1:]) for layer in model.layers],
            "total": model.count_params(),
            "trainable": weight_count(model.trainable_weights)}


def summary_facts(summary: dict) -> dict:
    return {"shapes": [row["output_shape"] for row in summary["layers"]],
            "total": summary["total_params"], "trainable": summary["trainable_params"]}


def test_summary_json_of_keras_made_models_in_process(tmp_path, capsys):
    for seed in range(60):
        model = keras_sequential(seed)
        path = tmp_path / f"model{seed}.json"
        path.write_text(model.to_json())
        assert cli.main(["summary", str(path), "--json"]) == 0
        assert summary_facts(json.loads(capsys.readouterr().out)) == keras_facts(model)
    keras.backend.clear_session()


def test_summary_json_of_keras_made_models_in_a_subprocess(tmp_path):
    for seed in (3, 17, 42):
        model = keras_sequential(seed)
        path = tmp_path / "model.json"
        path.write_text(model.to_json())
        done = subprocess.run([sys.executable, "-m", "builder", "summary", str(path), "--json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert summary_facts(json.loads(done.stdout)) == keras_facts(model)
