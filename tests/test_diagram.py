"""The architecture diagram: branches side by side, the Residual shortcut and its projection."""
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.templates import TEMPLATES
from components.diagram import figure

L = Layer.make


def boxes(arch: Architecture, lang: str = "en") -> dict[str, float]:
    """Each box's label → its centre x."""
    fig = figure(arch, analyse(arch, 10), lang)
    trace = fig.data[0]
    return dict(zip(trace.text, trace.x))


def notes(arch: Architecture) -> list[str]:
    return list(figure(arch, analyse(arch, 10), "en").data[1].text)


def test_branch_paths_are_drawn_side_by_side():
    arch = Architecture((8, 8, 1), (L("Branch", [L("Conv2D", filters=2, kernel_size=1)],
                                      [L("Conv2D", filters=3, padding="same")],
                                      [L("MaxPooling2D", strides=1, padding="same")]),))
    placed = boxes(arch)
    xs = [placed["Conv2D 8×8×2"], placed["Conv2D 8×8×3"], placed["MaxPooling2D 8×8×1"]]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert placed["Branch (concatenate) 8×8×6"] == placed["Input 8×8×1"]


def test_residual_shortcut_is_a_line_or_its_projection_box():
    resnet = TEMPLATES["resnet-small"].architecture
    placed = boxes(resnet)
    projection = f"shortcut: 1×1 Conv2D 16×16×64 · {(32 + 1) * 64:,} params"
    assert placed[projection] > placed["Residual (add) 16×16×64"]  # beside the main path
    assert notes(resnet) == [" shortcut (input as it is)"]  # the first block adds its input
    assert "지름길: 1×1 Conv2D 16×16×64 · 파라미터 2,112개" in boxes(resnet, "ko")


def test_broken_blocks_still_draw():
    arch = Architecture((4, 4, 1), (L("Residual", [L("Conv2D", kernel_size=5)]),
                                    L("Branch", [], [L("Flatten")], merge="add")))
    assert "Residual (add) ?" in boxes(arch)
