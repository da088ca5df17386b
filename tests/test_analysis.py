"""The analysis: shapes and counts by the formulas, problems with messages and working fixes."""
from __future__ import annotations

import pytest

from builder import edits
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.errors import LabError
from builder.templates import TEMPLATES

L = Layer.make


def arch(*layers, shape=(28, 28, 1)) -> Architecture:
    return Architecture(shape, tuple(layers), "t")


def test_seed_mnist_cnn_matches_the_tutorial():
    report = analyse(TEMPLATES["mnist-cnn"].architecture, num_classes=10)
    assert report.ok and not report.problems
    assert report.total_params == 225_034  # the tutorial's printed summary
    assert analyse(TEMPLATES["cifar10-cnn"].architecture).total_params == 227_146


def test_shapes_and_counts_follow_the_formulas():
    report = analyse(arch(L("Conv2D", filters=8, kernel_size=5, strides=2), L("BatchNormalization"),
                          L("MaxPooling2D", pool_size=3), L("Flatten"), L("Dense", units=7)))
    conv, norm, pool, flat, dense = report.rows
    side = (28 - 5) // 2 + 1
    assert conv.output_shape == (side, side, 8) and conv.params == (5 * 5 * 1 + 1) * 8
    assert conv.flops == side * side * 8 * 5 * 5 * 1
    assert (norm.trainable, norm.non_trainable) == (2 * 8, 2 * 8)
    assert pool.output_shape == (side // 3, side // 3, 8)
    assert flat.output_shape == ((side // 3) ** 2 * 8,)
    assert dense.params == (flat.output_shape[0] + 1) * 7
    assert report.total_params == sum(r.params for r in report.rows)
    assert report.memory == sum(r.memory for r in report.rows) and conv.memory == side * side * 8 * 4


def fixed(architecture: Architecture, code: str, num_classes=None) -> Architecture:
    """Apply the fix of the (only) problem with ``code`` and return the result."""
    problem = next(p for p in analyse(architecture, num_classes).problems if p.code == code)
    assert problem.fix is not None, problem
    assert problem.fix.text("en") and problem.fix.text("ko")
    return problem.fix.apply(architecture)


def classified(*layers: Layer) -> Architecture:
    """``layers`` followed by a proper 10-class classifier head."""
    return arch(*layers, L("Flatten"), L("Dense", units=10, activation="softmax"))


@pytest.mark.parametrize("broken, code, severity", [
    (classified(L("MaxPooling2D", pool_size=4), L("MaxPooling2D", pool_size=4),
                L("Conv2D", kernel_size=3)), "kernel_too_big", "error"),
    (classified(L("Conv2D"), L("Dense", units=4)), "dense_on_map", "warning"),
    (classified(L("Flatten"), L("Conv2D")), "needs_image", "error"),
    (classified(L("Residual", [L("Conv2D", filters=8)])), "residual_mismatch", "error"),
    (classified(L("Branch", [L("Conv2D", filters=4, padding="same")],
                  [L("Conv2D", filters=8, padding="same")], merge="add")), "add_mismatch", "error"),
    (arch(L("Flatten"), L("Dense", units=10)), "classifier", "warning"),  # no softmax
    (arch(L("Flatten"), L("Dense", units=3)), "classifier", "error"),  # 3 outputs, 10 classes
    (arch(L("Flatten")), "classifier", "error"),
    (arch(L("Conv2D"), L("Dense", units=10, activation="softmax")), "output_map", "error"),
])
def test_problems_say_where_and_their_fix_removes_them(broken, code, severity):
    report = analyse(broken, num_classes=10)
    problem = next(p for p in report.problems if p.code == code)
    assert problem.severity == severity and report.ok == (severity == "warning")
    text = problem.text("en")
    assert text.startswith(problem.where("en")) and f"({problem.layer_type})" in text
    assert problem.message("ko") != problem.message("en") and problem.hint("en")
    repaired = analyse(fixed(broken, code, 10), num_classes=10)
    assert code not in {p.code for p in repaired.problems}
    assert repaired.ok


def test_problem_messages_carry_the_real_numbers():
    report = analyse(arch(L("MaxPooling2D", pool_size=8), L("MaxPooling2D", pool_size=2),
                          L("Conv2D", kernel_size=3)))
    problem = report.errors[0]
    assert problem.address == (2,) and "3×3" in problem.message() and "1×1" in problem.message()
    assert problem.to_dict()["position"] == 3 and problem.to_dict()["type"] == "Conv2D"


def test_an_error_leaves_later_shapes_unknown_but_the_walk_goes_on():
    report = analyse(arch(L("Flatten"), L("Conv2D"), L("Dense", units=4), L("Dense", units=2)))
    assert [r.output_shape for r in report.rows] == [(784,), None, None, None]
    assert len(report.errors) == 1 and report.output_shape is None


def test_garbage_never_raises():
    garbage = Architecture((4, 4, 1), (Layer("Nope"), Layer("Branch", {"merge": "add"}, ((),)),
                                       Layer("Conv2D", {"kernel_size": [9, 9]})))
    report = analyse(garbage)
    assert {p.code for p in report.errors} == {"unknown_type", "path_count"}
    assert analyse(Architecture((4, 4, 1))).problems[0].code == "empty"


def test_a_layer_never_holds_a_bad_value_so_the_analysis_never_meets_one():
    with pytest.raises(LabError, match="units"):
        Layer("Dense", {"units": "many"})
    with pytest.raises(LabError):
        Layer.make("Conv2D", filters=16).with_params(filters=0)
    assert Layer("Dense", {"units": 8}) == Layer.make("Dense", units=8)  # defaults filled once


def test_residual_projection_and_branch_concatenation_counts():
    block = L("Residual", [L("Conv2D", filters=16, strides=2, padding="same")], activation="relu")
    report = analyse(arch(block, shape=(9, 9, 3)))
    row = report.row((0,))
    assert row.output_shape == (5, 5, 16) and row.trainable == (3 + 1) * 16
    branch = L("Branch", [], [L("Conv2D", filters=5, padding="same")], [L("MaxPooling2D", strides=1, padding="same")])
    assert analyse(arch(branch, shape=(6, 6, 2))).output_shape == (6, 6, 2 + 5 + 2)


def test_report_to_dict_uses_one_based_positions():
    report = analyse(TEMPLATES["resnet-small"].architecture)
    data = report.to_dict()
    assert data["layers"][0]["index"] == 1 and data["layers"][2]["index"] == [2, 1, 1]
    assert data["total_params"] == data["trainable_params"] + data["non_trainable_params"]
    assert data["ok"] is True and data["problems"] == []


def test_fixes_inside_blocks_use_the_block_address():
    broken = arch(L("Conv2D", padding="same"),
                  L("Residual", [L("Conv2D", filters=32), L("Conv2D", filters=32, activation="linear")]))
    problem = analyse(broken).errors[0]
    assert problem.code == "residual_mismatch" and problem.fix.address == (1, 0, 0)
    assert edits.get(problem.fix.apply(broken), (1, 0, 0)).params["padding"] == "same"
