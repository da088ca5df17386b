"""Run names and notes are shown as text on the Train and Compare pages: no HTML, no
script, no javascript: links (the Build page's layer names and uploads are checked in
test_build.py). A share link whose layer type is a Markdown image shows its error as
text, and the browser never fetches the attacker's URL.

A tiny run is trained by ``python -m builder train`` into the server's store with a
hostile name and note, then both pages are opened in a real browser.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect

from bench.harness import Server, serve, wait_idle
from builder.access import SOLO
from tests.test_injection import hostile_link
from builder.store import Store
from tests import tiny
from tests.e2e.timing import scaled

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
NAME = "<img src=x onerror=window.pwned=1>"
NOTE = "<script>window.pwned=2</script> [click me](javascript:window.pwned=3) **bold**"


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[int]]]:
    folder = tmp_path_factory.mktemp("security")
    store_path = folder / "runs.sqlite"
    arch = folder / "tiny.json"
    arch.write_text(tiny.model().to_json())
    data = tiny.write_npz(folder / "tiny.npz", train=60, test=12)
    trained = subprocess.run(
        [sys.executable, "-m", "builder", "train", str(arch), "--dataset", str(data),
         "--epochs", "2", "--batch-size", "16", "--name", NAME], cwd=ROOT, capture_output=True,
        text=True, env={**os.environ, "LAYERLAB_STORE": str(store_path)})
    assert trained.returncode == 0, trained.stderr  # what the CLI said, when it refused
    store = Store.open(store_path)
    ids = [r.id for r in store.runs()]
    for run_id in ids:
        store.set_note(run_id, NOTE, actor=SOLO)
    with serve(store_path, folder / "streamlit.log") as server:
        yield server, ids


def record_dialogs(page) -> list[str]:
    """The messages of any alert/confirm/prompt the page opens (each is dismissed)."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def assert_inert(page) -> None:
    """Nothing the strings asked for happened."""
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("script", has_text="window.pwned").count() == 0


def test_train_page_shows_a_hostile_run_name_as_text(page, hostile_runs):
    server, ids = hostile_runs
    dialogs = record_dialogs(page)
    page.goto(f"{server.url}/train?run={ids[-1]}")
    wait_idle(page)
    expect(page.get_by_text(NAME, exact=False).first).to_be_visible(timeout=scaled(60_000))
    assert_inert(page)
    assert dialogs == []


def test_compare_page_shows_hostile_names_and_notes_as_text(page, hostile_runs):
    server, _ = hostile_runs
    dialogs = record_dialogs(page)
    page.goto(f"{server.url}/compare")
    wait_idle(page)
    expect(page.get_by_text(NAME, exact=False).first).to_be_attached(timeout=scaled(60_000))
    page.mouse.wheel(0, 3000)  # draw everything below the table too
    wait_idle(page)
    assert_inert(page)
    assert dialogs == []


def test_a_share_link_with_an_image_for_a_layer_type_fetches_nothing(page, hostile_runs):
    server, _ = hostile_runs
    dialogs = record_dialogs(page)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "evil.example" in r.url else None)
    page.goto(f"{server.url}/?a={hostile_link('![](http://evil.example/p)')}")
    expect(page.get_by_text("share link cannot be opened", exact=False).first).to_be_visible(timeout=scaled(60_000))
    expect(page.get_by_text("evil.example/p", exact=False).first).to_be_visible()  # a joiner sits after "http:"
    assert page.locator("img[src*='evil.example']").count() == 0
    assert page.locator("a[href*='evil.example']").count() == 0
    assert fetched == [] and dialogs == []
