"""The architecture format: JSON round trips and the validation messages."""
from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from builder.architecture import (FORMAT, MAX_BYTES, MAX_DEPTH, Architecture, Layer,
                                  LayerFormatError, position)
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.templates import TEMPLATES


def doc(*layers, version=2, **extra):
    return {"format": FORMAT, "version": version, "name": "t", "input_shape": [28, 28, 1],
            "layers": list(layers), **extra}


CONV = {"type": "Conv2D", "params": {"filters": 4}}


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_survives_a_json_round_trip(name):
    arch = TEMPLATES[name].architecture
    assert Architecture.from_json(arch.to_json()) == arch
    assert Architecture.from_json(arch.to_json(indent=None).encode()) == arch


def test_version_1_straight_stacks_are_read_and_defaults_filled():
    arch = Architecture.from_dict(doc(CONV, {"type": "Flatten"}, version=1))
    assert arch.layers[0].params["kernel_size"] == [3, 3] and arch.layers[1].type == "Flatten"
    assert arch.to_dict()["version"] == 2


def test_blocks_and_addresses():
    residual = {"type": "Residual", "paths": [[CONV, CONV]]}
    arch = Architecture.from_dict(doc(CONV, residual))
    assert arch.has_blocks
    assert [address for address, _ in arch.walk()] == [(0,), (1,), (1, 0, 0), (1, 0, 1)]


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(format="other"), ["format", "other"]),
    (lambda d: d.update(version=3), ["version 3"]),
    (lambda d: d.update(version=True), ["version"]),
    (lambda d: d.update(extra=1), ["extra"]),
    (lambda d: d.update(layers={}), ["layers"]),
    (lambda d: d.update(input_shape=[28, 28]), ["input_shape"]),
    (lambda d: d.update(input_shape=[0, 28, 1]), ["input_shape"]),
    (lambda d: d.update(input_shape=[28, 28, 1000]), ["channels"]),
    (lambda d: d.update(name="x" * 500), ["name", "80"]),
])
def test_document_errors_name_the_field(change, words):
    bad = doc(CONV)
    change(bad)
    with pytest.raises(LabError) as err:
        Architecture.from_dict(bad)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize("layers, where, words", [
    ([CONV, CONV, {"type": "Conv3D"}], "layer 3", ["Conv3D"]),
    ([CONV, {"type": "Dense", "params": {"units": -5}}], "layer 2 (Dense)", ["units", "-5"]),
    ([{"type": "Dense", "params": {"units": 5, "colour": 1}}], "layer 1 (Dense)", ["colour"]),
    ([{"type": "Dense", "size": 5}], "layer 1 (Dense)", ["size"]),
    ([{"type": "Dense", "params": []}], "layer 1 (Dense)", ["params"]),
    (["Dense"], "layer 1", ["object"]),
    ([{"type": "Residual", "paths": [[CONV, {"type": "Conv2D", "params": {"filters": 0}}]]}],
     "layer 1 › path 1 › layer 2 (Conv2D)", ["filters"]),
    ([{"type": "Branch", "paths": [[CONV]]}], "layer 1 (Branch)", ["2–4", "1"]),
])
def test_layer_errors_name_the_position_and_type(layers, where, words):
    with pytest.raises(LayerFormatError) as err:
        Architecture.from_dict(doc(*layers))
    message = str(err.value)
    assert message.startswith(where), message
    for word in words:
        assert word in message
    assert err.value.text("ko") != message  # Korean too


def test_blocks_need_version_2_and_nesting_is_limited():
    residual = {"type": "Residual", "paths": [[CONV]]}
    with pytest.raises(LabError, match="version 2"):
        Architecture.from_dict(doc(residual, version=1))
    nested = copy.deepcopy(residual)
    for _ in range(MAX_DEPTH):
        nested = {"type": "Residual", "paths": [[nested]]}
    with pytest.raises(LabError, match="nested"):
        Architecture.from_dict(doc(nested))


def test_bad_json_and_size_limit_are_one_clear_message():
    with pytest.raises(LabError, match="line 1"):
        Architecture.from_json('{"format": ')
    with pytest.raises(LabError, match="too large"):
        Architecture.from_json(" " * (MAX_BYTES + 1))
    with pytest.raises(LabError, match="JSON object"):
        Architecture.from_json("[1, 2]")


def test_layer_make_checks_values_and_position_is_one_based():
    with pytest.raises(LabError):
        Layer.make("Dense", units=0)
    with pytest.raises(LabError, match="Nope"):
        Layer.make("Nope")
    assert position((2, 0, 4), "Conv2D") == "layer 3 › path 1 › layer 5 (Conv2D)"
    assert position((0,), lang="ko") == "1번째 레이어"


def test_to_json_is_plain_json_with_korean_kept_readable():
    arch = Architecture((8, 8, 1), (Layer.make("Flatten"),), "모델")
    text = arch.to_json()
    assert "모델" in text and json.loads(text)["name"] == "모델"


def test_check_limits_refuses_what_a_file_could_not_hold_with_the_same_words():
    from builder.architecture import MAX_LAYERS, check_limits
    drop = Layer.make("Dropout")
    deep = Layer.make("Residual", [Layer.make("Residual", [Layer.make("Residual", [drop])])])
    for arch in (Architecture((4, 4, 1), (drop,) * (MAX_LAYERS + 1)), Architecture((4, 4, 1), (deep,))):
        with pytest.raises(LabError) as checked:
            check_limits(arch)
        with pytest.raises(LabError) as read:
            Architecture.from_dict(arch.to_dict())
        assert checked.value.text("ko") == read.value.text("ko")
    fine = Architecture((4, 4, 1), (drop,) * MAX_LAYERS)
    assert check_limits(fine) is fine


STORED = Path(__file__).parent / "data" / "stored"  # documents written by earlier releases


def test_an_architecture_is_a_value_equal_by_content_and_hashable():
    a = Architecture.from_json(TEMPLATES["mnist-cnn"].architecture.to_json())
    b = Architecture.from_json(TEMPLATES["mnist-cnn"].architecture.to_json())
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    changed = replace(a, layers=(a.layers[0].with_params(filters=16), *a.layers[1:]))
    assert changed != a and hash(changed) != hash(a) and a.layers[0].params["filters"] == 32
    with pytest.raises(TypeError):
        a.layers[0].params["filters"] = 8  # type: ignore[index]
    size = a.layers[0].params["kernel_size"]
    size.append(9)  # a copy: the stored size cannot change
    assert a.layers[0].params["kernel_size"] == [3, 3] and a == b


@pytest.mark.parametrize("name", sorted(p.name for p in STORED.glob("*.json")))
def test_documents_stored_by_earlier_releases_load_unchanged(name, store):
    text = (STORED / name).read_text(encoding="utf-8")
    arch = Architecture.from_json(text)
    written = json.loads(text)
    assert arch.to_dict() == {**written, "version": 2}  # the same document, now version 2
    run_id = store.create_run(arch, "mnist", TrainSettings())
    assert store.run(run_id).architecture == arch
