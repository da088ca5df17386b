"""The catalogue: parameter validation and the consistency of every entry."""
from __future__ import annotations

import math

import pytest

from builder.layers import GROUPS, LAYER_TYPES, ParamError, by_group, layer_type
from builder.rules import ShapeError


def test_defaults_fill_in_and_sizes_become_pairs():
    conv = layer_type("Conv2D").normalize({"filters": 8, "kernel_size": 5})
    assert conv["filters"] == 8 and conv["kernel_size"] == [5, 5] and conv["strides"] == [1, 1]
    assert conv["padding"] == "valid" and conv["use_bias"] is True


def test_whole_floats_count_as_integers_but_fractions_do_not():
    assert layer_type("Dense").normalize({"units": 16.0})["units"] == 16
    with pytest.raises(ParamError) as err:
        layer_type("Dense").normalize({"units": 16.5})
    assert "units" in str(err.value) and "16.5" in str(err.value)


@pytest.mark.parametrize("type_name, params, words", [
    ("Dense", {"units": 0}, ["units", "1", "65536", "0"]),
    ("Dense", {"units": True}, ["units"]),
    ("Dense", {"use_bias": "yes"}, ["use_bias", "true or false"]),
    ("Conv2D", {"padding": "full"}, ["padding", "valid, same", "full"]),
    ("Conv2D", {"kernel_size": [3, 3, 3]}, ["kernel_size", "pair"]),
    ("Conv2D", {"kernel_size": [3, 0]}, ["kernel_size"]),
    ("Dropout", {"rate": math.nan}, ["rate"]),
    ("Dropout", {"rate": 1.0}, ["rate", "0.99"]),
    ("Dense", {"unit": 3}, ["unit", "Dense"]),
])
def test_bad_values_are_refused_with_a_message_naming_the_parameter(type_name, params, words):
    with pytest.raises(ParamError) as err:
        layer_type(type_name).normalize(params)
    for word in words:
        assert word in str(err.value)


def test_optional_parameters_accept_none():
    assert layer_type("MaxPooling2D").normalize({"strides": None})["strides"] is None
    with pytest.raises(ParamError):
        layer_type("Dense").normalize({"units": None})


def test_korean_messages_exist_for_parameter_errors():
    with pytest.raises(ParamError) as err:
        layer_type("Dense").normalize({"units": -1})
    assert err.value.text("ko") != err.value.text("en") and "units" in err.value.text("ko")


@pytest.mark.parametrize("kind", LAYER_TYPES, ids=lambda k: k.name)
def test_every_entry_is_complete_and_consistent(kind):
    names = {p.name for p in kind.params}
    assert kind.group in GROUPS
    assert set(kind.key_params) <= names and set(kind.keras_call) <= names
    assert set(kind.keras_defaults) <= names and not set(kind.keras_fixed) & names
    defaults = kind.defaults()
    for name, value in kind.keras_defaults.items():
        assert kind.param(name).normalize(value) == value  # stored form, comparable
    for lang in ("en", "ko"):
        assert kind.explain[lang] and kind.formula[lang]
    assert kind.normalize(defaults) == defaults
    assert kind.keras_kwargs(defaults).keys() == defaults.keys()


@pytest.mark.parametrize("kind", [k for k in LAYER_TYPES if not k.is_block], ids=lambda k: k.name)
def test_plain_layers_apply_to_an_image_or_say_why_not(kind):
    try:
        out = kind.shape((12, 12, 3), kind.defaults())
    except ShapeError as exc:
        pytest.fail(f"{kind.name} default refused a 12×12×3 image: {exc}")
    assert all(isinstance(n, int) and n > 0 for n in out)
    trainable, frozen = kind.weights((12, 12, 3), kind.defaults())
    assert trainable >= 0 and frozen >= 0


def test_palette_groups_hold_every_type_once():
    grouped = [t.name for group in by_group().values() for t in group]
    assert sorted(grouped) == sorted(t.name for t in LAYER_TYPES)
    assert layer_type("NoSuchLayer") is None
