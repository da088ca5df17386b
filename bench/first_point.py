"""Start → first chart point: how long a learner waits after pressing Start (targets: warm
≤ 2 s, warm ≤ 0.3 × cold).

Each measurement does what the Start button does: ``create_run`` then the local executor's
``submit``; the clock runs until the first batch row is in the store (what the live chart
draws). Reported per start: wall seconds, and the CPU seconds (user + system, from
``/proc``) the trainer process had used by then — the work, which a busy machine inflates
far less than the wall clock.

* **cold**: a fresh executor each time, so a fresh trainer process (Python, TensorFlow
  import, dataset load, model build and trace);
* **warm**: the same executor again right after a run finished, so a warm pool worker when
  ``builder.pool`` exists (the runtime's warm trainer pool). Without it a warm start is a
  cold one, and the script says so and measures cold only.

Each measured run is stopped at its first point. Repeats alternate cold and warm.

    python bench/first_point.py [--dataset mnist] [--limit 2000] [--repeats 3]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import cpu_seconds  # noqa: E402
from builder import executor as executors, templates  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import FINAL, Store  # noqa: E402

TIMEOUT_S = 300


def first_point(store: Store, runner: executors.LocalExecutor, dataset: str,
                settings: TrainSettings) -> tuple[float, float]:
    """(wall, trainer CPU) seconds from Start to the first batch row; the run is then stopped."""
    run_id = store.create_run(templates.get("mnist-cnn").architecture, dataset, settings)
    start = time.perf_counter()
    runner.submit(run_id)
    while not store.metrics(run_id, kind="batch"):
        run = store.run(run_id)
        if run.status in FINAL or time.perf_counter() - start > TIMEOUT_S:
            raise RuntimeError(f"run {run_id} did not train: {run.status} {run.error_text()}")
        time.sleep(0.02)
    wall = time.perf_counter() - start
    pid = store.run(run_id).worker_pid
    cpu = cpu_seconds(pid) if pid else float("nan")
    store.request_stop(run_id, actor=SOLO)
    while store.run(run_id).status not in FINAL:
        time.sleep(0.1)
    return wall, cpu


def report(name: str, values: list[tuple[float, float]]) -> tuple[float, float]:
    wall, cpu = zip(*values)
    print(f"{name:<5} wall median {statistics.median(wall):6.2f} s (min {min(wall):.2f}, "
          f"max {max(wall):.2f}) · trainer CPU median {statistics.median(cpu):6.2f} s "
          f"(min {min(cpu):.2f}, max {max(cpu):.2f}) · n {len(values)}")
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    settings = TrainSettings(epochs=1, limit=args.limit)
    pool = importlib.util.find_spec("builder.pool") is not None
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "runs.sqlite")
        warm_runner = executors.LocalExecutor(store, 1) if pool else None
        if warm_runner:
            first_point(store, warm_runner, args.dataset, settings)  # fills the pool
        for _ in range(args.repeats):
            times["cold"].append(first_point(store, executors.LocalExecutor(store, 1),
                                             args.dataset, settings))
            if warm_runner:
                times["warm"].append(first_point(store, warm_runner, args.dataset, settings))
    print(f"{args.dataset}, seed MNIST CNN, limit {args.limit}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    cold = report("cold", times["cold"])
    if not times["warm"]:
        print("warm: not measured — builder.pool (the warm trainer pool) is not in this tree")
        return
    warm = report("warm", times["warm"])
    print(f"ratio warm / cold: wall {warm[0] / cold[0]:.3f}, CPU {warm[1] / cold[1]:.3f} "
          f"(target ≤ 0.3)")


if __name__ == "__main__":
    main()
