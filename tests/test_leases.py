"""One trainer per run (issue 11 §3): leases with fencing tokens. A trainer that was paused
past its lease wakes up to find every write refused and stops without touching the run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from builder.access import SOLO
from builder.settings import TrainSettings
from builder.execution.sink import StoreSink
from builder.store import LeaseLost, Store, pid_alive
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]
EPOCH = (1, None, "epoch", 0.9, 0.5, 1.0, 0.4, 1.0)


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


def leased(store: Store, pid: int | None = None) -> StoreSink:
    store.create_run(tiny.model(), "digits", TrainSettings(epochs=3))
    lease = store.claim_lease(1, pid)
    return StoreSink(store, lease.run_id, lease.token)


def expire(store: Store, run_id: int) -> None:
    """What STALE_SECONDS without a heartbeat does."""
    store._update(run_id, lease_expires=time.time() - 1)


def save(sink: StoreSink, kind: str) -> Path:
    sink.folder.mkdir(parents=True, exist_ok=True)
    path = sink.folder / f"{kind}.keras"
    with zipfile.ZipFile(path, "w") as saved:  # Continue checks it is a whole archive
        saved.writestr("config.json", kind)
    sink.add_artifact(kind, path)
    return path


def refused(sink: StoreSink) -> list[str]:
    """The writes of ``sink`` that raised LeaseLost."""
    writes = {"beat": lambda: sink.beat({"phase": "training"}, [EPOCH]),
              "record_epochs": lambda: sink.record_epochs(9, 9.0),
              "add_artifact": lambda: sink.add_artifact("best", sink.folder / "best.keras"),
              "finish": lambda: sink.finish("completed", {"test_accuracy": 1.0}, None)}
    lost = []
    for name, write in writes.items():
        try:
            write()
        except LeaseLost as exc:
            assert exc.code == "lease_lost"
            lost.append(name)
    return lost


def test_a_stale_trainer_is_fenced_off_and_its_successor_writes(store):
    old = leased(store)
    run_id = old.run_id
    old.beat({"phase": "training"}, [EPOCH])
    old.record_epochs(1, 1.0)
    best = save(old, "best")
    expire(store, run_id)                      # paused past its lease…
    assert store.recover() == [run_id]         # …so a page marks it interrupted
    before = store.run(run_id), store.metrics(run_id)
    assert before[0].status == "interrupted" and before[0].error["code"] == "stalled"
    assert refused(old) == ["beat", "record_epochs", "add_artifact", "finish"]
    assert (store.run(run_id), store.metrics(run_id)) == before  # not one row changed

    store.extend(run_id, 1, actor=SOLO)        # Continue: a new lease, a new folder
    new = StoreSink(store, run_id, store.claim_lease(1).token)
    assert new.token > old.token and new.folder != old.folder
    new.beat({"phase": "training"}, [(2, None, "epoch", 0.5, 0.7, 0.8, 0.6, 2.0)])
    new.record_epochs(2, 2.0)
    assert refused(old) == ["beat", "record_epochs", "add_artifact", "finish"]
    new.finish("completed", {"test_accuracy": 0.6}, None)
    run = store.run(run_id)
    assert (run.status, run.error, run.epochs_done, run.results) == (
        "completed", None, 2, {"test_accuracy": 0.6})  # status and error agree
    assert [m.epoch for m in store.metrics(run_id, kind="epoch")] == [1, 2]
    assert store.artifact(run_id, "best") == best  # the earlier best model is kept


def test_an_expired_lease_refuses_writes_even_before_anyone_notices(store):
    sink = leased(store)
    expire(store, sink.run_id)
    assert refused(sink) == ["beat", "record_epochs", "add_artifact", "finish"]
    assert store.run(sink.run_id).status == "running" and store.metrics(sink.run_id) == []


def test_a_beat_renews_the_lease(store):
    sink = leased(store)
    store._update(sink.run_id, lease_expires=time.time() + 0.5)
    sink.beat({"phase": "training"}, [])
    assert store.run(sink.run_id).status == "running"
    assert store.holds_lease(sink.run_id, sink.token)
    row = store.query("SELECT lease_expires FROM runs WHERE id = ?", (sink.run_id,))[0]
    assert row[0] > time.time() + 5


def test_continue_waits_until_the_old_process_is_gone(store):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        sink = leased(store, sleeper.pid)
        save(sink, "last")
        expire(store, sink.run_id)
        store.recover()  # not one of our trainer commands: left running
        store.extend(sink.run_id, 1, actor=SOLO)
        assert store.claim(1) is None and store.run(sink.run_id).status == "queued"
    finally:
        sleeper.kill()
        sleeper.wait()
    assert store.claim(1) == sink.run_id


def test_the_pulse_stops_training_when_the_lease_is_lost(store):
    from builder.trainer import Pulse
    sink = leased(store)
    pulse = Pulse(sink, None)
    pulse.flush()
    assert not pulse.stop.is_set()
    expire(store, sink.run_id)
    pulse.rows.append(EPOCH)
    pulse.flush()
    assert pulse.stop.is_set() and pulse.lost and store.metrics(sink.run_id) == []


PAUSED = """
    import sys, time
    from builder.execution.sink import StoreSink
    from builder.store import LeaseLost, Store
    store = Store.open(sys.argv[1], recover=False)
    sink = StoreSink(store, int(sys.argv[2]), int(sys.argv[3]))
    batch = 0
    try:
        while True:
            batch += 1
            sink.beat({"batch": batch}, [(1, batch, "batch", 0.5, 0.5, None, None, 0.0)])
            time.sleep(0.05)
    except LeaseLost:
        sys.exit(3)
"""


def test_a_sigstopped_trainer_wakes_up_refused_and_stops_itself(store, tmp_path):
    store.create_run(tiny.model(), "digits", TrainSettings())
    lease = store.claim_lease(1)
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PAUSED), str(store.path),
                              str(lease.run_id), str(lease.token)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        store.set_worker(lease.run_id, child.pid, lease.token)
        tiny.wait_for(lambda: len(store.metrics(lease.run_id)) >= 5, 30, "some beats")
        child.send_signal(signal.SIGSTOP)
        time.sleep(0.2)
        expire(store, lease.run_id)
        assert store.recover() == [lease.run_id]
        before = store.run(lease.run_id), store.metrics(lease.run_id)
        child.send_signal(signal.SIGCONT)
        assert child.wait(timeout=30) == 3  # it stopped itself
    finally:
        if child.poll() is None:
            child.kill()
    assert (store.run(lease.run_id), store.metrics(lease.run_id)) == before
    assert not pid_alive(child.pid)


@pytest.mark.slow
def test_a_paused_real_trainer_is_replaced_and_the_epochs_stay_in_order(tmp_path):
    from builder.execution.executor import LocalExecutor
    store = Store.open(tmp_path / "runs.sqlite")
    data = str(tiny.write_npz(tmp_path / "tiny.npz"))
    run_id = store.create_run(tiny.model(), data, TrainSettings(epochs=200, batch_size=8))
    executor = LocalExecutor(store, slots=1)
    executor.submit(run_id)
    tiny.wait_for(lambda: len(store.metrics(run_id, kind="epoch")) >= 2, 120, "two epochs")
    paused = store.run(run_id).worker_pid
    os.kill(paused, signal.SIGSTOP)
    expire(store, run_id)
    executor.poll()  # what the live page does: interrupted, and the paused trainer ended
    tiny.wait_for(lambda: not pid_alive(paused), 10, "the paused trainer to end")
    run = store.run(run_id)
    assert run.status == "interrupted" and run.error["code"] == "stalled"
    store.extend(run_id, 1, actor=SOLO)
    executor.submit(run_id)
    tiny.wait_for(lambda: store.run(run_id).status == "completed", 120, "the continued run")
    run = store.run(run_id)
    epochs = [m.epoch for m in store.metrics(run_id, kind="epoch")]
    assert epochs == list(range(1, run.epochs_done + 1)) and run.error is None
    assert run.results["test_accuracy"] is not None


def test_a_foreground_run_is_leased_from_the_start(store):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), status="running")
    store.set_worker(run_id, os.getpid())
    assert store.claim(5) is None            # no warm trainer can take it
    assert store.recover() == []             # nor is it taken for dead
    sink = StoreSink(store, run_id)
    sink.beat({"phase": "training"}, [EPOCH])
    sink.finish("completed", None, None)
    assert store.run(run_id).status == "completed"
