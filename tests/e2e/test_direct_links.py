"""A bookmarked page opened first after a server start still gets the app's frame."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_first_visit_by_direct_link_shows_the_app_frame(app):
    app.goto("train")  # this module's server is fresh: this is its very first page run
    nav = app.page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Build", exact=True)).to_have_count(1)  # our navigation…
    expect(nav.get_by_text("app", exact=True)).to_have_count(0)  # …not Streamlit's pages/ list
    expect(app.page.get_by_text("Language", exact=True)).to_have_count(1)  # app.py's switch
