"""Cold start: from launching a fresh server until the Build page's palette is usable in a
real browser (target ≤ 3 s), and proof that the server never loaded TensorFlow.

Chromium is started first (a browser is already open in class), then each repeat starts a
new server process, waits for its health check, opens the Build page and waits until the
palette's cards are visible. Afterwards the Train and Compare pages are opened too, and
``/proc/<server pid>/maps`` must show no TensorFlow library.

    python bench/cold_start.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import chromium, has_tensorflow, new_page, open_build, serve, visit_build, wait_idle  # noqa: E402

TARGET_S = 3.0


def one_start(browser, folder: Path) -> tuple[float, float, float, bool]:
    """(seconds to healthy, seconds to usable palette, a second page load, TensorFlow seen)."""
    with serve(folder / "runs.sqlite") as server:
        healthy_s = time.monotonic() - server.started
        page = new_page(browser)
        open_build(page, server.url)
        usable_s = time.monotonic() - server.started
        again_s = visit_build(browser, server.url)
        for path in ("train", "compare"):
            page.goto(f"{server.url}/{path}")
            wait_idle(page)
        return healthy_s, usable_s, again_s, has_tensorflow(server.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    results = []
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            results.append(one_start(browser, folder))
    healthy_s, usable_s, again_s = (median(r[i] for r in results) for i in range(3))
    tensorflow = any(r[3] for r in results)
    print(f"fresh server starts: {repeats}; all (s): {[round(r[1], 2) for r in results]}")
    print(f"server answers health check : {healthy_s:6.2f} s")
    print(f"Build palette usable        : {usable_s:6.2f} s  (target ≤ {TARGET_S:g} s: "
          f"{usable_s / TARGET_S:.2f} of target)")
    print(f"second visitor's Build page : {again_s:6.2f} s")
    print(f"TensorFlow loaded in server : {'YES — rule broken' if tensorflow else 'no'} "
          "(after Build, Train and Compare; /proc/<pid>/maps)")
    if tensorflow:
        sys.exit(1)


if __name__ == "__main__":
    main()
