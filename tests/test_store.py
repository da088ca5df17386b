"""The run store: SQLite rows, the queue, recovery after dead trainers. No TensorFlow."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from builder.access import SOLO
from builder import store as store_module
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Metric, Store, best_epoch, overfitting_since
from tests import tiny


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


def new_run(store: Store, epochs: int = 3) -> int:
    return store.create_run(tiny.model(), "digits", TrainSettings(epochs=epochs))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def epoch(n: int, loss: float, val_loss: float, val_accuracy: float = 0.5) -> Metric:
    return Metric(n, 1, n, None, "epoch", loss, 0.5, val_loss, val_accuracy, float(n))


def test_a_run_is_created_queued_and_reads_back(store):
    run_id = new_run(store)
    run = store.run(run_id)
    assert run.status == "queued" and run.name == "tiny" and run.dataset == "digits"
    assert run.architecture == tiny.model() and run.settings == TrainSettings(epochs=3)
    assert [r.id for r in store.runs()] == [run_id]


def test_store_survives_reopening(tmp_path):
    first = Store.open(tmp_path / "runs.sqlite")
    run_id = new_run(first)
    first.beat(run_id, {"phase": "training"}, [(1, 1, "batch", 0.9, 0.4, None, None, 0.1)])
    first.close()
    again = Store.open(tmp_path / "runs.sqlite")
    assert again.run(run_id).progress == {"phase": "training"}
    assert [m.loss for m in again.metrics(run_id)] == [0.9]


def test_rename_note_pin_and_pinned_first(store):
    older, newer = new_run(store), new_run(store)
    store.rename(older, "baseline", actor=SOLO)
    store.set_note(older, "lr 0.001", actor=SOLO)
    store.set_pinned(older, True, actor=SOLO)
    runs = store.runs()
    assert [r.id for r in runs] == [older, newer]
    assert (runs[0].name, runs[0].note, runs[0].pinned) == ("baseline", "lr 0.001", True)


def test_delete_removes_rows_and_files_but_not_while_training(store):
    run_id = new_run(store)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    (folder / "best.keras").write_bytes(b"x")
    store.add_artifact(run_id, "best", folder / "best.keras")
    store.beat(run_id, rows=[(1, None, "epoch", 1.0, 0.5, 1.0, 0.5, 1.0)])
    store.claim(1, os.getpid(), run_id)
    with pytest.raises(LabError):
        store.delete(run_id, actor=SOLO)
    store.finish(run_id, "completed")
    store.delete(run_id, actor=SOLO)
    assert not folder.exists() and store.metrics(run_id) == []
    with pytest.raises(LabError) as caught:
        store.run(run_id)
    assert caught.value.code == "run_missing"


def test_metrics_cursor_returns_only_new_rows(store):
    run_id = new_run(store)
    store.beat(run_id, rows=[(1, b, "batch", 1.0 / b, 0.5, None, None, b / 10) for b in (1, 2)])
    first = store.metrics(run_id)
    store.beat(run_id, rows=[(1, None, "epoch", 0.4, 0.6, 0.5, 0.55, 0.3)])
    newer = store.metrics(run_id, after=first[-1].id)
    assert [m.batch for m in first] == [1, 2]
    assert [(m.kind, m.val_accuracy) for m in newer] == [("epoch", 0.55)]
    assert store.metrics(run_id, kind="epoch") == newer


def test_claim_respects_slots_and_takes_the_oldest(store):
    a, b, c = new_run(store), new_run(store), new_run(store)
    assert store.claim(2) == a and store.claim(2) == b
    assert store.claim(2) is None and store.run(c).status == "queued"
    store.finish(a, "completed")
    assert store.claim(2) == c


def test_queue_position_counts_from_the_next_run_to_start(store):
    first, second, third = new_run(store), new_run(store), new_run(store)
    store.claim(1)
    assert [store.queue_position(r) for r in (first, second, third)] == [None, 1, 2]
    store.request_stop(second, actor=SOLO)
    assert store.queue_position(third) == 1


def test_stop_a_queued_run_at_once_and_a_running_one_by_flag(store):
    queued, running = new_run(store), new_run(store)
    store.claim(5, os.getpid(), running)
    store.request_stop(queued, actor=SOLO)
    store.request_stop(running, actor=SOLO)
    assert store.run(queued).status == "stopped"
    assert store.run(running).status == "stopping"
    assert store.beat(running) is True


def test_recover_marks_dead_trainers_interrupted_and_keeps_live_ones(store):
    dead, alive, silent = new_run(store), new_run(store), new_run(store)
    store.claim(9, dead_pid(), dead)
    store.claim(9, os.getpid(), alive)
    store.claim(9, os.getpid(), silent)
    store._update(silent, lease_expires=time.time() - 1)  # no beat for STALE_SECONDS
    assert sorted(store.recover()) == sorted([dead, silent])
    assert store.run(silent).error["code"] == "stalled"
    assert store.run(dead).status == "interrupted" and store.run(alive).status == "running"
    assert store.run(dead).error["code"] == "interrupted"
    assert store.run(dead).error_text("ko") != store.run(dead).error_text("en")


def test_opening_the_store_recovers(tmp_path):
    first = Store.open(tmp_path / "runs.sqlite")
    run_id = new_run(first)
    first.claim(1, dead_pid(), run_id)
    assert Store.open(tmp_path / "runs.sqlite").run(run_id).status == "interrupted"


def test_a_claimed_run_without_a_pid_gets_a_grace_period(store):
    run_id = new_run(store)
    store.claim(1)
    assert store.recover() == []
    assert store.run(run_id).lease_token == 1
    store._update(run_id, lease_expires=time.time() - 1)  # CLAIM_GRACE later
    assert store.recover() == [run_id]


def test_continue_needs_a_saved_model_and_drops_the_unfinished_epoch(store):
    run_id = new_run(store, epochs=2)
    store.claim(1, os.getpid(), run_id)
    store.beat(run_id, rows=[(1, None, "epoch", 1.0, 0.5, 1.0, 0.5, 1.0),
                             (2, 3, "batch", 0.9, 0.6, None, None, 1.5)])
    store.record_epochs(run_id, 1, 1.0)
    store.finish(run_id, "stopped")
    with pytest.raises(LabError) as caught:
        store.extend(run_id, 5, actor=SOLO)
    assert caught.value.code == "cannot_continue"
    (store.run_dir(run_id)).mkdir(parents=True)
    (store.run_dir(run_id) / "last.keras").write_bytes(b"x")
    store.add_artifact(run_id, "last", store.run_dir(run_id) / "last.keras")
    store.extend(run_id, 5, actor=SOLO)
    run = store.run(run_id)
    assert run.status == "queued" and run.settings.epochs == 6
    assert [(m.epoch, m.kind) for m in store.metrics(run_id)] == [(1, "epoch")]


def test_finish_keeps_the_error_in_both_languages(store):
    run_id = new_run(store)
    store.finish(run_id, "diverged", error=LabError("diverged", epoch=1, batch=3, rate="10",
                                                    suggested="1"))
    run = store.run(run_id)
    assert run.error["code"] == "diverged" and "1" in run.error_text("en")
    assert run.error_text("ko") and run.error_text("ko") != run.error_text("en")


def test_uploads_are_kept_by_content(store, tmp_path):
    data = tiny.write_npz(tmp_path / "u.npz").read_bytes()
    first, second = store.keep_upload(data), store.keep_upload(data)
    assert first == second and open(first, "rb").read() == data


def test_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(LabError) as caught:
        Store.open(blocker / "runs.sqlite")
    assert caught.value.code == "store_unwritable" and str(blocker) in str(caught.value)


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(store_module.STORE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert store_module.default_path() == tmp_path / "layerlab" / "runs.sqlite"
    monkeypatch.setenv(store_module.STORE_ENV, str(tmp_path / "x.sqlite"))
    assert store_module.default_path() == tmp_path / "x.sqlite"


def test_best_epoch_prefers_validation_accuracy_then_the_earliest():
    epochs = [epoch(1, 1.0, 1.0, 0.7), epoch(2, 0.8, 0.9, 0.9), epoch(3, 0.6, 0.8, 0.9)]
    assert best_epoch(epochs) == 2
    assert best_epoch([]) is None


def test_overfitting_needs_two_epochs_of_rising_val_loss_and_falling_loss():
    calm = [epoch(1, 1.0, 1.0), epoch(2, 0.8, 0.9), epoch(3, 0.7, 0.95)]
    assert overfitting_since(calm) is None
    drifting = [*calm, epoch(4, 0.6, 1.0)]
    assert overfitting_since(drifting) == 3
    recovered = [*drifting, epoch(5, 0.5, 0.7)]
    assert overfitting_since(recovered) is None
