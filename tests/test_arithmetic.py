"""Worked formulas (builder.arithmetic) agree with the analysis' own numbers."""
import pytest

from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.arithmetic import shortcut, window_line, worked
from builder.templates import TEMPLATES

L = Layer.make


def _lines(arch: Architecture, address: tuple[int, ...], lang: str = "en") -> list[str]:
    return worked(arch, analyse(arch, 10), address, lang)


def test_seed_conv_shows_parameter_and_size_arithmetic():
    arch = TEMPLATES["mnist-cnn"].architecture
    assert _lines(arch, (0,)) == ["(3·3·1 + 1)·32 = 320 parameters",
                                  "⌊(28 − 3 + 2·0) / 1⌋ + 1 = 26"]
    assert _lines(arch, (5,)) == ["(1,600 + 1)·128 = 204,928 parameters"]
    assert _lines(arch, (4,)) == ["5·5·64 = 1,600"]


def test_numbers_come_from_the_analysis():
    arch = Architecture((30, 20, 3), (L("Conv2D", filters=7, kernel_size=[5, 3], strides=2,
                                        use_bias=False),))
    row = analyse(arch).rows[0]
    height, width = row.output_shape[:2]
    assert _lines(arch, (0,)) == [f"(5·3·3)·7 = {row.params:,} parameters",
                                  f"H: ⌊(30 − 5 + 2·0) / 2⌋ + 1 = {height}",
                                  f"W: ⌊(20 − 3 + 2·0) / 2⌋ + 1 = {width}"]


def test_same_padding_and_pool_default_strides():
    assert window_line(13, 3, 2, "same") == "⌈13 / 2⌉ = 7"
    arch = Architecture((9, 9, 1), (L("MaxPooling2D", pool_size=3),))
    assert _lines(arch, (0,)) == ["⌊(9 − 3 + 2·0) / 3⌋ + 1 = 3"]


def test_blocks_show_projection_and_concatenation():
    resnet = TEMPLATES["resnet-small"].architecture
    report = analyse(resnet, 10)
    assert _lines(resnet, (1,)) == ["shortcut = input (shapes match, no projection): 0 parameters"]
    assert _lines(resnet, (3,)) == [f"(32 + 1)·64 = {report.row((3,)).params:,} parameters "
                                    "(1×1 shortcut projection)"]
    inception = TEMPLATES["inception-small"].architecture
    assert _lines(inception, (1,)) == ["16 + 32 + 16 + 16 = 80 channels"]


def test_korean_and_unknown_shapes():
    arch = TEMPLATES["mnist-cnn"].architecture
    assert _lines(arch, (0,), "ko")[0] == "(3·3·1 + 1)·32 = 파라미터 320개"
    broken = Architecture((4, 4, 1), (L("Conv2D", kernel_size=5), L("Dense", units=3)))
    assert _lines(broken, (0,)) == [] and _lines(broken, (1,)) == []
    assert _lines(arch, (4,)) and _lines(Architecture((4, 4, 1), (L("Dropout"),)), (0,)) == []


def test_shortcut_says_whether_and_why_there_is_a_projection():
    conv = L("Conv2D", filters=32, padding="same", strides=2)
    arch = Architecture((28, 28, 16), (L("Residual", [conv]), L("Residual", [L("Dropout")])))
    report = analyse(arch)
    params = (16 + 1) * 32
    assert report.row((0,)).params == params
    assert shortcut(report.row((0,))) == (
        f"shortcut: 1×1 Conv2D projection, {params:,} params — added because the main path "
        "changes 28×28×16 into 14×14×32")
    assert "1×1 Conv2D 투영, 파라미터 544개" in shortcut(report.row((0,)), "ko")
    assert shortcut(report.row((1,))).startswith("shortcut: the input as it is, 0 params")
    broken = Architecture((4, 4, 1), (L("Residual", [L("Conv2D", kernel_size=5)]),))
    assert shortcut(analyse(broken).row((0,))) == ""


@pytest.mark.parametrize("layer, lines", [
    (Layer.make("DepthwiseConv2D", depth_multiplier=2), ["(3·3 + 1)·3·2 = 60 parameters", "⌊(8 − 3 + 2·0) / 1⌋ + 1 = 6"]),
    (Layer.make("SeparableConv2D", filters=4), ["3·3·3·1 + 3·1·4 + 4 = 43 parameters", "⌊(8 − 3 + 2·0) / 1⌋ + 1 = 6"]),
    (Layer.make("Conv2DTranspose", filters=4, strides=2), ["(3·3·3 + 1)·4 = 112 parameters", "8·2 + max(3 − 2, 0) = 17"]),
])
def test_the_new_convolutions_show_their_arithmetic(layer, lines):
    model = Architecture((8, 8, 3), (layer,))
    assert worked(model, analyse(model), (0,)) == lines
