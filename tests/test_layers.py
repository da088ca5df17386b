"""builder/layers/: each family module holds its types, and nothing outside the package
(and the translation table) names a layer type."""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest

from builder import layers
from builder.layers import FAMILIES, GROUPS, LAYER_TYPES, ROLES, by_group, layer_type, with_role

ROOT = Path(__file__).resolve().parents[1]
NAMES = {kind.name for kind in LAYER_TYPES}
# Templates are models, written as data (like a saved file); they name types as a file does.
DATA = {Path("builder/templates.py")}


def _outside() -> list[Path]:
    files = [*ROOT.glob("builder/**/*.py"), *ROOT.glob("components/**/*.py"),
             *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    return [p for p in files if p.relative_to(ROOT).parts[:2] not in (("builder", "layers"),
                                                                       ("builder", "text"))
            and p.relative_to(ROOT) not in DATA]


def test_no_module_outside_builder_layers_names_a_layer_type():
    named = [f"{path.relative_to(ROOT)}:{node.lineno} {node.value}"
             for path in _outside() for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and node.value in NAMES]
    scripts = [f"{path.relative_to(ROOT)} {name}" for path in ROOT.glob("components/**/*.js")
               for name in NAMES if f'"{name}"' in path.read_text() or f"'{name}'" in path.read_text()]
    assert named + scripts == []


def test_the_check_sees_a_layer_type_named():
    assert any(isinstance(n, ast.Constant) and n.value in NAMES
               for n in ast.walk(ast.parse('if layer.type == "Dense": pass')))


def test_each_family_module_holds_its_own_group():
    modules = sorted(p.stem for p in Path(layers.__file__).parent.glob("*.py")
                     if p.stem not in ("__init__", "base"))
    assert sorted(GROUPS) == modules  # every family module is a palette group, and no more
    assert GROUPS[:3] == ("convolution", "pooling", "core")  # the palette's order starts so
    for family in FAMILIES:
        assert family.TYPES and all(kind.group == family.__name__.rsplit(".", 1)[1]
                                    for kind in family.TYPES)
    assert [k for ks in by_group().values() for k in ks] == list(LAYER_TYPES)
    assert len(NAMES) == len(LAYER_TYPES)


def test_blocks_own_their_semantics():
    for kind in LAYER_TYPES:
        if kind.is_block:
            assert kind.merge and kind.plan and kind.read_helper and kind.helpers
            assert kind.paths[0] <= len(kind.default_paths) <= kind.paths[1]
            assert all(layer_type(name) for path in kind.default_paths for name, _ in path)


def test_the_fix_types_are_layer_types():
    assert layer_type(layers.FLATTEN.name) is layers.FLATTEN
    assert layer_type(layers.CLASSIFIER.name) is layers.CLASSIFIER


def test_every_type_declares_a_known_role_and_code_asks_the_role_not_the_group():
    assert all(kind.role in ROLES for kind in LAYER_TYPES)
    assert [k.name for k in with_role("dropout")] == ["Dropout"]
    assert {k.name for k in with_role("convolution")} >= {"Conv2D", "SeparableConv2D"}
    with pytest.raises(ValueError):
        with_role("regularizer")
    with pytest.raises(ValueError):  # a new type must say what it is for
        replace(layer_type("Dropout"), role="")
    guessing = [path.relative_to(ROOT) for path in (ROOT / "builder").rglob("*.py")
                if "layers" not in path.parts and re.search(r"\.group\s*==", path.read_text())]
    assert guessing == []
