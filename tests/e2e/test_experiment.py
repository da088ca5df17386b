"""An experiment in a real browser: two values of the first layer's filters on tiny
generated MNIST, trained by the real trainer, then the effect chart and its reading."""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import expect

from tests.tiny import dataset_dir
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAIN_TIMEOUT_MS = scaled(180_000)


@pytest.fixture(scope="module", autouse=True)
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Small generated sets, set before the module's server starts."""
    yield from dataset_dir(tmp_path_factory, mnist=(40, 20))


def test_two_value_experiment_draws_the_effect(app):
    page = app.page
    app.goto("compare")
    page.get_by_role("tab", name="Experiment").click()
    app.set_number("exp_epochs", 1)
    values = page.locator(".st-key-exp_values input")
    values.fill("4, 8")
    values.press("Enter")
    app.wait_idle()
    expect(page.get_by_text("2 runs", exact=True)).to_be_visible()  # the preview, once redrawn
    page.locator(".st-key-exp_start button").click()
    page.locator(".st-key-experiment_effect").wait_for(timeout=scaled(60_000))
    page.get_by_text("instead of", exact=False).wait_for(timeout=TRAIN_TIMEOUT_MS)
    app.wait_idle()
    assert page.get_by_text("2 of 2 runs ended").is_visible()
    assert page.locator(".st-key-experiment_effect .js-plotly-plot").is_visible()
    assert page.locator(".st-key-experiment_curves .js-plotly-plot").is_visible()
    app.screenshot("compare-experiment")

    page.locator(".st-key-compare_present label").click()  # the presentation view
    page.locator(".st-key-experiment_effect_large").wait_for()
    app.wait_idle()
    assert page.get_by_text("instead of", exact=False).first.is_visible()
    app.screenshot("compare-experiment-presentation")
