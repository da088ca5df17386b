"""The screens a class looks at, in a real browser, on a store filled before the server
starts (no training): two students' finished runs, revealed, nobody moved.

- Reveal: the Moved column shows 0, the podium says "moved 0", one line says nobody moved,
  and each student's public − private gap shows.
- Names: the two students' different models get different default names.
- Spotlight: the leader's 1-epoch run by default, with a visible point and axis titles.
- Projector (1280×720): the podium, the spotlight and the Compare presentation view show
  their headline numbers, legend and axis titles on the first screen.
- Fonts: with only this machine's base fonts (no CJK, no emoji), no character on the
  Korean Build, Train and Leaderboard pages falls back to a missing-glyph box.
- Accessibility: axe-core on every page, in both languages, in class mode: no serious or
  critical violation of LayerLab's own making (Streamlit's own are listed in
  docs/accessibility.md with their upstream issues, and asserted to be only those).
"""
from __future__ import annotations

import os
import re
from typing import Iterator

import numpy as np
import pytest
from playwright.sync_api import expect

from builder.access import Actor
from builder.architecture import Architecture, Layer
from builder.classroom import TEACHER_ACTOR, keys, roster
from builder.classroom.leaderboard import REVEALED, public_half
from builder.datasets import DATASETS
from builder.run_names import default_name
from builder.settings import TrainSettings
from builder.store import Store
from tests.e2e.conftest import SHOTS, serve

pytestmark = pytest.mark.e2e
KEY = "correct horse battery staple"
L = Layer.make
PROJECTOR = {"width": 1280, "height": 720}
SMALL = Architecture((28, 28, 1), (L("Conv2D", filters=4), L("Flatten"),
                                   L("Dense", units=10, activation="softmax")), "mnist-cnn")
BIG = Architecture((28, 28, 1), (L("Conv2D", filters=4), L("Conv2D", filters=8),
                                 L("Flatten"), L("Dense", units=10, activation="softmax")),
                   "mnist-cnn")
# Serious or critical axe findings that come from Streamlit itself, each with its upstream
# issue (docs/accessibility.md keeps the same list). Empty with Streamlit 1.67 and
# LayerLab's theme; a finding listed here is reported, never filtered out of axe's run.
STREAMLIT_OWN: dict[str, str] = {}


def finished(store: Store, owner: str, arch: Architecture, public: float, private: float,
             epochs: int = 1, n: int = DATASETS["mnist"].test_images) -> int:
    """A completed run of ``owner`` whose predictions score ``public`` / ``private`` on
    every image of MNIST's test set (what the board ranks), with one epoch row per epoch
    (validation accuracy near ``public``)."""
    run_id = store.create_run(arch, "mnist", TrainSettings(epochs=epochs), actor=Actor(owner))
    store.claim(100, None, run_id)
    label = np.zeros(n, dtype="uint8")
    mask = public_half(n)
    predicted = label.copy()
    for half, share in ((mask, public), (~mask, private)):
        predicted[np.flatnonzero(half)[: round(half.sum() * (1 - share))]] = 1
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "predictions.npz", label=label, predicted=predicted)
    store.add_artifact(run_id, "predictions", folder / "predictions.npz")
    batches = [(e, b, "batch", 1.0 / b, public * b / 4, None, None, 1.0)
               for e in range(1, epochs + 1) for b in range(1, 5)]
    store.beat(run_id, rows=[*batches, *((e, None, "epoch", 0.5, public - 0.01, 0.6,
                                          public - 0.02, 1.0) for e in range(1, epochs + 1))])
    store.record_epochs(run_id, epochs, 3.0)
    store.finish(run_id, "completed", results={"test_accuracy": (public + private) / 2,
                                               "test_loss": 0.4})
    return run_id


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A revealed class: Ana (one convolution) leads 민준 (two) on both halves."""
    os.environ["LAYERLAB_TEACHER_KEY"] = KEY
    path = tmp_path_factory.mktemp("store") / "runs.sqlite"
    store = Store.open(path)
    for name in ("Ana", "민준"):
        roster.join(store, name)
    ana = finished(store, "Ana", SMALL, 0.90, 0.88)
    minjun = finished(store, "민준", BIG, 0.80, 0.70, epochs=2)
    store.set_setting(REVEALED, True, actor=TEACHER_ACTOR)
    token = keys.new_teacher_token(store, KEY)
    try:
        with serve(path, tmp_path_factory.mktemp("log") / "streamlit.log") as url:
            yield {"url": url, "token": token, "ana": ana, "minjun": minjun, "store": store}
    finally:
        os.environ.pop("LAYERLAB_TEACHER_KEY", None)


def teacher_page(browser, lesson: dict, locale: str = "en-US", viewport=PROJECTOR):
    context = browser.new_context(locale=locale, viewport=viewport)
    context.set_default_timeout(60_000)
    context.add_cookies([{"name": "layerlab_teacher", "value": lesson["token"],
                          "url": lesson["url"]}])
    return context, context.new_page()


def open_page(page, lesson: dict, path: str, idle: bool = True) -> None:
    page.goto(f"{lesson['url']}/{path}")
    page.wait_for_selector("[data-testid='stSidebar']")
    if idle:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def on_first_screen(locator) -> None:
    """The element is drawn wholly within the viewport, without scrolling (waits for it)."""
    expect(locator).to_be_in_viewport(ratio=0.99)


def app_shot(page, name: str) -> None:
    """The first screen as the class sees it: artifacts/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_reveal_names_spotlight_and_projector(browser, lesson):
    context, page = teacher_page(browser, lesson)
    try:
        open_page(page, lesson, "leaderboard", idle=False)
        board = page.locator("[data-testid='stDataFrame']").first
        board.wait_for()
        page.get_by_text("Nobody moved").wait_for()
        # the grid is a canvas; its text is in the accessible table Glide Data Grid keeps
        cells = page.locator("[data-testid='stDataFrame'] table [role='gridcell']")
        cells.first.wait_for(state="attached")
        texts = cells.all_inner_texts()
        store = lesson["store"]
        names = {store.run(lesson[k]).name for k in ("ana", "minjun")}
        assert names == {default_name("Ana", SMALL, "mnist"), default_name("민준", BIG, "mnist")}
        assert len(names) == 2 and all(n in texts for n in names)
        assert texts.count("0") >= 2                      # Moved: 0 for both, not blank
        assert "+2.00 %" in texts and "+10.00 %" in texts  # public − private, per student

        chart = page.locator(".stPlotlyChart").first      # the leader's 1-epoch run by default
        page.get_by_text(f"Run #{lesson['ana']}: the run ranked").wait_for()
        point = chart.locator(".scatterlayer .point").first
        point.wait_for()
        box = point.bounding_box()
        assert box and box["width"] > 3 and box["height"] > 3
        for title in ("Epoch", "Validation accuracy (%)"):
            assert chart.locator(".g-xtitle, .g-ytitle").filter(has_text=title).count() == 1
        assert chart.locator(".ytick").filter(has_text="100 %").count() == 1

        page.get_by_text("Podium (projector)").click()
        metric = page.locator("[data-testid='stMetric']").first
        metric.wait_for()
        assert "moved 0" in metric.inner_text() and "#1 Ana" in metric.inner_text()
        page.locator(".stPlotlyChart .scatterlayer .point").first.wait_for()
        app_shot(page, "screens-podium-1280x720")
        for shown in (page.locator("[data-testid='stMetricValue']").first,
                      page.locator(".stPlotlyChart .g-xtitle").first,
                      page.locator(".stPlotlyChart .g-ytitle").first):
            on_first_screen(shown)

        open_page(page, lesson, "compare")                 # the presentation view
        page.get_by_role("tab", name="Compare runs").click()
        picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="Runs to compare")
        for run_id in (lesson["ana"], lesson["minjun"]):
            picker.locator("input").click()
            page.get_by_role("option", name=re.compile(f"^#{run_id} ")).click()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        page.keyboard.press("Escape")
        page.get_by_text("Presentation view").click()
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        chart = page.locator(".stPlotlyChart").first
        chart.locator(".legend").wait_for()
        headline = page.locator("[data-testid='stMetricValue']")
        assert headline.count() == 2
        for shown in (headline.first, headline.nth(1), chart.locator(".legend"),
                      chart.locator(".g-xtitle").first):
            on_first_screen(shown)
        app_shot(page, "screens-present-1280x720")
        glyphs = page.evaluate(MISSING_GLYPHS)  # 민준 in the legend, in the app's own font
        assert "준" in glyphs["seen"] and glyphs["missing"] == [], glyphs
    finally:
        context.close()


MISSING_GLYPHS = """() => {
  // Each distinct character of the page's text, drawn in the font of the element that
  // holds it, against the same character in a font that cannot exist: equal widths to a
  // character no font has (U+10FFFD) mean the character fell back to the missing-glyph box.
  const canvas = document.createElement('canvas').getContext('2d');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Map();
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!element || !element.checkVisibility()) continue;
    const style = getComputedStyle(element);
    if (style.fontFamily.includes('Material')) continue;   // icon ligatures, not text
    for (const ch of node.textContent) {
      const key = `${ch} ${style.fontWeight} ${style.fontFamily}`;
      if (ch.trim() && ch.codePointAt(0) > 127 && !seen.has(key)) seen.set(key, [ch, style]);
    }
  }
  const missing = new Set(), chars = new Set();
  for (const [ch, style] of seen.values()) {
    canvas.font = `${style.fontWeight} 40px ${style.fontFamily}`;
    const width = canvas.measureText(ch).width, box = canvas.measureText('\\u{10FFFD}').width;
    chars.add(ch);
    if (Math.abs(width - box) < 0.01) missing.add(`${ch} in ${style.fontFamily}`);
  }
  return {checked: chars.size, seen: [...chars].join(''), missing: [...missing]};
}"""


def test_korean_pages_need_no_font_but_the_apps(browser, lesson):
    context, page = teacher_page(browser, lesson, locale="ko-KR", viewport={"width": 1500,
                                                                            "height": 1000})
    try:
        for path, idle in (("", True), ("train", True), ("leaderboard", False)):
            open_page(page, lesson, path, idle)
            page.get_by_text("리더보드").first.wait_for()
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_function("document.fonts.status === 'loaded'")
            found = page.evaluate(MISSING_GLYPHS)
            assert found["checked"] > 20 and found["missing"] == [], (path, found)
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                               ".map(f => f.family)")
        assert any("layerlab-hangul" in family for family in loaded)
    finally:
        context.close()


PAGES = ("", "train", "compare", "leaderboard", "teacher")


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_no_serious_accessibility_violation_of_our_making(browser, lesson, locale):
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    context, page = teacher_page(browser, lesson, locale=locale,
                                 viewport={"width": 1500, "height": 1000})
    student = browser.new_context(locale=locale)      # the join page, before anyone joins
    try:
        found: dict[str, list[str]] = {}
        for path in PAGES:
            open_page(page, lesson, path, idle=path != "leaderboard")
            page.locator("[data-testid='stMainBlockContainer']").first.wait_for()
            found[path or "build"] = _serious(axe, page)
            page.wait_for_function(f"document.documentElement.lang === '{locale[:2]}'")
        join = student.new_page()
        open_page(join, lesson, "")
        found["join"] = _serious(axe, join)
        ours = {path: [rule for rule in rules if rule not in STREAMLIT_OWN]
                for path, rules in found.items()}
        assert not any(ours.values()), ours
        known = {rule for rules in found.values() for rule in rules} & STREAMLIT_OWN.keys()
        for rule in sorted(known):  # still there upstream: said, not hidden
            print(f"axe {rule}: Streamlit's own, {STREAMLIT_OWN[rule]}")
    finally:
        student.close()
        context.close()


def _serious(axe, page) -> list[str]:
    results = axe.run(page)
    return sorted({v["id"] for v in results.response["violations"]
                   if v.get("impact") in ("serious", "critical")})
