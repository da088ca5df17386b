"""Ownership and the fair queue (issue 15), on a temporary store. No TensorFlow."""
from __future__ import annotations

import os

import pytest

from builder.access import SOLO, Actor, check_change, may_change
from builder.errors import LabError
from builder.queueing import fair_order, next_run
from builder.run_names import default_name
from builder.settings import TrainSettings
from builder.store import Store
from tests import tiny

ANN, BEN = Actor("ann"), Actor("ben")
TEACHER = Actor("teacher", teacher=True)
NOBODY = Actor("")


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


def queue(store: Store, actor: Actor, experiment: int | None = None) -> int:
    return store.create_run(tiny.model(), "digits", TrainSettings(epochs=1), actor=actor,
                            experiment=experiment)


def finish_running(store: Store) -> None:
    for run in store.runs():
        if run.active:
            store.finish(run.id, "completed")


def test_only_the_owner_or_the_teacher_may_change():
    assert may_change(ANN, "ann") and may_change(TEACHER, "ann") and may_change(SOLO, "")
    assert not may_change(BEN, "ann") and not may_change(NOBODY, "") and not may_change(ANN, "")
    check_change(ANN, "ann", 1)
    with pytest.raises(LabError) as caught:
        check_change(BEN, "ann", 7)
    assert caught.value.code == "not_owner" and "7" in str(caught.value)
    assert caught.value.text("ko") != caught.value.text("en")


def test_every_change_to_a_run_is_refused_to_others(store):
    run_id = queue(store, ANN)
    assert store.run(run_id).owner == "ann"
    refused = [lambda a: store.rename(run_id, "mine", actor=a),
               lambda a: store.set_note(run_id, "x", actor=a),
               lambda a: store.set_pinned(run_id, True, actor=a),
               lambda a: store.request_stop(run_id, actor=a),
               lambda a: store.extend(run_id, 1, actor=a),
               lambda a: store.delete(run_id, actor=a)]
    for change in refused:
        with pytest.raises(LabError) as caught:
            change(BEN)
        assert caught.value.code == "not_owner"
    run = store.run(run_id)
    assert (run.name, run.note, run.pinned, run.status) == (
        default_name("ann", tiny.model(), "digits"), "", False, "queued")
    store.rename(run_id, "ann's", actor=ANN)
    store.set_note(run_id, "seen", actor=TEACHER)
    store.request_stop(run_id, actor=ANN)
    assert (store.run(run_id).name, store.run(run_id).note) == ("ann's", "seen")
    assert store.run(run_id).status == "stopped"
    store.delete(run_id, actor=TEACHER)
    assert store.runs() == []


def test_a_student_may_queue_only_up_to_the_teachers_cap(store):
    queue(store, ANN), queue(store, ANN)
    with pytest.raises(LabError) as caught:
        queue(store, ANN)
    assert caught.value.code == "queue_full" and "2" in str(caught.value)
    queue(store, BEN)  # the cap is per student
    queue(store, TEACHER), queue(store, TEACHER), queue(store, TEACHER)  # not for the teacher
    with pytest.raises(LabError) as caught:
        store.set_setting("queue.max_queued", 5, actor=ANN)
    assert caught.value.code == "teacher_only"
    store.set_setting("queue.max_queued", 3, actor=TEACHER)
    assert store.get_setting("queue.max_queued") == 3
    queue(store, ANN)
    items = [(tiny.model(), "digits", TrainSettings(), "")] * 2
    store.create_runs(items, actor=BEN)  # 1 + 2 fits 3…
    with pytest.raises(LabError):
        store.create_runs(items, actor=BEN)  # …3 + 2 does not
    assert len(store.runs(owner="ben")) == 3  # all or nothing


def test_a_running_run_frees_a_place_in_the_cap(store):
    first, _ = queue(store, ANN), queue(store, ANN)
    assert store.claim(1) == first
    queue(store, ANN)
    assert len(store.runs(owner="ann")) == 3


def test_students_take_turns_in_the_queue(store):
    store.set_setting("queue.max_queued", 3, actor=TEACHER)
    a1, a2, a3 = queue(store, ANN), queue(store, ANN), queue(store, ANN)
    b1 = queue(store, BEN)
    assert store.queued() == [a1, b1, a2, a3]
    assert store.queue_position(b1) == 2
    order = []
    while (run_id := store.claim(1, os.getpid())) is not None:
        order.append(run_id)
        finish_running(store)
    assert order == [a1, b1, a2, a3]


def test_at_most_one_active_run_per_student(store):
    a1, a2 = queue(store, ANN), queue(store, ANN)
    b1 = queue(store, BEN)
    assert store.claim(5) == a1
    assert store.claim(5) == b1
    assert store.claim(5) is None and store.run(a2).status == "queued"  # ann already trains
    store.finish(a1, "completed")
    assert store.claim(5) == a2


def test_runs_without_an_owner_queue_oldest_first_with_no_limit(store):
    ids = [queue(store, SOLO) for _ in range(3)]
    assert store.queued() == ids
    assert [store.claim(3), store.claim(3), store.claim(3)] == ids


def test_the_owner_who_waited_longest_goes_first():
    queued = [(1, "ann"), (2, "ben"), (3, "cat")]
    assert fair_order(queued, [], {"ann": 30.0, "ben": 10.0}) == [3, 2, 1]
    assert next_run(queued, ["cat"], {"ann": 30.0, "ben": 10.0}) == 2
    assert next_run([(1, "ann")], ["ann"], {}) is None


def test_runs_are_filtered_by_experiment_and_owner(store):
    experiment = store.create_experiment("lr sweep", {"knob": "learning_rate"}, actor=ANN)
    grouped = store.create_runs([(tiny.model(), "digits", TrainSettings(), "a"),
                                 (tiny.model(), "digits", TrainSettings(), "b")],
                                actor=ANN, experiment=experiment)
    other = queue(store, BEN)
    assert [r.id for r in store.runs(experiment=experiment)] == grouped[::-1]
    assert [r.id for r in store.runs(owner="ben")] == [other]
    shown = store.experiment(experiment)
    assert (shown.name, shown.owner, shown.spec) == ("lr sweep", "ann", {"knob": "learning_rate"})
    assert [e.id for e in store.experiments()] == [experiment]
    with pytest.raises(LabError) as caught:
        store.delete_experiment(experiment, actor=BEN)
    assert caught.value.code == "experiment_not_owner"
    store.claim(1, os.getpid(), grouped[0])
    with pytest.raises(LabError) as caught:
        store.delete_experiment(experiment, actor=ANN)
    assert caught.value.code == "run_active"
    store.finish(grouped[0], "completed")
    store.delete_experiment(experiment, actor=ANN)
    assert [r.id for r in store.runs()] == [other] and store.experiments() == []
    with pytest.raises(LabError) as caught:
        store.experiment(experiment)
    assert caught.value.code == "experiment_missing"


def test_features_keep_their_own_tables(store):
    store.ensure_schema("CREATE TABLE IF NOT EXISTS roster (name TEXT PRIMARY KEY);")
    with store.transaction() as db:
        db.execute("INSERT INTO roster VALUES (?)", ("ann",))
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("INSERT INTO roster VALUES (?)", ("ben",))
            raise RuntimeError("rolled back")
    assert [r["name"] for r in store.query("SELECT name FROM roster")] == ["ann"]


def test_an_old_store_gains_the_new_columns(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL "
                   "DEFAULT '', note TEXT NOT NULL DEFAULT '', pinned INTEGER NOT NULL DEFAULT 0, "
                   "architecture TEXT NOT NULL, dataset TEXT NOT NULL, settings TEXT NOT NULL, "
                   "status TEXT NOT NULL DEFAULT 'queued', created REAL NOT NULL, started REAL, "
                   "finished REAL, error TEXT, results TEXT, progress TEXT, epochs_done INTEGER "
                   "NOT NULL DEFAULT 0, train_seconds REAL NOT NULL DEFAULT 0, worker_pid INTEGER, "
                   "heartbeat REAL, stop_requested INTEGER NOT NULL DEFAULT 0)")
        db.execute("INSERT INTO runs (architecture, dataset, settings, created) VALUES (?, ?, ?, 0)",
                   (tiny.model().to_json(), "digits", '{"epochs": 1}'))
    store = Store.open(path)
    assert (store.run(1).owner, store.run(1).experiment) == ("", None)
    store.rename(1, "kept", actor=SOLO)
