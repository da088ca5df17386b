"""A class on one server stays live: workers run nicer than the server and end with it,
watching costs one store read and one figure per run per tick, Stop does not wait for a
store write, and the time left is the trainer's measured pace."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import plotly.io
import pytest
from streamlit import config as streamlit_config

from builder import trainer
from builder.access import SOLO
from builder.execution import lifeline
from builder.execution.executor import LocalExecutor
from builder.execution.sink import StoreSink
from builder.settings import TrainSettings
from builder.store import Metric, Store, pid_alive
from components import services
from components.training import charts, live
from tests import tiny
from tests.e2e.timing import scaled_s

ROOT = Path(__file__).resolve().parents[1]
SERVER = """
import sys, time
from builder.execution.executor import LocalExecutor
from builder.store import Store
executor = LocalExecutor(Store.open(sys.argv[1]))
pid = executor._start("tests.lifeline_probe", sys.argv[2])
print(pid, flush=True)
time.sleep(600)
"""


def start_worker(store: Store, out: Path) -> int:
    return LocalExecutor(store)._start("tests.lifeline_probe", str(out))


# ---------------------------------------------------------------- priority and lifetime

def test_workers_run_at_a_lower_priority_than_the_server(store, tmp_path):
    out = tmp_path / "nice"
    pid = start_worker(store, out)
    try:
        tiny.wait_for(out.exists, what="the worker to start")
        assert int(out.read_text()) >= os.nice(0) + lifeline.NICENESS or int(out.read_text()) == 19
        assert os.getpriority(os.PRIO_PROCESS, pid) > os.nice(0)  # the kernel agrees
    finally:
        os.kill(pid, signal.SIGKILL)


def test_the_trainer_says_its_priority_in_its_progress(store):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings())
    store.claim(1, os.getpid(), run_id)
    assert trainer.Pulse(StoreSink(store, run_id), None).progress["niceness"] == os.nice(0)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_worker_exits_when_its_server_ends(store, tmp_path, how):
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(store.path), str(tmp_path / "n")],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    worker = int(server.stdout.readline())
    tiny.wait_for((tmp_path / "n").exists, what="the worker to start")
    assert pid_alive(worker)
    server.send_signal(how)
    server.wait(timeout=scaled_s(60))
    try:
        tiny.wait_for(lambda: not pid_alive(worker), what="the worker to follow its server")
    finally:
        if pid_alive(worker):
            os.kill(worker, signal.SIGKILL)


# ---------------------------------------------------------------- what watching costs

class CountingStore:
    """The part of a store the live view reads, counting the reads."""

    def __init__(self, store: Store) -> None:
        self.store, self.reads, self.recovered = store, 0, 0

    def metrics(self, run_id: int, after: int = 0):
        self.reads += 1
        return self.store.metrics(run_id, after=after)

    def run(self, run_id: int):
        return self.store.run(run_id)

    def recover(self):
        self.recovered += 1
        return []


def beat_rows(store: Store, run_id: int, rows: list[tuple]) -> None:
    store.beat(run_id, {"phase": "training", "epoch": 1, "epochs": 2, "batch": 1, "batches": 4},
               rows)


def test_one_store_read_and_one_recover_per_tick_serve_every_watcher(store, monkeypatch):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(epochs=2), status="running")
    beat_rows(store, run_id, [(1, 1, "batch", 1.0, 0.1, None, None, 0.1)])
    counting, shared = CountingStore(store), services.Shared()
    watchers = [shared.run(counting, run_id) for _ in range(30)]  # thirty sessions, one tick
    for _ in range(30):
        shared.recover(counting)
    assert counting.reads == 1 and counting.recovered == 1
    assert all(len(rows) == 1 for _, rows in watchers)
    monkeypatch.setattr(services, "TICK", 0.0)  # the next tick: only the new rows are read
    beat_rows(store, run_id, [(1, 2, "batch", 0.9, 0.2, None, None, 0.2)])
    _, rows = shared.run(counting, run_id)
    assert [m.batch for m in rows] == [1, 2] and counting.reads == 2


def test_a_tick_without_new_rows_builds_no_figure(store, monkeypatch):
    monkeypatch.setattr(services, "store", lambda: store)
    built: list[int] = []
    real = charts.live_figure
    monkeypatch.setattr(charts, "live_figure", lambda *a: built.append(1) or real(*a))
    rows = [Metric(i, 1, 1, i, "batch", 1.0 / i, 0.1, None, None, 0.1 * i) for i in range(1, 4)]
    first = live.live_figure(1, rows, 4, "en")
    assert live.live_figure(1, list(rows), 4, "en") is first  # the same rows again: nothing built
    assert len(built) == 1
    rows.append(Metric(4, 1, 1, 4, "batch", 0.2, 0.5, None, None, 0.4))
    assert live.live_figure(1, rows, 4, "en") is not first and len(built) == 2


def test_every_watcher_is_handed_the_one_built_chart_as_it_is_and_fast_json_encodes_it():
    rows = [Metric(1, 1, 1, 1, "batch", 1.0, 0.1, None, None, 0.1),
            Metric(2, 1, 1, None, "epoch", 0.9, 0.2, 0.8, 0.3, 0.2)]
    figure = charts.live_figure(rows, 1, "en")
    assert figure.to_dict() is figure.to_dict()  # what st.plotly_chart asks: no copy per session
    assert importlib.util.find_spec("orjson")  # Plotly's "auto" JSON engine takes it
    sent = json.loads(plotly.io.to_json(figure, validate=False))
    assert sent == json.loads(json.dumps(figure.to_dict()))
    assert sent["layout"]["xaxis2"]["title"]["text"] == "epoch" and len(sent["data"]) == 8


def test_a_script_run_forces_no_full_garbage_collection():
    """Each watcher's fragment reruns twice a second: a gc.collect(2) after each was most of
    the server's CPU while watching (bench/class_live.py)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert "runner.postScriptGC" in streamlit_config._config_options_template  # a real option
    assert config["runner"]["postScriptGC"] is False


def test_the_figure_sent_for_a_20000_batch_run_stays_under_a_fixed_size():
    epochs, batches = 20, 1000
    rows, i = [], 0
    for epoch in range(1, epochs + 1):
        for batch in range(1, batches + 1):
            i += 1
            rows.append(Metric(i, 1, epoch, batch, "batch", 1 / (i + 1), min(i / 20000, 1.0),
                               None, None, i * 0.01))
        i += 1
        rows.append(Metric(i, 1, epoch, None, "epoch", 1 / i, i / 20100, 1.1 / i, i / 20200, i * 0.01))
    sent = charts.live_figure(rows, batches, "en").to_json()
    assert len(sent) < 80_000  # the whole run as every point: over a megabyte
    data = json.loads(sent)["data"]
    epoch_curves = [trace for trace in data if trace["mode"] == "lines+markers"]
    assert [len(trace["x"]) for trace in epoch_curves] == [epochs] * 4  # every epoch, train and val
    assert epoch_curves[0]["y"][-1] == rows[-1].loss  # exact
    batch_curve = next(trace for trace in data if trace["x"] and len(trace["x"]) > epochs)
    assert batch_curve["x"][-1] == epochs  # the newest batch is drawn, where it is


# ---------------------------------------------------------------- Stop

def test_stop_reaches_a_trainer_that_is_between_store_writes(store, monkeypatch):
    monkeypatch.setattr(trainer, "TICK", 3600.0)  # no store write comes before the Stop
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), status="running")
    store.claim(1, os.getpid(), run_id)
    pulse = trainer.Pulse(StoreSink(store, run_id), None)
    pulse.start()
    try:
        assert not pulse.stop.is_set()
        store.request_stop(run_id, actor=SOLO)
        assert pulse.stop.wait(60)  # seen through the stop file, not the next beat
        assert store.run(run_id).status == "stopping"
    finally:
        pulse._closing.set()
        pulse._soon.set()
        pulse.join()


def test_continue_clears_the_stop_file(store):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), status="running")
    store.request_stop(run_id, actor=SOLO)
    assert store.stop_file(run_id).exists()
    store.finish(run_id, "stopped")
    best = store.run_dir(run_id) / "best.keras"
    with zipfile.ZipFile(best, "w") as archive:  # what Continue checks of a checkpoint
        archive.writestr("config.json", "{}")
    store.add_artifact(run_id, "best", best)
    store.extend(run_id, 1, actor=SOLO)
    assert not store.stop_file(run_id).exists()


# ---------------------------------------------------------------- time left

class Timeline:
    """What the trainer reported at each write: the progress and the training time then."""

    def __init__(self) -> None:
        self.points: list[tuple[dict, float]] = []

    def __call__(self, progress: dict, rows: list[tuple]) -> None:
        batch_rows = [r for r in rows if r[2] == "batch"]
        if batch_rows and progress.get("phase") == "training":
            self.points.append((progress, batch_rows[-1][7]))

    def checked(self) -> tuple[float, float]:
        """(ETA, true time left to the last batch) as the last epoch begins."""
        end = self.points[-1][1]
        for progress, at in self.points:
            if progress["epoch"] == progress["epochs"] and progress.get("batch_seconds"):
                return live.eta_seconds(progress), end - at
        raise AssertionError("no point with a measured pace")


def slow_batches(seconds: float):
    """A stand-in for the inside-the-model recorder that makes every batch end take
    ``seconds`` of wall time: a steady pace even on a busy test machine."""
    import keras

    class Slow(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(seconds)

    return lambda *args, **kwargs: Slow()


@pytest.mark.slow
def test_the_eta_after_a_queue_wait_and_after_continue_is_within_twice_the_truth(store, tmp_path,
                                                                                  monkeypatch):
    from builder import inside
    monkeypatch.setattr(inside, "recorder", slow_batches(0.03))
    data = tiny.write_npz(tmp_path / "tiny.npz", train=1500)
    run_id = store.create_run(tiny.model(), str(data), TrainSettings(epochs=3, batch_size=8))
    store.query("UPDATE runs SET created = created - 3600 WHERE id = ?", (run_id,))  # queued 1 h
    for more in (None, 3):  # the first session, then Continue for 3 more epochs
        if more:
            store.extend(run_id, more, actor=SOLO)
        store.claim(100, os.getpid(), run_id)
        timeline = Timeline()
        assert trainer.train(store, run_id, listener=timeline) == "completed"
        eta, truth = timeline.checked()
        assert truth / 2 <= eta <= truth * 2, (eta, truth)


# ---------------------------------------------------------------- the drawing pad's worker

def test_the_inference_worker_is_warmed_ahead_and_kept_for_the_warm_seconds(monkeypatch):
    from builder import inference
    from builder.execution import pool
    monkeypatch.setenv(pool.WARM_ENV, "900")
    assert inference.idle_seconds() == 900
    monkeypatch.setenv(pool.WARM_ENV, "0")
    assert inference.idle_seconds() == inference.MIN_IDLE  # still answers a second drawing warm
    worker = inference.Worker()
    try:
        worker.warm_up()  # in the background: TensorFlow loads before the first drawing
        tiny.wait_for(lambda: worker.warm, what="the worker to start")
        assert worker.ask({"warm": True}) == {"ok": True}  # answered once it has loaded
        assert os.getpriority(os.PRIO_PROCESS, worker._process.pid) > os.nice(0)
    finally:
        worker.close()
