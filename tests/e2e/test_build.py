"""The Build page in a real browser: drag and drop, fixes, share links, user strings."""
import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from tests.e2e.conftest import choose, drag
from tests.e2e.timing import scaled

from builder.templates import TEMPLATES
from components import share

pytestmark = pytest.mark.e2e

EVIL = "<img src=x onerror=alert(1)>"


def stack(page):
    return page.get_by_test_id("model-stack")


def cards(page):
    """The top-level cards of the model, in order."""
    return stack(page).locator(":scope > [data-testid=layer-card]")


def total(page):
    return page.get_by_test_id("stMetric").filter(has_text="Total params")


def choose_template(app, title: str) -> None:
    choose(app.page, "template_choice", title, app.wait_idle, exact=False)
    app.wait_idle()


def drop_at_end(app, source) -> None:
    """Drag ``source`` onto the lower edge of the last card (= append)."""
    last = cards(app.page).last
    drag(app.page, source, last, {"x": 20, "y": last.bounding_box()["height"] - 3})


def types(page) -> list[str]:
    return [c.get_attribute("data-type") for c in cards(page).all()]


def test_template_drag_reorder_delete(app):
    app.goto("build")
    page = app.page
    choose_template(app, "Multilayer perceptron")
    expect(cards(page)).to_have_count(5)
    choose_template(app, "Seed MNIST CNN")
    expect(total(page)).to_contain_text("225,034")
    expect(cards(page)).to_have_count(7)

    drop_at_end(app, page.get_by_test_id("palette-Dense"))
    expect(cards(page)).to_have_count(8)
    expect(total(page)).not_to_contain_text("225,034")
    expect(total(page)).to_contain_text(f"+{(10 + 1) * 128:,}")  # Dense(128) after Dense(10)
    app.wait_idle()
    app.screenshot("build-page")

    drag(page, cards(page).first, cards(page).nth(3), {"x": 20, "y": 5})
    expect(cards(page).first).to_have_attribute("data-type", "MaxPooling2D")
    assert types(page)[:3] == ["MaxPooling2D", "Conv2D", "Conv2D"]

    cards(page).last.get_by_role("button", name=re.compile("Delete")).click()
    expect(cards(page)).to_have_count(7)
    drag(page, cards(page).first, page.get_by_test_id("palette"), {"x": 40, "y": 30})
    expect(cards(page)).to_have_count(6)
    app.wait_idle()
    assert types(page)[0] == "Conv2D"


def test_impossible_model_shows_problem_and_fix_repairs_it(app):
    app.goto("build")
    page = app.page
    drop_at_end(app, page.get_by_test_id("palette-Conv2D"))  # a Conv2D after the classifier
    expect(cards(page)).to_have_count(8)
    expect(cards(page).last).to_have_attribute("data-type", "Conv2D")
    problem = cards(page).last.get_by_test_id("card-problem")
    expect(problem).to_contain_text("image-shaped")
    panel = page.locator(".st-key-problems")
    expect(panel).to_contain_text("layer 8 (Conv2D)")
    app.screenshot("build-problem")
    panel.get_by_role("button", name="Remove this layer").click()
    expect(cards(page)).to_have_count(7)
    expect(panel).to_contain_text("No problems")
    expect(total(page)).to_contain_text("225,034")


def test_an_out_of_range_layer_value_is_refused_visibly(app):
    app.goto("build")
    page = app.page
    editor = page.locator(".st-key-layer-editor")
    cards(page).first.click(position={"x": 10, "y": 10})
    editor.get_by_text("layer 1 (Conv2D)", exact=True).wait_for()
    app.wait_idle()
    field = editor.get_by_label("filters (1–4096)", exact=True)
    field.fill("0")
    field.press("Enter")
    app.wait_idle()
    expect(editor.get_by_test_id("stAlertContentError")).to_contain_text(
        "filters must be an integer between 1 and 4096, got 0")
    expect(page.locator(".st-key-problems")).to_contain_text("Not applied")
    expect(field).to_have_count(1)  # the refused field is redrawn (the old one fades out first)
    expect(field).to_have_value("32")  # the field shows what the model keeps
    expect(total(page)).to_contain_text("225,034")
    app.screenshot("build-refused-value")


def test_share_link_restores_the_model_in_a_fresh_browser(app, browser):
    app.goto("build")
    page = app.page
    drop_at_end(app, page.get_by_test_id("palette-Dropout"))
    expect(cards(page)).to_have_count(8)
    app.wait_idle()
    page.get_by_role("tab", name="Share link").click()
    link = page.locator("[data-testid=stCode]").filter(has_text="?a=").inner_text().strip()
    expected = types(page)

    other = browser.new_context(locale="en-US", viewport={"width": 1500, "height": 1000})
    try:
        other.set_default_timeout(scaled(30_000))
        fresh = other.new_page()
        fresh.goto(link)
        expect(cards(fresh)).to_have_count(8, timeout=scaled(30_000))  # a cold page draws slowly
        assert types(fresh) == expected
        expect(total(fresh)).to_contain_text("225,034")
        fresh.goto(link.split("?a=")[0] + "?a=broken-link")
        expect(fresh.get_by_test_id("stAlertContentError")).to_contain_text(
            "share link cannot be opened", timeout=scaled(30_000))
    finally:
        other.close()


def test_user_strings_are_shown_as_text_and_run_nothing(app, tmp_path):
    app.goto("build")
    page = app.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    cards(page).first.click(position={"x": 10, "y": 10})
    name_box = page.get_by_label("Name (optional)")
    name_box.fill(EVIL)
    name_box.press("Enter")
    expect(cards(page).first.locator(".name")).to_have_text(EVIL)

    upload = tmp_path / f"{EVIL}.json"
    upload.write_text('{"format": "layerlab.architecture"}')  # cut short: a broken file
    page.get_by_role("tab", name="Save / load").click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text(f"Could not open {EVIL}")
    app.screenshot("build-user-strings")
    assert page.locator("img[src=x]").count() == 0
    assert stack(page).locator("img").count() == 0
    assert dialogs == []


def test_a_browser_refresh_keeps_the_model(app):
    refresh_keeps_the_model(app)


def test_a_refresh_keeps_the_model_while_the_machine_is_busy(app):
    """The URL holds the new model before the page shows it, so a refresh at once (while
    other processes keep every core busy) still finds it."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
               for _ in range(len(os.sched_getaffinity(0)))]
    try:
        for _ in range(2):
            refresh_keeps_the_model(app)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def refresh_keeps_the_model(app) -> None:
    """Pick LeNet-5, refresh as soon as its total shows, and find it again."""
    app.goto("build")
    page = app.page
    before = page.url
    choose_template(app, "LeNet-5")
    expect(total(page)).to_contain_text("61,706")
    token = share.encode(TEMPLATES["lenet5"].architecture)
    assert page.url != before and f"a={token}" in page.url  # already there: no wait
    page.reload()
    page.wait_for_selector("[data-testid='stSidebar']")
    expect(total(page)).to_contain_text("61,706", timeout=scaled(30_000))
    expect(cards(page)).to_have_count(8)
