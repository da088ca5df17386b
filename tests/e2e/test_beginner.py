"""The beginner's small things in a real browser: Ctrl+Z / Ctrl+Y on the Build page, Korean
toolbar buttons shown whole, the upload box's real limit, and no Streamlit "Stop" in the
Train page's header (it would stop a redraw, never the training)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import App
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
CUT = "(el) => el.scrollWidth > el.clientWidth + 1"


def total(page) -> str:
    """The Build page's "Total params" figure."""
    text = page.get_by_test_id("stMetric").filter(has_text="Total params").inner_text()
    return re.search(r"Total params\s+([\d,]+)", text).group(1)


def test_ctrl_z_undoes_and_ctrl_y_redoes(app):
    page = app.page
    page.set_viewport_size({"width": 1280, "height": 900})  # a laptop
    app.goto("build")
    for key in ("undo", "redo", "clear"):  # with their shortcut hints, in English too
        assert not page.locator(f".st-key-{key} button p").evaluate(CUT), f"{key} is cut off"
    before = total(page)
    assert before != "0"
    page.locator(".st-key-clear button").click()
    app.wait_idle()
    expect(page.locator(".st-key-undo button")).to_be_enabled()
    assert total(page) == "0"
    page.locator("body").press("Control+z")
    expect(page.locator(".st-key-redo button")).to_be_enabled()
    app.wait_idle()
    assert total(page) == before
    page.locator("body").press("Control+y")
    expect(page.locator(".st-key-redo button")).to_be_disabled()
    app.wait_idle()
    assert total(page) == "0"


def test_korean_toolbar_buttons_are_not_cut_and_the_upload_limit_is_true(browser, server):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(scaled(20_000))
    app = App(context.new_page(), server)
    try:
        app.goto("build")
        page = app.page
        for key, label in (("undo", "실행 취소"), ("redo", "다시 실행"), ("clear", "모두 지우기")):
            text = page.locator(f".st-key-{key} button p")
            assert text.inner_text() == label
            assert not text.evaluate(CUT), f"{label} is cut off"
        page.get_by_role("tab", name="저장 / 불러오기").click()
        box = page.locator("[data-testid='stFileUploaderDropzoneInstructions']")
        assert "1MB" in box.inner_text() and "200MB" not in box.inner_text()
    finally:
        context.close()


HIDDEN = """() => {  // a stand-in for the header's widget: is the page's rule hiding it?
    const probe = document.createElement('div');
    probe.setAttribute('data-testid', 'stStatusWidget');
    document.body.appendChild(probe);
    const hidden = getComputedStyle(probe).display === 'none';
    probe.remove();
    return hidden;
}"""


def test_the_train_page_hides_streamlits_running_and_stop_header(app):
    app.goto("build")
    assert not app.page.evaluate(HIDDEN)  # the Build page keeps Streamlit's indicator
    app.page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Train").click()
    app.wait_idle()
    app.page.get_by_role("heading", name="Train").first.wait_for()
    app.page.wait_for_function(HIDDEN)
