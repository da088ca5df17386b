"""Start → first chart point: how long a learner waits after pressing Start (targets: warm
≤ 2 s, warm ≤ 0.3 × cold).

Each measurement does what the Start button does: ``create_run`` then the executor's
``submit``; the clock runs until the first batch row is in the store (what the live chart
draws). Reported per start: wall seconds, and the CPU seconds (user + system, from
``/proc``) the trainer process used meanwhile — the work, which a busy machine inflates far
less than the wall clock.

* **cold**: a trainer process started for the run (``LocalExecutor``): Python, the
  TensorFlow import, the dataset load, the model build and trace;
* **warm**: the warm pool (``PoolExecutor``, the default), after ``warm()`` — what opening
  the Train page does — has a worker waiting: it already imported TensorFlow, and since
  the previous run it keeps the dataset in memory.

Cold and warm use separate run stores (an idle pool worker would otherwise take the cold
runs). Each measured run is stopped at its first point; repeats alternate cold and warm.

    python bench/first_point.py [--dataset mnist] [--limit 2000] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("LAYERLAB_WARM_SECONDS", "300")

from bench.harness import cpu_seconds, stop_pool  # noqa: E402
from builder import templates  # noqa: E402
from builder.access import SOLO  # noqa: E402
from builder.execution.executor import LocalExecutor  # noqa: E402
from builder.execution.pool import PoolExecutor  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import FINAL, Store  # noqa: E402

TIMEOUT_S = 300


def first_point(store: Store, runner: LocalExecutor, dataset: str,
                settings: TrainSettings) -> tuple[float, float]:
    """(wall, trainer CPU) seconds from Start to the first batch row; the run is then stopped."""
    pool = runner.workers() if isinstance(runner, PoolExecutor) else {}
    before = {pid: cpu_seconds(pid) for pid in pool}
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
    cpu = cpu_seconds(pid) - before.get(pid, 0.0) if pid else float("nan")
    store.request_stop(run_id, actor=SOLO)
    while store.run(run_id).status not in FINAL:
        time.sleep(0.1)
    return wall, cpu


def wait_warm(pool: PoolExecutor) -> None:
    """Until a pool worker waits for the next run (as after opening the Train page)."""
    pool.warm()
    deadline = time.monotonic() + TIMEOUT_S
    while "idle" not in pool.workers().values():
        if time.monotonic() > deadline:
            raise RuntimeError("no pool worker became ready")
        time.sleep(0.05)


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
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        cold_store = Store.open(Path(tmp) / "cold.sqlite")
        warm_store = Store.open(Path(tmp) / "warm.sqlite")
        pool = PoolExecutor(warm_store, 1)
        try:
            wait_warm(pool)
            first_point(warm_store, pool, args.dataset, settings)  # the dataset, once
            for _ in range(args.repeats):
                times["cold"].append(first_point(cold_store, LocalExecutor(cold_store, 1),
                                                 args.dataset, settings))
                wait_warm(pool)
                times["warm"].append(first_point(warm_store, pool, args.dataset, settings))
        finally:
            stop_pool(warm_store.path)
    print(f"{args.dataset}, seed MNIST CNN, limit {args.limit}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    cold = report("cold", times["cold"])
    warm = report("warm", times["warm"])
    print(f"ratio warm / cold: wall {warm[0] / cold[0]:.3f}, CPU {warm[1] / cold[1]:.3f} "
          f"(target ≤ 0.3; warm wall target ≤ 2 s)")


if __name__ == "__main__":
    main()
