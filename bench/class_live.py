"""A class on one server: N sessions watch live runs while every trainer is busy and the
machine is overloaded; does the chart stay live, does Stop land, does a new visitor get in?

One server, one run. First *idle* (one watching page, no hog, one trainer), then *loaded*:

* N browser sessions (``--sessions``; 30 where the machine can drive that many Chromium
  pages, fewer on a small one: the N used is printed), each watching its own live run.
  This process plays their trainers (it claims the runs with its own pid and writes a row
  to each every 0.25 s with ``Store.beat``, the trainer's own write);
* ``$LAYERLAB_WORKERS`` real trainers of the server's pool busy with long runs (the seed
  MNIST CNN on a small MNIST-shaped set through ``$LAYERLAB_DATASET_DIR``);
* a CPU hog: busy processes, 2 × the cores, so the load average is ≥ 2 × the cores.

Measured in each phase, in the same run:

* chart latency: a row written to the watched run → its point drawn in the browser;
* Stop latency: the click on Stop → the trainer stopped (its run left training: the
  progress says evaluating, or the run is stopped), and the server's part of it: the
  click → the Stop requested in the store;
* the first page for a new visitor (fresh context → usable Build palette);
* server CPU seconds per watching session-minute;

and, once, the floor for watching: a bare Streamlit app whose only content is one
``st.fragment(run_every=POLL)`` line of Markdown, watched by the same number of pages (no
hog): what Streamlit itself costs per session at LayerLab's poll rate.

A latency that passes LIMIT_S is counted as missed (shown as "> LIMIT_S"), not waited for:
a starved server is a result, and the run goes on to the end. Each phase prints the load
average when its measurements ended.

    python bench/class_live.py [--sessions 6] [--workers 2] [--points 12] [--stops 3]
"""
from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import chromium, cpu_seconds, new_page, serve, visit_build  # noqa: E402
from bench.load import tiny_mnist  # noqa: E402
from builder import templates  # noqa: E402
from builder.access import SOLO  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402
from components.training.live import POLL  # noqa: E402

POINTS = ("(document.querySelector('.st-key-train_live .js-plotly-plot')"
          "?.data?.[0]?.x?.length || 0)")
# The page's own clock (ms since the epoch, the same clock as time.time()) at the moment
# the browser took the press, so Playwright's checks before a click and its round trips
# under load are not counted as the app's time.
PRESSED = "document.addEventListener('pointerdown', () => { window.pressed ??= Date.now(); }, true)"
BATCHES = 1000            # batches per epoch of a played run
PLAYED_TICK = 0.25        # seconds between the played trainers' writes (the real TICK)
LONG_EPOCHS = 1000        # a real run that never ends by itself during the benchmark
LIMIT_S = 180             # seconds one latency may take before it counts as missed
GOALS = {"chart p90": 1.5, "stop p90": 1.0, "visitor ratio": 1.5, "cpu % per session": 1.0}


@dataclass
class Phase:
    name: str
    sessions: int
    chart: list[float] = field(default_factory=list)
    stop: list[float] = field(default_factory=list)
    requested: list[float] = field(default_factory=list)  # the server's part of each Stop
    visitor: float = 0.0
    cpu_per_session_minute: float = 0.0
    never_drawn: int = 0
    load: float = 0.0  # the 1-minute load average when its measurements ended


def p(values: list[float], q: int) -> float:
    """The q-th percentile (50, 90) by nearest rank, so a missed latency (inf) ranks last."""
    if not values:
        return math.nan
    return sorted(values)[max(math.ceil(q / 100 * len(values)) - 1, 0)]


def secs(value: float) -> str:
    return f"> {LIMIT_S} s" if math.isinf(value) else f"{value:.2f} s"


def missed(values: list[float]) -> int:
    return sum(math.isinf(v) for v in values)


class Played:
    """Runs whose trainer is this process: a row to each every PLAYED_TICK (in a thread
    with its own store connection); :meth:`write` adds one row to one run now."""

    def __init__(self, path: Path, runs: list[int]) -> None:
        self.path, self.runs, self.batch = path, runs, {r: 1 for r in runs}
        self.lock, self.closing = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def start(self, store: Store) -> None:
        for run_id in self.runs:
            store.set_worker(run_id, os.getpid())
            self.write(store, run_id)
        self.thread.start()

    def write(self, store: Store, run_id: int) -> None:
        with self.lock:
            batch = self.batch[run_id]
            self.batch[run_id] = batch + 1
        row = (1, batch, "batch", 2.3 / batch ** 0.3, min(0.99, batch / 600), None, None, batch * 0.05)
        store.beat(run_id, {"phase": "training", "epoch": 1, "epochs": 1, "batch": batch,
                            "batches": BATCHES, "batch_seconds": 0.05}, [row])

    def _beat(self) -> None:
        store = Store.open(self.path, recover=False)
        while not self.closing.wait(PLAYED_TICK):
            store.beat(self.runs[0])  # the measured one: its heartbeat only, rows by hand
            for run_id in self.runs[1:]:
                self.write(store, run_id)

    def close(self, store: Store) -> None:
        self.closing.set()
        self.thread.join()
        for run_id in self.runs:
            store.finish(run_id, "stopped")


def watch(browser, url: str, run_id: int):
    """A session on the run's Train page (None when its chart never drew: the server is
    starved; the count is printed)."""
    page = new_page(browser, timeout_ms=LIMIT_S * 1000)
    page.goto(f"{url}/train?run={run_id}")  # a polling page is seldom idle: wait for its chart
    try:
        page.wait_for_function(f"{POINTS} >= 1")
    except PlaywrightTimeout:
        return None
    return page


def chart_latency(page, store: Store, played: Played, run_id: int, points: int) -> list[float]:
    """Row written → point drawn (by the page's clock, looked at every 10 ms), ``points``
    times, landing anywhere in the poll cycle (inf: not drawn within LIMIT_S)."""
    out = []
    for _ in range(points):
        time.sleep(random.uniform(0.3, 1.2))
        drawn = page.evaluate(POINTS)
        start = time.time()
        played.write(store, run_id)
        try:
            shown = page.wait_for_function(f"{POINTS} > {drawn} && Date.now()", polling=10)
        except PlaywrightTimeout:
            out.append(math.inf)
            continue
        out.append(shown.json_value() / 1000 - start)
    return out


def training(store: Store, run_id: int) -> bool:
    run = store.run(run_id)
    return run.status == "running" and run.progress.get("phase") == "training" \
        and run.progress.get("batch", 0) > 0


def left_training(store: Store, run_id: int) -> bool:
    run = store.run(run_id)
    return run.status not in ("running", "stopping") or run.progress.get("phase") != "training"


def wait(condition, timeout: float, what: str) -> None:
    if came_true(condition, timeout) is None:
        raise TimeoutError(what)


def came_true(condition, timeout: float) -> float | None:
    """``time.time()`` when ``condition()`` came true (looked at every 20 ms), None if it
    did not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return None
        time.sleep(0.02)
    return time.time()


def stop_latency(browser, url: str, store: Store, phase: Phase, stops: int) -> None:
    """``stops`` times: a long run queued, opened once it trains, Stop clicked as soon as
    the page shows it; seconds from the press (the page's clock) until the store has the
    Stop (``phase.requested``) and until its trainer stopped (``phase.stop``; inf: not
    within LIMIT_S). The click does not wait for the chart: how late that draws is the
    chart latency, measured on its own."""
    for _ in range(stops):
        run_id = long_run(store)
        wait(lambda: training(store, run_id), 300, f"run {run_id} to train")
        page = new_page(browser, timeout_ms=LIMIT_S * 1000)
        page.goto(f"{url}/train?run={run_id}")
        button = page.locator(".st-key-train_stop button")
        button.wait_for(state="visible")
        page.evaluate(PRESSED)
        button.click(no_wait_after=True)
        requested = came_true(lambda: store.run(run_id).status != "running", LIMIT_S)
        stopped = requested and came_true(lambda: left_training(store, run_id), LIMIT_S)
        pressed = page.evaluate("window.pressed") / 1000
        phase.requested.append(math.inf if requested is None else requested - pressed)
        phase.stop.append(math.inf if stopped is None else stopped - pressed)
        page.context.close()
        if stopped is None:  # the click never landed: the run must not keep its slot
            store.request_stop(run_id, actor=SOLO)


def long_run(store: Store) -> int:
    """A queued run of the seed MNIST CNN that would train far longer than the benchmark."""
    return store.create_run(templates.get("mnist-cnn").architecture, "mnist",
                            TrainSettings(epochs=LONG_EPOCHS))


def watching_cpu(server_pid: int, seconds: float, sessions: int) -> float:
    """Server CPU seconds per watching session-minute over ``seconds`` of watching."""
    before = cpu_seconds(server_pid)
    time.sleep(seconds)
    return (cpu_seconds(server_pid) - before) / (sessions * seconds / 60)


FLOOR_APP = ("import time\nimport streamlit as st\n\n"
             "@st.fragment(run_every={poll})\ndef live():\n    st.markdown(f'tick {{time.time():.1f}}')\n\n"
             "live()\n")


def floor_cpu(browser, folder: Path, sessions: int, seconds: float) -> float:
    """Server CPU seconds per session-minute of the bare polling app (:data:`FLOOR_APP`)."""
    app = folder / "floor" / "app.py"
    app.parent.mkdir()
    app.write_text(FLOOR_APP.format(poll=POLL))
    with serve(folder / "floor.sqlite", app=app, STREAMLIT_RUNNER_POST_SCRIPT_GC="false") as server:
        pages = [new_page(browser, timeout_ms=LIMIT_S * 1000) for _ in range(sessions)]
        for page in pages:
            page.goto(server.url)
            page.wait_for_selector("text=tick")
        used = watching_cpu(server.pid, seconds, sessions)
        for page in pages:
            page.context.close()
        return used


def hog(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--points", type=int, default=12)
    parser.add_argument("--stops", type=int, default=3)
    parser.add_argument("--watch-seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        path = folder / "runs.sqlite"
        store = Store.open(path)
        with serve(path, folder / "server.log", LAYERLAB_DATASET_DIR=str(tiny_mnist(folder, 2000)),
                   # the played runs hold slots too: the real trainers get --workers more
                   LAYERLAB_WORKERS=str(args.workers + args.sessions),
                   LAYERLAB_WARM_SECONDS="300") as server:
            phases: list[Phase] = []
            for name, sessions in (("idle", 1), ("loaded", args.sessions)):
                phases.append(run_phase(browser, server, store, Phase(name, sessions), args))
                print(phases[-1], flush=True)  # kept even if a later phase fails
        floor = floor_cpu(browser, folder, args.sessions, args.watch_seconds)
    report(phases, floor, args)


def run_phase(browser, server, store: Store, phase: Phase, args: argparse.Namespace) -> Phase:
    """One phase: its watchers, its busy trainers (all but the one Stop needs) and its hog
    when loaded; the measurements; then everything of it ended."""
    loaded = phase.name == "loaded"
    played = Played(store.path, [store.create_run(templates.get("mnist-cnn").architecture, "mnist",
                                                  TrainSettings(epochs=1), status="running")
                                 for _ in range(phase.sessions)])
    played.start(store)
    busy = [long_run(store) for _ in range(args.workers - 1 if loaded else 0)]
    hogs = hog(2 * (os.cpu_count() or 1)) if loaded else []
    try:
        pages = [watch(browser, server.url, run_id) for run_id in played.runs]
        phase.never_drawn = pages.count(None)
        if pages[0] is None:
            raise RuntimeError(f"{phase.name}: the measured page never drew its chart")
        cpu: list[float] = []
        meter = threading.Thread(target=lambda: cpu.append(
            watching_cpu(server.pid, args.watch_seconds, phase.sessions)))
        meter.start()
        phase.chart = chart_latency(pages[0], store, played, played.runs[0], args.points)
        meter.join()
        phase.cpu_per_session_minute = cpu[0]
        stop_latency(browser, server.url, store, phase, args.stops)
        phase.visitor = visit_build(browser, server.url, LIMIT_S * 1000)
        phase.load = os.getloadavg()[0]
        for page in filter(None, pages):
            page.context.close()
    finally:
        for proc in hogs:
            proc.kill()
        played.close(store)
        for run_id in busy:
            store.request_stop(run_id, actor=SOLO)
    wait(lambda: all(store.run(r).status not in ("queued", "running", "stopping") for r in busy),
         300, "the busy trainers to stop")
    return phase


def report(phases: list[Phase], floor: float, args: argparse.Namespace) -> None:
    idle, loaded = phases
    print(f"N = {loaded.sessions} watching sessions (Chromium pages) while loaded; "
          f"LAYERLAB_WORKERS={args.workers} trainers busy; hog: {2 * (os.cpu_count() or 1)} busy "
          f"processes on {os.cpu_count()} cores")
    for ph in phases:
        print(f"{ph.name:7s} (load average {ph.load:.1f}): chart p50 {secs(p(ph.chart, 50))} "
              f"p90 {secs(p(ph.chart, 90))} ({len(ph.chart)} points, {missed(ph.chart)} missed) · "
              f"stop p50 {secs(p(ph.stop, 50))} p90 {secs(p(ph.stop, 90))} ({len(ph.stop)} stops, "
              f"{missed(ph.stop)} missed; the click → Stop in the store: p50 "
              f"{secs(p(ph.requested, 50))} p90 {secs(p(ph.requested, 90))}) · new visitor {ph.visitor:.2f} s · server CPU "
              f"{ph.cpu_per_session_minute:.2f} s per session-minute "
              f"({ph.cpu_per_session_minute / 60:.1%} of a core per session); "
              f"pages whose chart never drew: {ph.never_drawn}")
    cpu_share = loaded.cpu_per_session_minute / 60 * 100
    print(f"loaded / goal: chart p90 {p(loaded.chart, 90) / GOALS['chart p90']:.2f} · "
          f"stop p90 {p(loaded.stop, 90) / GOALS['stop p90']:.2f} · "
          f"visitor loaded/idle {loaded.visitor / idle.visitor:.2f} (goal ≤ {GOALS['visitor ratio']}) · "
          f"CPU per session {cpu_share / GOALS['cpu % per session']:.2f}")
    print(f"floor: a bare st.fragment(run_every={POLL}) with one line, {args.sessions} pages, no hog: "
          f"{floor:.2f} s per session-minute ({floor / 60:.1%} of a core); loaded / floor "
          f"{loaded.cpu_per_session_minute / floor:.2f}")
    print(f"loaded / idle: chart p90 {p(loaded.chart, 90) / p(idle.chart, 90):.2f} · "
          f"stop p90 {p(loaded.stop, 90) / p(idle.stop, 90):.2f} · "
          f"CPU per session-minute {loaded.cpu_per_session_minute / idle.cpu_per_session_minute:.2f}")

if __name__ == "__main__":
    main()
