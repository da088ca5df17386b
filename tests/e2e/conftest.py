"""Browser-test fixtures: a real LayerLab server and headless Chromium.

- ``server`` (one per test module): ``streamlit run app.py`` on a free port in its own
  process group, with ``LAYERLAB_STORE`` pointing at a temporary run store; killed (with
  anything it spawned) at teardown. Yields the base URL. ``serve(store, log)`` does the
  same for a module that fills its own store first.
- ``browser`` (one per session): Debian's chromium driven by Playwright.
- ``page`` (one per test): a fresh context (English locale) and page.
- ``app`` (one per test): ``app.goto("build" | "train" | "compare")`` opens a page and
  waits until the script run is over; ``app.wait_idle()``; ``app.set_number(key, value)``;
  ``app.screenshot(name)`` saves ``artifacts/screenshots/<name>.png``; ``app.page`` is the
  Playwright page.

Every time limit is scaled to how busy the machine is (``tests/e2e/timing.py``: a speed
probe taken at start), so a loaded machine makes the tests slower, not red.

Modules that train point ``$LAYERLAB_DATASET_DIR`` at small generated sets before their
server starts, with ``tests.tiny.dataset_dir`` in a module-scoped autouse fixture.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from bench.harness import kill_group
from tests.e2e.timing import factor, scaled, scaled_s

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = scaled_s(60)
MAX_SHOT_HEIGHT = 6000
PAGE_PATHS = {"build": "", "train": "train", "compare": "compare"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s")


@contextmanager
def serve(store: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with ``store`` as its run store, in ``env``
    (default: this process's); yields the base URL and kills the server (with anything it
    spawned) on exit."""
    port = _free_port()
    log = open(log_path, "wb")
    env = {**(os.environ if env is None else env), "LAYERLAB_STORE": str(store),
           "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.runOnSave", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        kill_group(proc)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a fresh LayerLab server with its own temporary run store."""
    store = tmp_path_factory.mktemp("store") / "runs.sqlite"
    with serve(store, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    expect.set_options(timeout=scaled(10_000))
    print(f"\nbrowser tests: time limits × {factor():.1f} (tests/e2e/timing.py)")
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed for browser tests (tests/run.sh installs it)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no shared cookies or storage), English locale."""
    context = browser.new_context(locale="en-US", viewport={"width": 1500, "height": 1000})
    context.set_default_timeout(scaled(20_000))
    tab = context.new_page()
    yield tab
    context.close()


def open_select(page, key: str, idle: Callable[[], None], option=None) -> None:
    """Open the selectbox with widget key ``key`` until its list shows (``option``, or any
    option): a rerun landing just after a page loads can close the list again."""
    shown = option if option is not None else page.get_by_role("option").first
    for last in (False,) * 4 + (True,):
        idle()
        page.locator(f".st-key-{key}").click()
        try:  # the last try clicks too, then waits in full: its timeout says what never showed
            shown.wait_for(timeout=None if last else scaled(5_000))
            return
        except PlaywrightTimeout:
            if last:
                raise


def choose(page, key: str, name: str, idle: Callable[[], None], exact: bool = True) -> None:
    """Pick the option ``name`` in the selectbox ``key`` and wait for the rerun."""
    option = page.get_by_role("option", name=name, exact=exact)
    open_select(page, key, idle, option)
    option.click()
    idle()


def options(page, key: str, idle: Callable[[], None]) -> list[str]:
    """The option names the selectbox ``key`` offers (opened, read, closed again). Its
    list is read once it holds an option: a list drawn mid-rerun may say "No results"."""
    open_select(page, key, idle, page.get_by_role("option").filter(has_not_text="No results").first)
    names = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return names


def drag(page, source, target, position: dict[str, float]) -> None:
    """Drag ``source`` onto ``target`` at ``position`` (relative to the target's box).

    Chromium picks the dragged element under the point where the button went down only
    when the first move arrives, so nothing may scroll in between (Playwright's
    ``drag_to`` scrolls the target into view after pressing: under load that dragged
    whatever the scroll had brought under the pointer). Both ends go on screen first.
    """
    target.scroll_into_view_if_needed()
    source.hover()  # waits until the source stands still, on screen
    box = target.bounding_box()
    x, y = box["x"] + position["x"], box["y"] + position["y"]
    view = page.viewport_size
    assert 0 <= x < view["width"] and 0 <= y < view["height"], (
        f"the drop point {x:.0f}, {y:.0f} is off the {view['width']}×{view['height']} screen "
        "once the source shows: use a taller viewport")
    page.mouse.down()
    page.mouse.move(x, y, steps=5)
    page.mouse.up()


def draw_one(page, pad) -> None:
    """A stroke down the middle of the drawing pad ``pad``: a drawn "1"."""
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8, steps=10)
    page.mouse.up()


class App:
    """One browser page on one server: open pages, wait for reruns, take screenshots."""

    def __init__(self, page, server: str) -> None:
        self.page, self.server = page, server

    def goto(self, name: str = "build", query: str = "") -> None:
        """Open one of the app's pages (``build``, ``train``, ``compare``) and wait for it."""
        self.page.goto(f"{self.server}/{PAGE_PATHS[name]}{query}")
        self.page.wait_for_selector("[data-testid='stSidebar']")
        self.wait_idle()

    def set_number(self, key: str, value: int) -> None:
        """Type ``value`` into the number input with widget key ``key`` and wait for the rerun."""
        field = self.page.locator(f".st-key-{key} input")
        field.fill(str(value))
        field.press("Enter")
        self.wait_idle()

    def wait_idle(self) -> None:
        """Wait until Streamlit has finished the current script run."""
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")

    def screenshot(self, name: str) -> Path:
        """Save artifacts/screenshots/<name>.png showing the whole page.

        Streamlit scrolls inside its own container, so the viewport is stretched to the
        content's height for the shot and put back afterwards.
        """
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        size = self.page.viewport_size
        height = self.page.evaluate(
            "document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
        self.page.set_viewport_size({"width": size["width"],
                                     "height": min(max(height, size["height"]), MAX_SHOT_HEIGHT)})
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(size)
        return path


@pytest.fixture
def app(page, server) -> App:
    """The app in a fresh page: ``app.goto("train")``, ``app.screenshot("train")``."""
    return App(page, server)

