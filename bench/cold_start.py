"""Cold start: from launching a fresh server until the Build page's palette is usable in a
real browser (target ≤ 2 s), and proof that the server never loaded TensorFlow.

Chromium is started first (a browser is already open in class), then each repeat starts a
new server process, waits for its health check, opens the Build page and waits until the
palette's cards are visible. Afterwards the Train and Compare pages are opened too, and
``/proc/<server pid>/maps`` must show no TensorFlow library.

Next to the wall clock it reports the server's CPU seconds up to the usable palette (user +
system, from /proc): the work, which a busy machine stretches far less than the wall clock.
To compare two versions on a busy machine, run them back to back, alternating, and
compare the ratios.

The floor: each repeat also starts a bare Streamlit app (one button, nothing else) the same
way and reports LayerLab's figures against it — what Streamlit itself, this machine and
this browser cost before LayerLab draws anything.

    python bench/cold_start.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (chromium, cpu_seconds, has_tensorflow, new_page, open_build,  # noqa: E402
                           serve, visit_build, wait_idle)

TARGET_S = 2.0
TIMEOUT_MS = 180_000  # a very busy machine can take a minute


def one_start(browser, folder: Path) -> tuple[float, float, float, float, bool]:
    """(seconds to healthy, seconds to usable palette, a second page load, server CPU
    seconds to the usable palette, TensorFlow seen)."""
    with serve(folder / "runs.sqlite") as server:
        healthy_s = time.monotonic() - server.started
        page = new_page(browser, TIMEOUT_MS)
        open_build(page, server.url)
        usable_s = time.monotonic() - server.started
        cpu_s = cpu_seconds(server.pid)
        again_s = visit_build(browser, server.url, TIMEOUT_MS)
        for path in ("train", "compare"):
            page.goto(f"{server.url}/{path}")
            wait_idle(page)
        return healthy_s, usable_s, again_s, cpu_s, has_tensorflow(server.pid)


BARE_APP = "import streamlit as st\nst.button('Dense', key='palette')\n"


def bare_start(browser, folder: Path) -> tuple[float, float]:
    """Seconds from launching a bare Streamlit app to its one button being visible, and its
    server's CPU seconds by then."""
    app = folder / "bare" / "app.py"
    app.parent.mkdir()
    app.write_text(BARE_APP)
    with serve(folder / "bare.sqlite", app=app) as server:
        page = new_page(browser, TIMEOUT_MS)
        page.goto(server.url)
        page.wait_for_selector("button", state="visible")
        return time.monotonic() - server.started, cpu_seconds(server.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    results, floors = [], []
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            results.append(one_start(browser, folder))
            floors.append(bare_start(browser, folder))
    healthy_s, usable_s, again_s, cpu_s = (median(r[i] for r in results) for i in range(4))
    tensorflow = any(r[4] for r in results)
    print(f"fresh server starts: {repeats}; all (s): {[round(r[1], 2) for r in results]}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"server answers health check : {healthy_s:6.2f} s")
    print(f"Build palette usable        : {usable_s:6.2f} s  (target ≤ {TARGET_S:g} s: "
          f"{usable_s / TARGET_S:.2f} of target)")
    floor, floor_cpu = median(f[0] for f in floors), median(f[1] for f in floors)
    print(f"bare Streamlit, same way    : {floor:6.2f} s  (all: {[round(f[0], 2) for f in floors]}; "
          f"server CPU {floor_cpu:.2f} s); LayerLab / bare {usable_s / floor:.2f}, "
          f"LayerLab − bare {usable_s - floor:.2f} s")
    print(f"server CPU to usable palette: {cpu_s:6.2f} s  (all: {[round(r[3], 2) for r in results]})")
    print(f"second visitor's Build page : {again_s:6.2f} s")
    print(f"TensorFlow loaded in server : {'YES — rule broken' if tensorflow else 'no'} "
          "(after Build, Train and Compare; /proc/<pid>/maps)")
    if tensorflow:
        sys.exit(1)


if __name__ == "__main__":
    main()
