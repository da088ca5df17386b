"""Inside the model in a real browser: a tiny MNIST run trains, its layers show with an
epoch slider that moves, and a stroke on the drawing pad gets an answer from the worker.

``$LAYERLAB_DATASET_DIR`` points MNIST at a small generated ``.npz``.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.tiny import dataset_dir
from tests.e2e.conftest import draw_one
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAIN_MS = scaled(180_000)    # a cold trainer and two tiny epochs on a busy 2-core machine
PREDICT_MS = scaled(180_000)  # a cold inference worker loads TensorFlow first
SLIDER = "[class*='st-key-inside_'][class*='_epoch'] input[type='range']"


@pytest.fixture(scope="module", autouse=True)
def tiny_mnist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Small generated sets, set before the module's server starts."""
    yield from dataset_dir(tmp_path_factory, mnist=(300, 30))


def test_layers_epoch_slider_and_a_drawn_digit(app):
    page = app.page
    app.goto("train")
    page.get_by_text("300 training and 30 test images").wait_for()
    app.set_number("train_epochs", 2)
    page.locator(".st-key-train_start button").click()
    page.get_by_role("heading", name="Inside the model").wait_for(timeout=TRAIN_MS)
    app.wait_idle()
    assert page.get_by_text("layer 1 (Conv2D) → 26×26×32").first.is_visible()

    slider = page.locator(SLIDER).first
    before = slider.get_attribute("value")
    slider.focus()
    page.keyboard.press("ArrowLeft" if before != "0" else "ArrowRight")
    page.wait_for_function("([s, v]) => document.querySelector(s).value !== v", arg=[SLIDER, before])
    app.wait_idle()

    draw_one(page, page.get_by_test_id("drawing-pad"))
    page.get_by_text("The model says").wait_for(timeout=PREDICT_MS)
    assert page.get_by_text("What the model saw").is_visible()
    app.screenshot("inside-model")
