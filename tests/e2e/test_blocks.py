"""Residual blocks in a real browser: drag one in, drag a layer into its main path, watch the
shortcut projection appear when a stride changes, read the diagram, then train it.

``$LAYERLAB_DATASET_DIR`` points MNIST at a tiny generated ``.npz`` (set before this
module's server starts), so the real trainer trains the block model in seconds.
"""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import expect

from builder import edits
from builder.analysis import analyse
from builder.architecture import Layer
from builder.templates import TEMPLATES

from tests.tiny import dataset_dir
from tests.e2e.conftest import drag
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAIN_TIMEOUT_MS = scaled(150_000)  # a cold TensorFlow start on a busy 2-core machine, then 1 epoch
PLOT_TEXT = ("[...document.querySelectorAll('.st-key-diagram .js-plotly-plot')]"
             ".flatMap(p => p.data.flatMap(trace => trace.text || []))")


@pytest.fixture(scope="module", autouse=True)
def tiny_mnist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Small generated sets, set before the module's server starts."""
    yield from dataset_dir(tmp_path_factory, mnist=(40, 20))


def expected_model():
    """What the steps below should build: the seed CNN with a Residual block after its first
    Conv2D, whose main path starts with a strided 'same' Conv2D dropped in from the palette."""
    seed = TEMPLATES["mnist-cnn"].architecture
    block = edits.new_layer("Residual")
    strided = Layer.make("Conv2D", padding="same", strides=2)
    block = Layer.make("Residual", [strided, *block.paths[0]])
    return edits.insert(seed, (1,), block)


def cards(page):
    return page.get_by_test_id("model-stack").locator(":scope > [data-testid=layer-card]")


def total(page):
    return page.get_by_test_id("stMetric").filter(has_text="Total params")


def select(app, card, caption: str) -> None:
    """Click a card and wait until the editor shows that layer (its widgets drawn once)."""
    card.click(position={"x": 10, "y": 10})
    app.page.locator(".st-key-layer-editor").get_by_text(caption, exact=True).wait_for()
    app.wait_idle()


def set_number(app, label: str, value: int) -> None:
    field = app.page.locator(".st-key-layer-editor").get_by_label(label, exact=True)
    expect(field).to_have_count(1)
    field.fill(str(value))
    field.press("Enter")
    app.wait_idle()


def test_residual_block_projection_diagram_and_training(app):
    page = app.page
    page.set_viewport_size({"width": 1500, "height": 1400})  # palette and drop target both on screen
    app.goto("build")
    expect(cards(page)).to_have_count(7)
    drag(page, page.get_by_test_id("palette-Residual"), cards(page).nth(1), {"x": 20, "y": 5})
    expect(cards(page)).to_have_count(8)
    block = cards(page).nth(1)
    expect(block).to_have_attribute("data-type", "Residual")
    shortcut = block.get_by_test_id("card-shortcut")
    expect(shortcut).to_contain_text("shortcut: the input as it is, 0 params")

    block.get_by_role("button", name="Paths").click()
    main_path = block.get_by_test_id("path-zone")
    expect(main_path).to_have_count(1)
    expect(block.get_by_text("Main path", exact=True)).to_be_visible()
    app.wait_idle()
    page.reload()  # a refresh (the model is in the URL) keeps the paths open
    expect(main_path).to_have_count(1, timeout=scaled(30_000))
    app.wait_idle()
    drag(page, page.get_by_test_id("palette-Conv2D"), main_path, {"x": 20, "y": 5})
    path_cards = main_path.locator(":scope > [data-testid=layer-card]")
    expect(path_cards).to_have_count(3)
    panel = page.locator(".st-key-problems")  # a 'valid' 3×3 conv shrinks 26 → 24: cannot add
    expect(panel).to_contain_text("Add needs equal shapes")
    panel.get_by_role("button", name="Use padding='same'").click()
    expect(panel).to_contain_text("No problems")

    select(app, path_cards.first, "layer 2 › path 1 › layer 1 (Conv2D)")
    set_number(app, "strides (H) (1–16)", 2)
    expect(shortcut).to_contain_text("into 13×26×32")  # this edit is in before the next one
    set_number(app, "strides (W) (1–16)", 2)
    expected = expected_model()
    report = analyse(expected, 10)
    projection = report.row((1,)).params
    assert projection == (32 + 1) * 32
    expect(shortcut).to_have_text(
        f"↪ shortcut: 1×1 Conv2D projection, {projection:,} params — added because the main "
        "path changes 26×26×32 into 13×13×32")
    expect(total(page)).to_contain_text(f"{report.total_params:,}")
    shortcut_card = block.get_by_test_id("shortcut-card")
    expect(shortcut_card).to_contain_text("strides=2×2")
    expect(shortcut_card).to_contain_text(f"{projection:,} params")

    select(app, block, "layer 2 (Residual)")
    editor = page.locator(".st-key-layer-editor")
    expect(editor.get_by_test_id("stAlertContentInfo")).to_contain_text(
        f"1×1 Conv2D projection, {projection:,} params — added because")
    expect(editor).to_contain_text(f"(32 + 1)·32 = {projection:,} parameters")
    app.screenshot("build-blocks")

    page.get_by_role("tab", name="Diagram").click()
    page.wait_for_function(f"{PLOT_TEXT}.length > 0")
    labels = page.evaluate(PLOT_TEXT)
    assert f"shortcut: 1×1 Conv2D 13×13×32 · {projection:,} params" in labels
    assert "Residual (add) 13×13×32" in labels
    app.screenshot("build-blocks-diagram")

    page.locator("[data-testid=stSidebar]").get_by_text("한국어").click()
    expect(shortcut).to_contain_text(f"1×1 Conv2D 투영, 파라미터 {projection:,}개")
    page.locator("[data-testid=stSidebar]").get_by_text("English").click()
    expect(shortcut).to_contain_text("1×1 Conv2D projection")
    app.wait_idle()

    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Train").click()
    page.get_by_text("40 training and 20 test images").wait_for()
    app.wait_idle()
    app.set_number("train_epochs", 1)
    page.locator(".st-key-train_start button").click()
    page.get_by_text("Status: completed").wait_for(timeout=TRAIN_TIMEOUT_MS)
    app.wait_idle()
    expect(page.get_by_test_id("stMetric").filter(has_text="Test accuracy").first).to_be_visible()
    app.screenshot("train-blocks")
