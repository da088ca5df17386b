"""What comes in, in a real browser: Keras code pasted into Build, and a .zip of image
folders uploaded as the Train page's dataset (good and hostile)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_image_folder import good_entries, make_zip, picture
from tests.e2e.conftest import choose
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras_code"


def total(page):
    return page.get_by_test_id("stMetric").filter(has_text="Total params")


def test_pasted_keras_code_opens_its_model_or_lists_its_lines(app):
    app.goto("build")
    page = app.page
    expect(total(page)).to_contain_text("225,034")
    page.get_by_role("tab", name="Save / load").click()
    box = page.locator(".st-key-paste_code textarea")
    box.fill("import keras\nimport os\nmodel = keras.Sequential([keras.layers.LSTM(8)])\n")
    page.locator(".st-key-paste-load button").click()
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("line 2: import of os")
    expect(error).to_contain_text("line 3: LSTM is not a layer LayerLab knows")
    expect(total(page)).to_contain_text("225,034")
    box.fill((FIXTURES / "tutorial_cifar10.py").read_text())
    page.locator(".st-key-paste-load button").click()
    expect(total(page)).to_contain_text("227,146")
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="pasted code")).to_be_visible()
    app.screenshot("build-paste-code")


def choose_upload(app) -> None:
    choose(app.page, "train_dataset", "Your own images (.zip) or .npz file…", app.wait_idle)


def test_a_zip_of_image_folders_becomes_the_dataset_and_a_hostile_one_is_refused(app, tmp_path):
    good, evil = tmp_path / "pets.zip", tmp_path / "evil.zip"
    good.write_bytes(make_zip(good_entries()))
    evil.write_bytes(make_zip({**good_entries(), "../../etc/x.png": picture(0)}))
    app.goto("train")
    page = app.page
    choose_upload(app)
    page.locator(".st-key-train_upload [data-testid=stFileUploaderDropzoneInput]").set_input_files(
        str(good))
    page.get_by_text("15 training and 3 test images · 28×28×1 · 3 classes").wait_for(timeout=scaled(60_000))
    expect(page.get_by_text("Images per class (training/test): dark 5/1 · light 5/1 · mid 5/1")) \
        .to_be_visible()
    page.get_by_text("32×32 colour (like CIFAR-10)").click()
    page.get_by_text("15 training and 3 test images · 32×32×3 · 3 classes").wait_for(timeout=scaled(60_000))
    app.screenshot("train-image-folder")
    page.locator(".st-key-train_upload [data-testid=stFileUploaderDropzoneInput]").set_input_files(
        str(evil))
    refused = page.get_by_test_id("stAlertContentError").filter(has_text="points outside its folder")
    expect(refused).to_be_visible(timeout=scaled(60_000))
    expect(page.get_by_text("Images per class")).to_have_count(0)  # the refused zip is not used
