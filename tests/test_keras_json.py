"""Keras JSON without TensorFlow: what we write, and reading Keras 3 / Keras 2 documents.

(Real Keras reading our JSON, and our reading of real ``model.to_json()``, is in
test_parity.py.)
"""
from __future__ import annotations

import json

import pytest

from tests.isolation import imported_after
from builder.analysis import analyse
from builder.architecture import MAX_BYTES, Architecture, Layer, LayerFormatError
from builder.errors import LabError
from builder.keras_graph import NotBuildable, parse_name, plan
from builder.keras_json import from_keras_json, to_keras_json
from builder.templates import TEMPLATES

L = Layer.make


def keras3(*layers, shape=(28, 28, 1)) -> str:
    """A Keras 3 style Sequential document (InputLayer with batch_shape)."""
    entries = [{"class_name": "InputLayer", "config": {"batch_shape": [None, *shape], "name": "in"}}]
    entries += [{"module": "keras.layers", "class_name": cls,
                 "config": {"name": f"l{i}", "trainable": True, "dtype": {"class_name": "DTypePolicy"},
                            "kernel_initializer": {"class_name": "GlorotUniform"}, **config}}
                for i, (cls, config) in enumerate(layers)]
    return json.dumps({"module": "keras", "class_name": "Sequential",
                       "config": {"name": "seq", "layers": entries}})


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_round_trip_through_our_keras_json(name):
    arch = TEMPLATES[name].architecture
    text = to_keras_json(arch)
    assert json.loads(text)["class_name"] == ("Functional" if arch.has_blocks else "Sequential")
    assert from_keras_json(text) == arch


def test_functional_json_names_and_wiring():
    doc = json.loads(to_keras_json(TEMPLATES["resnet-small"].architecture))
    layers = {entry["name"]: entry for entry in doc["config"]["layers"]}
    add = layers["residual_4_add"]
    sources = [ref["config"]["keras_history"][0] for ref in add["inbound_nodes"][0]["args"][0]]
    assert sources == ["conv2d_4_1_2", "residual_4_projection"]
    assert layers["residual_4_projection"]["config"]["kernel_size"] == [1, 1]
    assert doc["config"]["output_layers"] == [["dense_8", 0, 0]]
    assert parse_name("conv2d_4_1_2") == ("conv2d", (3, 0, 1), "")
    assert parse_name("max_pooling2d_3") == ("max_pooling2d", (2,), "")
    assert parse_name("branch_2_concatenate") == ("branch", (1,), "concatenate")


def test_keras3_sequential_maps_config_keys_to_parameters():
    arch = from_keras_json(keras3(
        ("Conv2D", {"filters": 8, "kernel_size": [5, 5], "strides": [1, 1], "padding": "same",
                    "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": False,
                    "data_format": "channels_last", "kernel_regularizer": None}),
        ("MaxPooling2D", {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}),
        ("RandomRotation", {"factor": [-0.2, 0.2], "fill_mode": "reflect", "seed": 5}),
        ("Flatten", {"data_format": "channels_last"}),
        ("Dense", {"units": 10, "activation": "silu", "quantization_config": None})))
    conv, pool, rotate, _, dense = arch.layers
    assert conv.params == {"filters": 8, "kernel_size": [5, 5], "strides": [1, 1],
                           "padding": "same", "activation": "linear", "use_bias": False}
    assert pool.params["strides"] is None  # Keras writes the default stride out
    assert rotate.params["factor"] == 0.2 and dense.params["activation"] == "swish"
    assert arch.input_shape == (28, 28, 1) and arch.name == "seq"


def test_keras2_documents_with_batch_input_shape():
    text = json.dumps({"class_name": "Sequential", "keras_version": "2.15.0", "config": {
        "name": "old", "layers": [
            {"class_name": "Conv2D", "config": {"batch_input_shape": [None, 32, 32, 3], "filters": 4,
                                                "kernel_size": [3, 3], "dtype": "float32"}},
            {"class_name": "GlobalAveragePooling2D", "config": {"keepdims": False}},
            {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}})
    arch = from_keras_json(text)
    assert arch.input_shape == (32, 32, 3) and [l.type for l in arch.layers] == [
        "Conv2D", "GlobalAveragePooling2D", "Dense"]
    assert analyse(arch).ok


@pytest.mark.parametrize("layers, where, words", [
    ([("Flatten", {}), ("LSTM", {"units": 3})], "layer 2 (LSTM)", ["LSTM", "not supported"]),
    ([("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": [2, 2]})], "layer 1 (Conv2D)",
     ["dilation_rate", "[2, 2]"]),
    ([("Dense", {"units": 4, "lora_rank": 8})], "layer 1 (Dense)", ["lora_rank"]),
    ([("GlobalMaxPooling2D", {"keepdims": True})], "layer 1 (GlobalMaxPooling2D)", ["keepdims"]),
    ([("RandomZoom", {"height_factor": 0.1, "fill_mode": "constant"})], "layer 1 (RandomZoom)",
     ["fill_mode", "constant"]),
    ([("Flatten", {}), ("Dense", {"units": 0})], "layer 2 (Dense)", ["units"]),
    ([("Dense", {"units": 4, "activation": {"class_name": "Custom"}})], "layer 1 (Dense)", ["activation"]),
    ([("Residual", {})], "layer 1 (Residual)", ["not supported"]),
])
def test_unsupported_layers_and_settings_name_position_and_type(layers, where, words):
    with pytest.raises(LayerFormatError) as err:
        from_keras_json(keras3(*layers))
    message = str(err.value)
    assert message.startswith(where), message
    for word in words:
        assert word in message


@pytest.mark.parametrize("text, words", [
    ('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Flatten", "config": {}}]}}',
     ["input shape"]),
    ('{"format": "layerlab.architecture"}', ["Keras model"]),
    ('{"class_name": "Conv2D", "config": {}}', ["Conv2D"]),
    ("[]", ["Keras model"]),
    ("{", ["JSON"]),
    (" " * (MAX_BYTES + 1), ["too large"]),
])
def test_bad_documents_are_one_clear_error(text, words):
    with pytest.raises(LabError) as err:
        from_keras_json(text)
    for word in words:
        assert word in str(err.value)


def test_vector_inputs_are_refused_by_the_input_shape_rule():
    doc = json.loads(keras3(("Dense", {"units": 3})))
    doc["config"]["layers"][0]["config"]["batch_shape"] = [None, 784]
    with pytest.raises(LabError, match="input_shape"):
        from_keras_json(json.dumps(doc))


def test_functional_chains_read_like_sequential_but_foreign_graphs_are_refused():
    def ref(name):
        return {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "dtype": "float32",
                                                             "keras_history": [name, 0, 0]}}

    def node(name, cls, config, *sources):
        args = [[ref(s) for s in sources]] if len(sources) > 1 else [ref(s) for s in sources]
        return {"class_name": cls, "name": name, "config": {"name": name, **config},
                "inbound_nodes": [{"args": args, "kwargs": {}}]}

    inp = {"class_name": "InputLayer", "name": "pixels", "config": {"batch_shape": [None, 8, 8, 1]},
           "inbound_nodes": []}
    chain = [inp, node("a", "Flatten", {}, "pixels"), node("b", "Dense", {"units": 3}, "a")]
    arch = from_keras_json(json.dumps({"class_name": "Functional", "config": {"layers": chain}}))
    assert [l.type for l in arch.layers] == ["Flatten", "Dense"]
    fork = [inp, node("a", "Conv2D", {"filters": 2, "kernel_size": 1}, "pixels"),
            node("b", "Add", {}, "a", "pixels")]
    with pytest.raises(LabError, match="Functional"):
        from_keras_json(json.dumps({"class_name": "Functional", "config": {"layers": fork}}))


def test_rewired_layerlab_functional_is_refused():
    doc = json.loads(to_keras_json(TEMPLATES["resnet-small"].architecture))
    for entry in doc["config"]["layers"]:
        if entry["name"] == "residual_2_add":
            entry["inbound_nodes"][0]["args"][0][1]["config"]["keras_history"][0] = "input"
    with pytest.raises(LabError, match="Functional"):
        from_keras_json(json.dumps(doc))


def test_invalid_architectures_cannot_be_exported():
    broken = Architecture((4, 4, 1), (L("Conv2D", kernel_size=5),))
    with pytest.raises(NotBuildable) as err:
        to_keras_json(broken)
    assert "layer 1 (Conv2D)" in str(err.value) and "5×5" in str(err.value)
    with pytest.raises(NotBuildable):
        plan(broken)


def test_the_keras_json_module_does_not_import_tensorflow():
    assert imported_after("from builder.keras_json import to_keras_json, from_keras_json;"
                          "from builder.templates import TEMPLATES;"
                          "from_keras_json(to_keras_json(TEMPLATES['inception-small'].architecture))"
                          ) == []


def mutations(value, rng):
    """Every way of breaking one spot of a document: drop, retype or blow up a value."""
    if isinstance(value, dict) and value and rng.random() < 0.7:
        key = rng.choice(sorted(value))
        return {**value, key: mutations(value[key], rng)} if rng.random() < 0.8 else {
            k: v for k, v in value.items() if k != key}
    if isinstance(value, list) and value and rng.random() < 0.7:
        i = rng.randrange(len(value))
        return value[:i] + [mutations(value[i], rng)] + value[i + 1:]
    return rng.choice([None, -1, 0, 10**9, 2.5, "", "x", [], {}, [None, 1], {"a": [1]},
                       ["input", 0, 0], True])


def test_mutated_documents_load_or_fail_with_a_lab_error():
    import random
    rng = random.Random(7)
    docs = [json.loads(to_keras_json(t.architecture)) for t in TEMPLATES.values()]
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(600):
        broken = mutations(rng.choice(docs), rng)
        try:
            from_keras_json(json.dumps(broken))
            outcomes["loaded"] += 1
        except LabError as exc:
            assert exc.text("en") and exc.text("ko")
            outcomes["refused"] += 1
    assert outcomes["loaded"] > 20 and outcomes["refused"] > 100, outcomes
