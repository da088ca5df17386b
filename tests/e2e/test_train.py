"""The Train page in a real browser: a typed setting out of range is refused; Start → the
live chart gains points → Stop keeps them.

``$LAYERLAB_DATASET_DIR`` points MNIST at a small generated ``.npz``, so the real trainer
process trains the seed's CNN on it without downloading.
"""
from __future__ import annotations

import re
from typing import Iterator

import pytest
from playwright.sync_api import expect

from tests.tiny import dataset_dir
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAINER_START_MS = scaled(90_000)  # a cold TensorFlow start on a busy 2-core machine
STARTING = re.compile(r"(Waiting for a free trainer|Starting TensorFlow and building the model)… \d+ s")
POINTS = ("(document.querySelector('.st-key-train_live .js-plotly-plot')"
          "?.data?.[0]?.x?.length || 0)")  # parenthesised: `a || 0 > n` is `a || (0 > n)`


@pytest.fixture(scope="module", autouse=True)
def tiny_mnist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Small generated sets, set before the module's server starts."""
    yield from dataset_dir(tmp_path_factory, mnist=(600, 50))


def test_an_out_of_range_setting_is_refused_where_it_was_typed(app):
    page = app.page
    app.goto("train")
    page.get_by_text("600 training and 50 test images").wait_for()
    app.set_number("train_learning_rate", 100)
    assert page.locator(".st-key-train_learning_rate input").input_value() == "100"
    page.locator(".stMarkdownColoredText").filter(  # next to the field, and among the reasons
        has_text="Learning rate 100 is not used: allowed more than 0, at most 10").wait_for()
    assert page.locator(".st-key-train_start button").is_disabled()  # nothing trains at 0.001
    app.set_number("train_learning_rate", 0.01)
    expect(page.locator(".st-key-train_start button")).to_be_enabled()  # after its rerun


def test_start_shows_live_points_and_stop_keeps_them(app):
    page = app.page
    app.goto("build")
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Train").click()
    app.wait_idle()
    page.get_by_text("600 training and 50 test images").wait_for()  # the Train page is open
    app.set_number("train_batch_size", 8)
    app.set_number("train_epochs", 200)
    page.locator(".st-key-train_start button").click()
    page.locator(".st-key-train_stop button").wait_for()  # the run comes first at once…
    assert page.get_by_text("New run").is_visible()  # …with the set-up folded below it
    assert not page.locator(".st-key-train_dataset").is_visible()
    page.get_by_text(STARTING).first.wait_for()  # what happens before the first batch

    page.wait_for_function(f"{POINTS} > 0", timeout=TRAINER_START_MS)
    first = page.evaluate(POINTS)
    page.wait_for_function(f"{POINTS} > {first}")  # the chart grows while training
    assert page.get_by_text("Epoch ", exact=False).first.is_visible()
    assert "run=" in page.url  # a refresh finds the run again

    page.locator(".st-key-train_stop button").click()
    page.locator(".st-key-train_stop button:disabled").wait_for()  # the click registered
    page.get_by_text("Status: stopped").wait_for()
    app.wait_idle()
    assert page.evaluate(POINTS) >= first  # the metrics are kept
    assert page.get_by_text(re.compile(r"^Stopped (after|at batch)")).is_visible()  # either story
    assert page.locator(".st-key-train_continue button").is_visible()
    app.screenshot("train-page")
