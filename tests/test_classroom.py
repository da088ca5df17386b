"""Class mode (builder.classroom): names, keys, the challenge, the fair queue and the
leaderboard, on a temporary store. No TensorFlow: predictions are written by hand."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from builder.access import Actor
from builder.architecture import Architecture, Layer
from builder.classroom import TEACHER_ACTOR, keys, roster
from builder.classroom.challenge import (Challenge, capped, check_run, continue_run, current,
                                         set_challenge, submit_run)
from builder.classroom.leaderboard import (TEACHER_DATASET, leaderboard, public_half,
                                           ranking_csv, reference_labels, split_scores)
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from tests import tiny

L = Layer.make
ANA, BEN = Actor("Ana"), Actor("Ben")


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


def digits_model(units: int = 10) -> Architecture:
    return Architecture((8, 8, 1), (L("Flatten"), L("Dense", units=units, activation="softmax")),
                        "flat")


def code(fn, *args, **kw) -> str:
    with pytest.raises(LabError) as caught:
        fn(*args, **kw)
    return caught.value.code


# ---------------------------------------------------------------- names and tokens

@pytest.mark.parametrize("name, error", [
    ("", "name_empty"), ("   ", "name_empty"), ("x" * 500, "name_too_long"),
    ("<script>alert(1)</script>", "name_bad_chars"), ("Ana\x1b[31m", "name_bad_chars"),
    ("a\u202eb", "name_bad_chars"), ("Teacher", "name_reserved"), (None, "name_empty")])
def test_bad_names_are_refused_with_the_reason(name, error):
    assert code(roster.clean_name, name) == error


def test_a_name_is_tidied_and_a_duplicate_refused_case_blind(store):
    actor, token = roster.join(store, "  Ana   Kim ")
    assert actor == Actor("Ana Kim") and len(token) >= 40
    assert roster.actor_for(store, token) == Actor("Ana Kim")
    assert code(roster.join, store, "ana kim") == "name_taken"
    assert roster.actor_for(store, token + "x") is None and roster.actor_for(store, "") is None
    row = store.query("SELECT * FROM class_roster", ())[0]
    assert token not in " ".join(map(str, tuple(row)))   # only its hash is kept


def test_the_class_code_is_checked(store):
    store.set_setting(roster.CODE_SETTING, "owl-42", actor=TEACHER_ACTOR)
    assert code(roster.join, store, "Ana", "wrong") == "wrong_class_code"
    assert roster.join(store, "Ana", " OWL-42 ")[0] == ANA


def test_the_teacher_removes_a_student_and_their_token_stops_working(store):
    _, token = roster.join(store, "Ana")
    assert code(roster.remove, store, "Ana", actor=BEN) == "teacher_only"
    roster.remove(store, "Ana", actor=TEACHER_ACTOR)
    assert roster.actor_for(store, token) is None and roster.students(store) == []


def test_a_login_identity_rejoins_but_cannot_take_a_students_name(store):
    roster.join(store, "Ana")
    assert code(roster.join_login, store, "ana") == "name_taken"
    assert roster.join_login(store, "kim@school.edu") == roster.join_login(store, "kim@school.edu")


def test_the_current_model_is_kept_for_the_teacher(store):
    roster.join(store, "Ana")
    roster.set_model(store, "Ana", tiny.model())
    [ana] = roster.students(store)
    assert ana.name == "Ana" and ana.model == tiny.model()


# ---------------------------------------------------------------- the teacher key

def test_class_mode_follows_the_key(monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    assert keys.teacher_key() == "" and not keys.class_mode(keys.teacher_key())
    assert keys.teacher_key({"teacher_key": "s3cret"}) == "s3cret"
    monkeypatch.setenv(keys.KEY_ENV, "env-key")
    assert keys.teacher_key({"teacher_key": "s3cret"}) == "env-key"


def test_wrong_keys_slow_down_per_client_and_the_right_key_clears_it(store):
    now = 1000.0
    for i in range(keys.FREE_TRIES):
        assert code(keys.check_key, store, f"guess{i}", "k", "10.0.0.7", now=now) == "wrong_key"
    # not even checked during the wait:
    assert code(keys.check_key, store, "k", "k", "10.0.0.7", now=now + 1) == "key_wait"
    keys.check_key(store, "k", "k", "10.0.0.7", now=now + 2.5)
    keys.check_key(store, "k", "k", "10.0.0.7", now=now + 2.6)   # cleared
    assert keys.wait_seconds(10 ** 6) == keys.MAX_WAIT


def test_teacher_tokens_die_with_the_key(store):
    token = keys.new_teacher_token(store, "k")
    assert keys.is_teacher_token(store, "k", token)
    assert not keys.is_teacher_token(store, "other", token)
    assert not keys.is_teacher_token(store, "k", "x")
    keys.forget_teacher_token(store, "k", token)
    assert not keys.is_teacher_token(store, "k", token)


# ---------------------------------------------------------------- the challenge

CHALLENGE = Challenge(dataset="digits", limit=500, max_epochs=3, layer_types=("Flatten", "Dense"),
                      max_params=1000, text="Best digits model with 1,000 parameters")
OK = TrainSettings(epochs=3, limit=500)


@pytest.mark.parametrize("arch, dataset, settings, error", [
    (digits_model(), "mnist", OK, "challenge_dataset"),
    (digits_model(), "digits", TrainSettings(epochs=3), "challenge_limit"),
    (digits_model(), "digits", TrainSettings(epochs=3, limit=501), "challenge_limit"),
    (digits_model(), "digits", TrainSettings(epochs=4, limit=500), "challenge_epochs"),
    (tiny.model(), "digits", OK, "challenge_layer"),
    (Architecture((8, 8, 1), (L("Flatten"), L("Dense", units=16),
                              L("Dense", units=10, activation="softmax"))), "digits", OK,
     "challenge_params")])
def test_check_run_names_the_broken_rule(arch, dataset, settings, error):
    assert code(check_run, CHALLENGE, arch, dataset, settings) == error
    check_run(None, arch, dataset, settings)  # no challenge, no rules


def test_deadline_and_capped_settings():
    late = Challenge(deadline=100.0)
    assert code(check_run, late, digits_model(), "digits", OK, at=101.0) == "challenge_deadline"
    check_run(late, digits_model(), "digits", OK, at=99.0)
    assert capped(CHALLENGE, TrainSettings(epochs=50)) == TrainSettings(epochs=3, limit=500)
    within = TrainSettings(epochs=2, limit=100)
    assert capped(CHALLENGE, within) == within


@pytest.mark.parametrize("doc", [{"dataset": "nope"}, {"limit": 3}, {"max_epochs": 0},
                                 {"layer_types": ["Evil"]}, {"text": "x" * 501}, {"colour": 1}, []])
def test_a_bad_challenge_is_refused(doc):
    assert code(Challenge.from_dict, doc) in ("bad_challenge", "unknown_field", "not_object")


def test_the_challenge_is_stored_and_binds_students_not_the_teacher(store):
    assert code(set_challenge, store, CHALLENGE, actor=ANA) == "teacher_only"
    set_challenge(store, CHALLENGE, actor=TEACHER_ACTOR)
    assert current(store) == CHALLENGE
    assert code(submit_run, store, ANA, tiny.model(), "digits", OK) == "challenge_layer"
    assert store.runs() == []
    run_id = submit_run(store, ANA, digits_model(), "digits", OK)
    assert store.run(run_id).owner == "Ana"
    submit_run(store, TEACHER_ACTOR, tiny.model(), "mnist", TrainSettings(epochs=9))
    set_challenge(store, None, actor=TEACHER_ACTOR)
    assert current(store) is None


def test_continue_stays_within_the_epochs(store):
    set_challenge(store, CHALLENGE, actor=TEACHER_ACTOR)
    run_id = submit_run(store, ANA, digits_model(), "digits", OK)
    store.claim(1, None, run_id)
    store.record_epochs(run_id, 3, 1.0)
    store.finish(run_id, "completed")
    assert code(continue_run, store, ANA, run_id, 1) == "challenge_epochs"


# ---------------------------------------------------------------- ownership and the fair queue

def test_only_the_owner_or_the_teacher_changes_a_run(store):
    run_id = submit_run(store, ANA, digits_model(), "digits", OK)
    for change in (lambda a: store.rename(run_id, "mine", actor=a),
                   lambda a: store.request_stop(run_id, actor=a),
                   lambda a: store.delete(run_id, actor=a)):
        assert code(change, BEN) == "not_owner"
    store.rename(run_id, "Ana's", actor=ANA)
    store.request_stop(run_id, actor=TEACHER_ACTOR)
    assert store.run(run_id).name == "Ana's" and store.run(run_id).status == "stopped"


def test_a_student_queues_at_most_n_and_the_queue_interleaves_students(store):
    store.set_setting("queue.max_queued", 2, actor=TEACHER_ACTOR)
    a = [submit_run(store, ANA, digits_model(), "digits", OK) for _ in range(2)]
    assert code(submit_run, store, ANA, digits_model(), "digits", OK) == "queue_full"
    b = [submit_run(store, BEN, digits_model(), "digits", OK) for _ in range(2)]
    first, second, third = (store.claim(10) for _ in range(3))
    assert {first, second} == {a[0], b[0]}   # one of each, oldest first
    assert third is None                     # one running run per student


# ---------------------------------------------------------------- the leaderboard

def test_the_split_is_fixed_disjoint_and_half():
    mask = public_half(101)
    assert mask.sum() == 50 and (public_half(101) == mask).all()
    label = np.arange(10) % 3
    assert split_scores(label, label) == (1.0, 1.0)
    predicted = np.where(public_half(10), label, label + 1)
    assert split_scores(label, predicted) == (1.0, 0.0)


def finished(store: Store, actor: Actor, public: float, private: float,
             settings: TrainSettings = OK, arch: Architecture | None = None) -> int:
    """A completed run on ``digits`` whose predictions of its test set score ``public`` /
    ``private`` on the halves (the teacher has ``digits`` open: the board's dataset)."""
    store.set_setting(TEACHER_DATASET, "digits", actor=TEACHER_ACTOR)
    run_id = submit_run(store, actor, arch or digits_model(), "digits", settings)
    store.claim(100, None, run_id)
    label = reference_labels("digits")
    mask = public_half(label.size)
    predicted = label.copy()
    for half, share in ((mask, public), (~mask, private)):
        wrong = np.flatnonzero(half)[: round(half.sum() * (1 - share))]
        predicted[wrong] = (label[wrong] + 1) % 10
    path = store.run_dir(run_id)
    path.mkdir(parents=True, exist_ok=True)
    np.savez(path / "predictions.npz", label=label, predicted=predicted)
    store.add_artifact(run_id, "predictions", path / "predictions.npz")
    store.record_epochs(run_id, settings.epochs, 2.0)
    store.finish(run_id, "completed")
    return run_id


def test_each_students_best_public_run_ranks_and_reveal_shows_the_shake_up(store):
    store.set_setting("queue.max_queued", 10, actor=TEACHER_ACTOR)
    finished(store, ANA, 0.70, 0.70)
    ana_best = finished(store, ANA, 0.90, 0.60)      # overfitted to the public half
    ben = finished(store, BEN, 0.80, 0.80)
    finished(store, TEACHER_ACTOR, 1.0, 1.0)           # the teacher does not compete
    board = leaderboard(store)
    assert [(e.rank, e.owner, e.run_id) for e in board] == [(1, "Ana", ana_best), (2, "Ben", ben)]
    assert board[0].public_accuracy == pytest.approx(0.9, abs=0.01) and board[0].private_accuracy is None
    assert board[0].params == 650 and board[0].epochs == 3
    store.set_setting("class.revealed", True, actor=TEACHER_ACTOR)
    final = leaderboard(store)
    assert [(e.final_rank, e.owner, e.rank, e.moved) for e in final] == [
        (1, "Ben", 2, 1), (2, "Ana", 1, -1)]
    assert final[1].private_accuracy == pytest.approx(0.6, abs=0.01)


def test_only_runs_that_keep_the_challenge_count(store):
    finished(store, ANA, 0.9, 0.9, settings=TrainSettings(epochs=5, limit=500))
    finished(store, ANA, 0.5, 0.5)
    set_challenge(store, CHALLENGE, actor=TEACHER_ACTOR)
    [entry] = leaderboard(store)
    assert entry.public_accuracy == pytest.approx(0.5, abs=0.01)


def test_the_csv_neutralises_formulas(store):
    ana = Actor("=cmd|' /C calc'!A0")   # e.g. a login identity or CLI --owner
    run_id = finished(store, ana, 0.5, 0.5)
    store.rename(run_id, "@SUM(A1)", actor=ana)
    rows = list(csv.reader(io.StringIO(ranking_csv(leaderboard(store)))))
    assert rows[0][:3] == ["rank", "owner", "run_id"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0" and rows[1][3] == "'@SUM(A1)"


def test_hidden_runs_show_only_ones_own_until_reveal(store):
    from builder.classroom.visibility import HIDE, visible
    mine, theirs = (submit_run(store, a, digits_model(), "digits", OK) for a in (ANA, BEN))
    runs = store.runs()
    assert len(visible(store, runs, ANA)) == 2
    store.set_setting(HIDE, True, actor=TEACHER_ACTOR)
    assert [r.id for r in visible(store, runs, ANA)] == [mine]
    assert len(visible(store, runs, TEACHER_ACTOR)) == 2
    store.set_setting("class.revealed", True, actor=TEACHER_ACTOR)
    assert {r.id for r in visible(store, runs, ANA)} == {mine, theirs}


def test_the_pair_button_keeps_the_challenge_and_the_owner(store):
    from builder.compare import queue_pair
    from builder.templates import TEMPLATES
    arch = TEMPLATES["mnist-cnn"].architecture
    set_challenge(store, Challenge(dataset="mnist"), actor=TEACHER_ACTOR)
    assert code(queue_pair, store, arch, TrainSettings(), actor=ANA) == "challenge_dataset"
    assert store.runs() == []
    set_challenge(store, None, actor=TEACHER_ACTOR)
    ids = queue_pair(store, arch, TrainSettings(), actor=ANA)
    assert {store.run(i).owner for i in ids} == {"Ana"}
