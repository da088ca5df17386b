"""A class pressing Start at once: N browser sessions start training on one server.

Measured: that the queue never runs more than ``$LAYERLAB_WORKERS`` trainers, that every
run finishes, the server's memory (peak RSS) and how long a new visitor waits for a
usable Build page while the class trains, against the same page on the idle server.
The data is a small MNIST-shaped set (600 + 50 images) through ``$LAYERLAB_DATASET_DIR``.

    python bench/load.py [--sessions 10] [--workers 2] [--epochs 3]

``tests/e2e/test_load.py`` runs a smaller version of the same steps as a browser test.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import chromium, cpu_seconds, mib, new_page, peak_kib, serve, status_kib, visit_build, wait_idle  # noqa: E402
from builder.store import ACTIVE, FINAL, Store  # noqa: E402

FINISH_TIMEOUT_S = 600
VISIT_TIMEOUT_MS = 120_000


def tiny_mnist(folder: Path, train: int = 600, test: int = 50) -> Path:
    """An ``mnist.npz`` of random 28×28 images (for ``$LAYERLAB_DATASET_DIR``)."""
    rng = np.random.default_rng(0)
    np.savez(folder / "mnist.npz", x_train=rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
             y_train=np.arange(train) % 10, x_test=rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
             y_test=np.arange(test) % 10)
    return folder


def open_train_pages(browser, url: str, sessions: int, epochs: int) -> list:
    """``sessions`` fresh sessions on the Train page with ``epochs`` set, ready to Start."""
    pages = []
    for _ in range(sessions):
        page = new_page(browser, timeout_ms=120_000)
        page.goto(f"{url}/train")
        wait_idle(page)
        field_ = page.locator(".st-key-train_epochs input")
        field_.fill(str(epochs))
        field_.press("Enter")
        wait_idle(page)
        pages.append(page)
    return pages


def press_start(pages: list) -> None:
    """Click every page's Start as fast as one driver can, then wait for each to react."""
    for page in pages:
        page.locator(".st-key-train_start button").click(no_wait_after=True)
    for page in pages:  # the page puts its run into the URL (no navigation happens)
        page.wait_for_function("location.search.includes('run=')")


@dataclass
class Watch:
    """What the store and /proc showed while the runs were queued or training."""

    most_active: int = 0
    server_rss_kib: list[int] = field(default_factory=list)
    statuses: dict[int, str] = field(default_factory=dict)

    def sample(self, store: Store, server_pid: int) -> bool:
        """One look; True while some run is still waiting or training."""
        runs = store.runs()
        self.statuses = {r.id: r.status for r in runs}
        self.most_active = max(self.most_active, sum(r.status in ACTIVE for r in runs),
                               most_at_once(runs))
        self.server_rss_kib.append(status_kib(server_pid, "VmRSS") or 0)
        return any(s not in FINAL for s in self.statuses.values())


def most_at_once(runs: list) -> int:
    """The most runs that trained at the same moment, from their start and end times (so
    no run is missed between two looks): a sweep over the starts (+1) and ends (−1)."""
    now = time.time()
    events = sorted([(r.started, 1) for r in runs if r.started is not None] +
                    [(r.finished or now, -1) for r in runs if r.started is not None],
                    key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    most = running = 0
    for _, change in events:
        running += change
        most = max(most, running)
    return most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        with serve(folder / "runs.sqlite", LAYERLAB_DATASET_DIR=str(tiny_mnist(folder)),
                   LAYERLAB_WORKERS=str(args.workers)) as server:
            store = Store.open(folder / "runs.sqlite")
            idle = [visit_build(browser, server.url) for _ in range(3)]
            pages = open_train_pages(browser, server.url, args.sessions, args.epochs)
            started, cpu_before = time.monotonic(), cpu_seconds(server.pid)
            press_start(pages)
            watch, busy, slow = Watch(), [], 0
            while watch.sample(store, server.pid):
                if time.monotonic() - started > FINISH_TIMEOUT_S:
                    raise TimeoutError(f"runs still open: {watch.statuses}")
                try:
                    busy.append(visit_build(browser, server.url, VISIT_TIMEOUT_MS))
                except PlaywrightTimeout:
                    slow += 1
            all_done = time.monotonic() - started
            server_cpu = (cpu_seconds(server.pid) - cpu_before) / all_done
            server_peak = peak_kib(server.pid)
    done = sum(s == "completed" for s in watch.statuses.values())
    print(f"{args.sessions} sessions pressed Start; LAYERLAB_WORKERS={args.workers}; "
          f"{args.epochs} epochs of the seed MNIST CNN on 600 images each")
    print(f"runs completed            : {done}/{len(watch.statuses)} "
          f"(statuses: {sorted(set(watch.statuses.values()))}) in {all_done:.0f} s")
    print(f"most runs training at once: {watch.most_active} (limit {args.workers})")
    print(f"server RSS while loaded   : median {mib(int(median(watch.server_rss_kib)))}, "
          f"max {mib(max(watch.server_rss_kib))}; peak since start {mib(server_peak)}")
    print(f"server CPU while loaded   : {server_cpu:.0%} of one core (Python: at most 100 %)")
    print(f"Build page usable, idle   : median {median(idle):.2f} s")
    if busy:
        print(f"Build page usable, loaded : median {median(busy):.2f} s, max {max(busy):.2f} s "
              f"over {len(busy)} visits; ratio loaded / idle {median(busy) / median(idle):.2f}")
    print(f"Build visits not usable within {VISIT_TIMEOUT_MS // 1000} s: {slow}")
    print(f"machine load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
