"""Make the README's screenshots from real MNIST and CIFAR-10 runs.

    LAYERLAB_DATASET_DIR=/path/to/datasets .venv/bin/python docs/screenshots.py

The folder must hold Keras-layout ``mnist.npz`` and ``cifar10.npz`` (see the README's
*Settings*). Everything else is temporary: a fresh run store, LayerLab servers on free
ports, headless Chromium (``chromium`` on the PATH, as for the browser tests). The script

1. trains, from the command line, an experiment (*How many filters?* on layer 1: 2, 8, 32;
   2 epochs on 5,000 images) and, in class mode under a challenge, five students' runs;
2. in the browser: Build (the tutorial's MNIST CNN, its first layer explained); Train: a
   real MNIST run (3 epochs on 10,000 images) and its *Inside the model* with a drawn
   digit; Compare's Experiment tab; the one-click MNIST + CIFAR-10 pair (3 epochs, 5,000
   images each);
3. in class mode: the teacher's leaderboard after Reveal;

and writes ``docs/screenshots/{build,train,inside,experiment,compare,leaderboard}.png``,
each quantized to at most 256 colours and at most ``MAX_BYTES``. About 7 minutes on a
2-core machine without a GPU (6 min 43 s measured), longer when it is busy.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM_ARGS, draw_one, serve  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
MAX_BYTES = 300_000
WIDTH, HEIGHT, MAX_HEIGHT = 1400, 900, 2600
TRAIN_MS = 30 * 60_000          # real runs on a busy 2-core machine
KEY = "screenshots-teacher-key-" + os.urandom(6).hex()
STUDENTS = (("Mina", "mnist-cnn", 2, 5000), ("Ana", "lenet5", 2, 5000), ("Joon", "mlp", 2, 5000),
            ("Seo-yeon", "mnist-cnn", 1, 2000), ("Ben", "lenet5", 1, 1000))
CHALLENGE = ("challenge", "set", "--dataset", "mnist", "--limit", "5000", "--epochs", "2",
             "--params", "250000", "--text", "Best MNIST model: at most 250,000 parameters")
READY = """() => !document.querySelector('[data-testid=stSkeleton]') &&
  [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))"""


def main() -> int:
    data = os.environ.get("LAYERLAB_DATASET_DIR", "")
    missing = [n for n in ("mnist", "cifar10") if not (Path(data) / f"{n}.npz").is_file()]
    if not data or missing:
        print(f"set LAYERLAB_DATASET_DIR to a folder with {', '.join(missing)}.npz", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="layerlab-shots-") as tmp:
        env = {**os.environ, "LAYERLAB_STORE": str(Path(tmp) / "runs.sqlite"),
               "LAYERLAB_WORKERS": "1", "LAYERLAB_LANG": "en"}
        cli(env, "experiment", "mnist-cnn", "--vary", "1.filters=2,8,32", "--seeds", "1",
            "--dataset", "mnist", "--epochs", "2", "--limit", "5000",
            "--name", "How many filters?")
        class_env = {**env, "LAYERLAB_STORE": str(Path(tmp) / "class.sqlite"),
                     "LAYERLAB_TEACHER_KEY": KEY}
        cli(class_env, *CHALLENGE)
        for name, template, epochs, limit in STUDENTS:
            cli(class_env, "train", template, "--dataset", "mnist", "--epochs", str(epochs),
                "--limit", str(limit), "--owner", name)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=CHROMIUM_ARGS)
            with server(env, Path(tmp) / "solo.log") as url:
                solo_pages(browser, url)
            with server(class_env, Path(tmp) / "class.log") as url:
                leaderboard(browser, url)
            browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1000} KB")
    return 0


def cli(env: dict[str, str], *argv: str) -> None:
    print("python -m builder", " ".join(argv), flush=True)
    subprocess.run([sys.executable, "-m", "builder", *argv], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def server(env: dict[str, str], log_path: Path):
    """A LayerLab server on ``env``'s run store (tests.e2e.conftest.serve)."""
    return serve(Path(env["LAYERLAB_STORE"]), log_path, env)


def new_page(browser, url: str):
    context = browser.new_context(locale="en-US", viewport={"width": WIDTH, "height": HEIGHT})
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stSidebar']")
    idle(page)
    return page


def idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stSidebar']")
    idle(page)


def solo_pages(browser, url: str) -> None:
    page = new_page(browser, url)
    page.get_by_test_id("model-stack").locator(":scope > [data-testid=layer-card]").first \
        .click(position={"x": 10, "y": 10})
    page.locator(".st-key-layer-editor").get_by_text("layer 1 (Conv2D)", exact=True).wait_for()
    idle(page)
    shot(page, "build")

    goto(page, f"{url}/train")
    set_numbers(page, page, train_epochs=3, train_limit=10000)
    page.locator(".st-key-train_start button").click()
    page.get_by_role("heading", name="Inside the model").wait_for(timeout=TRAIN_MS)
    page.get_by_text("Evaluation on the test set").first.wait_for(timeout=TRAIN_MS)
    idle(page)
    draw_a_one(page)
    shot(page, "train", until="Inside the model")
    shot(page, "inside", start="Inside the model")

    goto(page, f"{url}/compare")
    page.get_by_role("tab", name="Experiment").click()
    page.locator(".st-key-experiment_effect").wait_for(timeout=TRAIN_MS)
    page.get_by_text("instead of", exact=False).first.wait_for(timeout=TRAIN_MS)
    idle(page)
    shot(page, "experiment", start_locator=page.locator(".st-key-exp_pick"))

    goto(page, url)
    page.locator(".st-key-build_pair button").click()
    dialog = page.get_by_role("dialog")
    set_numbers(page, dialog, compare_pair_epochs=3, compare_pair_limit=5000)
    dialog.locator(".st-key-pair_dialog_start button").click()
    page.wait_for_url("**/compare")
    page.get_by_text("Why CIFAR-10 is harder").wait_for(timeout=TRAIN_MS)
    idle(page)
    shot(page, "compare")
    page.context.close()


def set_numbers(page, scope, **values: int) -> None:
    """Type each value into the number field with that widget key inside ``scope``."""
    for key, value in values.items():
        field = scope.locator(f".st-key-{key} input")
        field.fill(str(value))
        field.press("Enter")
        idle(page)


def draw_a_one(page) -> None:
    """A stroke on the drawing pad, so the probabilities answer a drawn digit."""
    draw_one(page, page.get_by_test_id("drawing-pad"))
    page.get_by_text("The model says").wait_for(timeout=TRAIN_MS)
    idle(page)


def leaderboard(browser, url: str) -> None:
    page = new_page(browser, url)
    page.get_by_text("I am the teacher").click()
    page.get_by_label("Teacher key").fill(KEY)
    page.get_by_role("button", name="Enter as teacher").click()
    page.get_by_text("You are the teacher").wait_for()
    page.wait_for_function("document.cookie.includes('layerlab_teacher=')", timeout=120_000)
    goto(page, f"{url}/leaderboard")
    page.get_by_role("button", name="Reveal the final ranking").click()
    page.get_by_text("Final ranking by accuracy on the hidden half").wait_for()
    page.locator("[data-testid=stDataFrame]").wait_for()
    idle(page)
    shot(page, "leaderboard")
    page.context.close()


def shot(page, name: str, start: str | None = None, until: str | None = None,
         start_locator=None) -> None:
    """Save docs/screenshots/<name>.png: the page (or from heading ``start``, or up to
    heading ``until``), at most ``MAX_HEIGHT`` tall, then shrink it below ``MAX_BYTES``."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, min(height, 8000))})
    idle(page)
    page.wait_for_function(READY)
    top = 0.0
    if start or start_locator is not None:
        marker = start_locator if start_locator is not None else \
            page.get_by_role("heading", name=start).first
        top = max(0.0, marker.bounding_box()["y"] - 16)
    bottom = top + MAX_HEIGHT
    if until:
        bottom = min(bottom, page.get_by_role("heading", name=until).first.bounding_box()["y"] - 8)
    bottom = min(bottom, page.viewport_size["height"])
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), clip={"x": 0, "y": top, "width": WIDTH, "height": bottom - top})
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    shrink(path)


def shrink(path: Path) -> None:
    """Quantize to 256 colours; halve the size until the file is at most ``MAX_BYTES``."""
    image = Image.open(path).convert("RGB")
    while True:
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) \
            .save(path, optimize=True)
        if path.stat().st_size <= MAX_BYTES:
            return
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    sys.exit(main())
