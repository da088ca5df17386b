"""A bookmarked page opened first after a server start still gets the app's frame."""
import pytest

pytestmark = pytest.mark.e2e


def test_first_visit_by_direct_link_shows_the_app_frame(app):
    app.goto("train")  # this module's server is fresh: this is its very first page run
    nav = app.page.locator("[data-testid='stSidebarNav']")
    assert nav.get_by_text("Build").count() == 1  # our navigation, not the pages/ listing
    assert nav.get_by_text("app").count() == 0
    assert app.page.get_by_text("Language").count() >= 1  # the language switch of app.py
