"""The Train page in a real browser: a setting typed just before Start is the one that
trains, and a Stop inside the first epoch tells one story everywhere on the page.

``$LAYERLAB_DATASET_DIR`` points MNIST at a generated set big enough (18,000 training
images at batch size 1) that the first epoch lasts far longer than a Stop takes.
"""
from __future__ import annotations

import re
from typing import Iterator

import pytest

from tests.tiny import dataset_dir
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
TRAINER_START_MS = scaled(90_000)  # a cold TensorFlow start on a busy 2-core machine
FIT = 18_000               # training images after the 10 % validation share
PROGRESS = re.compile(r"Epoch 1/\d+ · batch \d+/")


@pytest.fixture(scope="module", autouse=True)
def big_mnist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield from dataset_dir(tmp_path_factory, mnist=(20_000, 50))


def open_train(app) -> None:
    app.goto("train")
    app.page.get_by_text("20,000 training and 50 test images").wait_for()
    assert app.page.get_by_text("downloads it once").count() == 0  # the set is already here


def stop(app) -> None:
    page = app.page
    page.locator(".st-key-train_stop button").click()
    page.get_by_text("Status: stopped").wait_for(timeout=scaled(60_000))
    app.wait_idle()


def test_a_batch_size_typed_just_before_start_is_the_one_that_trains(app):
    """No Enter, no Tab: the click on Start is what commits the typed value."""
    open_train(app)
    page = app.page
    page.locator(".st-key-train_batch_size input").fill("16")
    page.locator(".st-key-train_start button").click()
    page.get_by_text(PROGRESS).first.wait_for(timeout=TRAINER_START_MS)
    explained = page.get_by_text(re.compile(r"cut into \d+ batches of \d+"))
    explained.wait_for()
    assert re.search(r"cut into (\d+) batches of (\d+)", explained.inner_text()).groups() == (
        str(FIT // 16), "16")
    stop(app)


def test_a_stop_inside_epoch_1_shows_one_consistent_story(app):
    open_train(app)
    page = app.page
    app.set_number("train_batch_size", 1)
    app.set_number("train_epochs", 2)
    page.locator(".st-key-train_start button").click()
    page.get_by_text(PROGRESS).first.wait_for(timeout=TRAINER_START_MS)
    stop(app)
    page.get_by_text("Stopped at batch").first.wait_for()
    story = page.locator("[data-testid='stMain']").inner_text()
    where = re.search(r"Stopped at batch (\d+) of (\d+) in epoch 1, before any epoch ended", story)
    assert where and int(where[2]) == FIT, story
    batch = where[1]
    assert f"The model as it was at the Stop (batch {batch} of {FIT} in epoch 1; no epoch had " \
           f"ended, so there is no best epoch)" in story  # the evaluation: the same model
    assert "Test accuracy" in story
    assert "so nothing is recorded yet" in story  # Inside the model
    assert f"asks the model as it was at batch {batch} of {FIT} in epoch 1" in story  # the pad
    for contradiction in ("None", "best model so far", "the best by validation accuracy",
                          "has no tested model", "no saved best model"):
        assert contradiction not in story, contradiction
    app.screenshot("train-stopped-in-epoch-1")
