"""Chart latency: from a metric row written to the store (as the trainer's pulse writes it)
until the Train page's live chart in a real browser shows the new point (target ≤ 1 s).

This process plays the trainer: it creates a run, claims it with its own pid (so the
server sees a live trainer), and every so often writes one batch row with
``Store.beat`` — the trainer's own write — then times how long the open Train page
takes to draw one more point.

    python bench/chart_latency.py [--points 20]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import chromium, new_page, serve, wait_idle  # noqa: E402
from builder import templates  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402

TARGET_S = 1.0
POINTS = ("(document.querySelector('.st-key-train_live .js-plotly-plot')"
          "?.data?.[0]?.x?.length || 0)")
BATCHES = 1000


def beat(store: Store, run_id: int, batch: int) -> None:
    """One trainer tick carrying batch ``batch`` of epoch 1."""
    row = (1, batch, "batch", 2.3 / batch ** 0.3, min(0.99, batch / 60), None, None, batch * 0.05)
    progress = {"phase": "training", "epoch": 1, "epochs": 1, "batch": batch, "batches": BATCHES}
    store.beat(run_id, progress, [row])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20)
    points = parser.parse_args().points
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "runs.sqlite")
        run_id = store.create_run(templates.get("mnist-cnn").architecture, "mnist",
                                  TrainSettings(epochs=1))
        store.claim(1, os.getpid(), run_id)
        beat(store, run_id, 1)
        latencies = []
        with serve(store.path) as server, chromium() as browser:
            page = new_page(browser)
            page.goto(f"{server.url}/train?run={run_id}")
            wait_idle(page)
            page.wait_for_function(f"{POINTS} >= 1")
            for batch in range(2, points + 2):
                time.sleep(random.uniform(0.3, 1.2))  # land anywhere in the page's poll cycle
                page.wait_for_function(f"{POINTS} == {batch - 1}")
                start = time.perf_counter()
                beat(store, run_id, batch)
                page.wait_for_function(f"{POINTS} >= {batch}", polling=10)
                latencies.append(time.perf_counter() - start)
        store.finish(run_id, "stopped")
    p90 = quantiles(latencies, n=10, method="inclusive")[-1] if len(latencies) > 1 else latencies[0]
    print(f"points written: {len(latencies)}; all (s): {[round(s, 2) for s in latencies]}")
    print(f"store write → point in chart: median {median(latencies):.2f} s, p90 {p90:.2f} s, "
          f"max {max(latencies):.2f} s  (target ≤ {TARGET_S:g} s: median "
          f"{median(latencies) / TARGET_S:.2f} of target)")


if __name__ == "__main__":
    main()
