"""The MNIST / CIFAR-10 flow in a real browser, on tiny generated datasets: the Build page's
button asks epochs and images in a dialog, then the Compare page shows both runs side by side.

``$LAYERLAB_DATASET_DIR`` points the registered sets at small ``.npz`` files written here,
so the real trainer process trains both runs in seconds and never downloads.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.tiny import dataset_dir
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAIN_TIMEOUT_MS = scaled(150_000)


@pytest.fixture(scope="module", autouse=True)
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Small generated sets, set before the module's server starts."""
    yield from dataset_dir(tmp_path_factory, mnist=(40, 20), cifar10=(40, 20))


def test_one_click_trains_mnist_and_cifar10_side_by_side(app):
    page = app.page
    app.goto("build")  # as a teacher would: build, then the red button
    page.locator(".st-key-build_pair button").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Train on MNIST and CIFAR-10").wait_for()  # it asks first…
    epochs = dialog.locator(".st-key-compare_pair_epochs input")
    assert epochs.input_value() == "3"  # …with small defaults
    assert dialog.locator(".st-key-compare_pair_limit input").input_value() == "2000"
    epochs.fill("1")
    epochs.press("Enter")
    app.wait_idle()
    dialog.locator(".st-key-pair_dialog_start button").click()
    page.wait_for_url("**/compare")
    page.get_by_role("heading", name="MNIST digits · 28×28×1").wait_for()  # the pair's view
    assert page.get_by_role("tab", name="MNIST vs CIFAR-10", selected=True).is_visible()
    page.get_by_text("Why CIFAR-10 is harder").wait_for(timeout=TRAIN_TIMEOUT_MS)
    app.wait_idle()
    cards = page.locator("[data-testid='stMetric']").filter(has_text="Test accuracy")
    assert cards.count() == 2
    for heading in ("MNIST digits · 28×28×1", "CIFAR-10 · 32×32×3"):
        assert page.get_by_role("heading", name=heading).is_visible()
    app.screenshot("compare-page")

    page.get_by_role("tab", name="Compare runs").click()
    picker = page.locator(".st-key-compare_picker")
    for label in ("#1 mnist-cnn · MNIST digits · 1 ep · 2k img",
                  "#2 mnist-cnn · CIFAR-10 · 1 ep · 2k img"):
        assert picker.get_by_text(label, exact=True).is_visible()  # the pair is chosen
    assert page.locator(".st-key-compare_per_batch_short input").is_checked()  # 1 epoch
    assert page.locator(".st-key-curves").is_visible()
    app.screenshot("compare-runs")
    page.get_by_role("tab", name="Run history").click()
    assert page.locator(".st-key-compare_table").is_visible()
    app.screenshot("compare-history")

    page.locator(".st-key-compare_present label").click()  # the presentation view
    page.locator(".st-key-present_curves").wait_for()
    app.wait_idle()
    assert page.locator(".st-key-pair_curves").count() == 0  # the same curves, drawn once
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stTabs']").count()
    assert page.get_by_text("Why CIFAR-10 is harder").is_visible()
    app.screenshot("compare-presentation")
