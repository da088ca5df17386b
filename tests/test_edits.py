"""Pure edits by address: each returns a new architecture and leaves the old one alone."""
from __future__ import annotations

import pytest

from builder import edits
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.layers import ParamError

L = Layer.make
BASE = Architecture((28, 28, 1), (L("Conv2D"), edits.new_layer("Residual"), L("Flatten")), "t")


def types(stack) -> list[str]:
    return [layer.type for layer in stack]


def test_insert_remove_and_append():
    added = edits.insert(BASE, (3,), L("Dense", units=10))
    assert types(added.layers) == ["Conv2D", "Residual", "Flatten", "Dense"]
    assert types(edits.remove(added, (0,)).layers) == ["Residual", "Flatten", "Dense"]
    assert types(BASE.layers) == ["Conv2D", "Residual", "Flatten"]  # unchanged
    with pytest.raises(IndexError):
        edits.insert(BASE, (5,), L("Flatten"))
    with pytest.raises(IndexError):
        edits.remove(BASE, (3,))


def test_edits_reach_inside_blocks():
    inner = edits.insert(BASE, (1, 0, 0), L("BatchNormalization"))
    assert types(edits.get(inner, (1,)).paths[0]) == ["BatchNormalization", "Conv2D", "Conv2D"]
    changed = edits.set_params(inner, (1, 0, 1), filters=7)
    assert edits.get(changed, (1, 0, 1)).params["filters"] == 7
    assert edits.get(inner, (1, 0, 1)).params["filters"] == 32
    with pytest.raises(IndexError):
        edits.get(BASE, (1, 3, 0))


def test_set_params_is_checked_by_the_catalogue():
    with pytest.raises(ParamError):
        edits.set_params(BASE, (0,), filters=0)
    assert edits.set_params(BASE, (0,), kernel_size=5).layers[0].params["kernel_size"] == [5, 5]


def test_move_duplicate_and_rename():
    moved = edits.move(BASE, (2,), (0,))
    assert types(moved.layers) == ["Flatten", "Conv2D", "Residual"]
    into_block = edits.move(BASE, (0,), (0, 0, 2))
    assert types(into_block.layers) == ["Residual", "Flatten"]
    assert types(into_block.layers[0].paths[0]) == ["Conv2D", "Conv2D", "Conv2D"]
    assert types(edits.duplicate(BASE, (0,)).layers) == ["Conv2D", "Conv2D", "Residual", "Flatten"]
    assert edits.rename(BASE, (2,), "flat").layers[2].name == "flat"


def test_paths_respect_the_catalogue_limits():
    branch = Architecture((8, 8, 1), (edits.new_layer("Branch"),))
    assert len(branch.layers[0].paths) == 2
    more = branch
    for _ in range(5):
        more = edits.add_path(more, (0,))
    assert len(more.layers[0].paths) == 4 and more.layers[0].paths[-1] == ()
    fewer = more
    for _ in range(5):
        fewer = edits.remove_path(fewer, (0,), 0)
    assert len(fewer.layers[0].paths) == 2
    assert edits.add_path(BASE, (1,)) == BASE  # a Residual keeps its one path


def test_new_layer_gives_blocks_working_default_paths():
    for name in ("Residual", "Branch"):
        model = Architecture((16, 16, 8), (edits.new_layer(name),))
        assert analyse(model).ok, name
