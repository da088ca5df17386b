"""A class of thirty: every student joins and presses Start within a minute.

The bench plays the server: it joins N students (``builder.classroom.roster``), each
presses Start ``--starts`` times at a random moment within ``--spread`` seconds
(``submit_run`` under the queue cap, the challenge and the fair queue), the real
executor trains them (``$LAYERLAB_WORKERS`` trainer processes, the offline ``digits``
set, a tiny model, few images), and meanwhile the leaderboard is computed every
``--poll`` seconds as the live page does. Measured: that every run completed, that the
queue was fair (every student's first run started before anyone's second), that the
leaderboard has one right entry per student (recomputed from the predictions by hand),
and the server-side memory (RSS of this process) over the class.

    python bench/classroom.py [--students 30] [--starts 2] [--workers 2] [--spread 60]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import mib, status_kib  # noqa: E402
from builder.architecture import Architecture, Layer  # noqa: E402
from builder.classroom import TEACHER_ACTOR, roster  # noqa: E402
from builder.classroom.challenge import Challenge, set_challenge, submit_run  # noqa: E402
from builder.classroom.leaderboard import leaderboard, split_scores  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import FINAL, Store  # noqa: E402

FINISH_TIMEOUT_S = 1800


def model(units: int) -> Architecture:
    layers = (Layer.make("Flatten"), Layer.make("Dense", units=units),
              Layer.make("Dense", units=10, activation="softmax"))
    return Architecture((8, 8, 1), layers, f"dense{units}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--starts", type=int, default=2, help="Start presses per student")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--spread", type=float, default=60.0, help="seconds over which Starts come")
    ap.add_argument("--poll", type=float, default=2.0, help="leaderboard refresh, seconds")
    args = ap.parse_args()
    os.environ["LAYERLAB_WORKERS"] = str(args.workers)
    from builder.execution.factory import get_executor
    store = Store.open(Path(tempfile.mkdtemp(prefix="layerlab-class-")) / "runs.sqlite")
    executor = get_executor(store)
    set_challenge(store, Challenge(dataset="digits", limit=300, max_epochs=2,
                                   layer_types=("Flatten", "Dense")), actor=TEACHER_ACTOR)
    store.set_setting("queue.max_queued", args.starts, actor=TEACHER_ACTOR)
    students = [roster.join(store, f"Student {i + 1:02d}")[0] for i in range(args.students)]
    rng = random.Random(0)
    presses = sorted((rng.uniform(0, args.spread), s, k)
                     for s in students for k in range(args.starts))
    rss = [status_kib(os.getpid(), "VmRSS")]
    began, boards = time.monotonic(), 0
    pending = list(presses)
    while True:
        now = time.monotonic() - began
        while pending and pending[0][0] <= now:
            _, student, k = pending.pop(0)
            settings = TrainSettings(epochs=1 + k % 2, limit=300, batch_size=32, seed=k)
            executor.submit(submit_run(store, student, model(8 + 8 * k), "digits", settings))
        executor.poll()
        leaderboard(store)
        boards += 1
        rss.append(status_kib(os.getpid(), "VmRSS"))
        runs = store.runs()
        if not pending and runs and all(r.status in FINAL for r in runs):
            break
        if now > FINISH_TIMEOUT_S:
            raise SystemExit(f"not finished after {FINISH_TIMEOUT_S} s")
        time.sleep(args.poll)
    report(store, args, time.monotonic() - began, rss, boards)


def unfair_starts(runs: list) -> int:
    """Starts that passed over a waiting student who was not training and had started
    less recently (the fair queue's round-robin rule), from the runs' timestamps."""
    count = 0
    for run in runs:
        t = run.started
        last = {r.owner: max(x.started for x in runs if x.owner == r.owner and x.started < t)
                for r in runs if r.started < t}
        busy = {r.owner for r in runs if r.started < t < (r.finished or float("inf"))}
        waiting = {r.owner for r in runs if r.created < t < r.started} - busy - {run.owner}
        mine = last.get(run.owner, float("-inf"))
        count += any(last.get(owner, float("-inf")) < mine for owner in waiting)
    return count


def report(store: Store, args: argparse.Namespace, seconds: float, rss: list, boards: int) -> None:
    runs = sorted(store.runs(), key=lambda r: r.started or 0)
    statuses = sorted({r.status for r in runs})
    unfair = unfair_starts(runs)
    board = leaderboard(store)
    expected = {}
    for run in runs:
        p = store.predictions(run.id)
        public = split_scores(p["label"], p["predicted"])[0]
        if run.owner not in expected or public > expected[run.owner][0]:
            expected[run.owner] = (public, run.id)
    right = {e.owner: (e.public_accuracy, e.run_id) for e in board} == expected
    after_warmup = [k for k in rss[len(rss) // 10:] if k]
    print(f"students / runs            : {args.students} / {len(runs)} "
          f"({args.starts} Starts each within {args.spread:.0f} s)")
    print(f"runs completed             : {sum(r.status == 'completed' for r in runs)}/{len(runs)} "
          f"(statuses {statuses}) in {seconds:.0f} s with {args.workers} workers")
    print(f"fair queue                 : {unfair} of {len(runs)} starts passed over a "
          f"waiting student who had started less recently")
    print(f"leaderboard                : {len(board)} entries, matches the predictions: "
          f"{'yes' if right else 'NO'}; computed {boards} times")
    print(f"server RSS (this process)  : start {mib(rss[0])}, "
          f"after warm-up min {mib(min(after_warmup))} "
          f"max {mib(max(after_warmup))}, end {mib(rss[-1])}")


if __name__ == "__main__":
    main()
