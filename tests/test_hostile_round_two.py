"""Hostile classroom, round two (issue 23): each attack that broke class mode, as a test.

The teacher cannot be locked out (wrong keys count per client; strong keys only; a CLI
reset), the leaderboard ranks only the class dataset against its own test labels, the
hidden half stays hidden before Reveal, lookalike and blank names are refused, Leave and
the school day end a token, the class CLI says who acts, big prediction images cost what
small ones do, and a full disk says truly what was kept."""
from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from builder import cli, inference, inside
from builder.access import Actor
from builder.classroom import TEACHER_ACTOR, keys, roster
from builder.classroom.challenge import Challenge, set_challenge, submit_run
from builder.classroom.halves import public_half
from builder.classroom.leaderboard import (REVEALED, TEACHER_DATASET, leaderboard, not_ranked,
                                           reference_labels)
from builder.classroom.visibility import predictions_of, results_of, visible
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from builder.trainer import full_disk_error
from tests import tiny
from tests.test_classroom import digits_model

ROOT = Path(__file__).resolve().parents[1]
ANA, EVE, FINN = Actor("Ana"), Actor("Eve"), Actor("Finn")
SETTINGS = TrainSettings(epochs=2, limit=500)
STRONG = "a strong key for class 7B"


def code(fn, *args, **kw) -> str:
    with pytest.raises(LabError) as caught:
        fn(*args, **kw)
    return caught.value.code


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------- 1. the teacher key

def test_a_student_guessing_never_delays_the_teacher_at_another_machine(store):
    now = 1000.0
    for i in range(300):   # one guess a second from the back row, every tab a fresh session
        status = code(keys.check_key, store, f"guess{i}", STRONG, "10.0.0.66", now=now + i)
        assert status in ("wrong_key", "key_wait")
    keys.check_key(store, STRONG, STRONG, "10.0.0.2", now=now + 300)       # the teacher: in at once
    assert code(keys.check_key, store, STRONG, STRONG, "10.0.0.66", now=now + 300) == "key_wait"


def test_the_right_key_clears_its_clients_count(store):
    now = 1000.0
    for _ in range(10):   # more wrong keys in all than any global limit allowed
        for i in range(keys.FREE_TRIES - 1):
            assert code(keys.check_key, store, "nope", STRONG, "10.0.0.2", now=now) == "wrong_key"
        keys.check_key(store, STRONG, STRONG, "10.0.0.2", now=now)


def test_forwarded_for_counts_only_behind_a_declared_proxy(monkeypatch):
    monkeypatch.delenv(keys.PROXY_ENV, raising=False)
    assert keys.client_of("10.0.0.9", "1.2.3.4") == "10.0.0.9"      # a header anyone can send
    assert keys.client_of(None, None) == keys.LOCAL
    monkeypatch.setenv(keys.PROXY_ENV, "1")
    assert keys.client_of("10.0.0.1", "6.6.6.6, 10.0.0.9") == "10.0.0.9"   # what the proxy added


@pytest.mark.parametrize("key", ["k", "open sesame", "aaaaaaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabcabc"])
def test_weak_keys_are_refused_and_the_message_says_how_to_make_one(store, key):
    problem = keys.key_problem(key)
    assert problem is not None and "python -m builder key new" in problem.text("en")
    assert code(keys.remember_key, store, key) == "weak_key"


def test_generated_keys_are_always_strong():
    assert all(keys.key_problem(keys.new_key()) is None for _ in range(500))
    assert keys.key_problem("correct horse battery staple") is None


def test_class_mode_refuses_to_start_on_a_weak_key(monkeypatch, store, executor):
    monkeypatch.setenv(keys.KEY_ENV, "open sesame")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and "will not start" in at.error[0].value
    assert not [t for t in at.title if t.value == "Join the class"] and not at.text_input


def test_the_cli_resets_every_clients_wait_and_prints_strong_keys(store, capsys, monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    keys.remember_key(store, STRONG)
    for client in ("10.0.0.2", keys.CLI):      # a browser and the command line both slowed
        for i in range(keys.FREE_TRIES):
            code(keys.check_key, store, "nope", STRONG, client, now=1e12)
    assert code(keys.check_key, store, STRONG, STRONG, "10.0.0.2", now=1e12) == "key_wait"
    status, _, err = run_cli(capsys, "key", "reset")
    assert status == 2 and "LAYERLAB_TEACHER_KEY" in err                    # teacher only
    monkeypatch.setenv(keys.KEY_ENV, "a wrong key for class 7B")
    assert run_cli(capsys, "key", "reset")[2].strip() == "That teacher key is not right."
    monkeypatch.setenv(keys.KEY_ENV, STRONG)
    status, out, _ = run_cli(capsys, "key", "reset")
    assert status == 0 and "2 client" in out
    keys.check_key(store, STRONG, STRONG, "10.0.0.2", now=1e12)
    status, out, _ = run_cli(capsys, "key", "new")
    assert status == 0 and keys.key_problem(out.strip()) is None


# ---------------------------------------------------------------- 3. the leaderboard

def _finished(store: Store, actor: Actor, dataset: str, predicted: np.ndarray,
              label: np.ndarray | None = None) -> int:
    """A completed run whose predictions file holds ``predicted`` (and ``label``)."""
    run_id = submit_run(store, actor, digits_model(), dataset, SETTINGS)
    store.claim(100, None, run_id)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    label = predicted if label is None else label
    np.savez(folder / "predictions.npz", label=label, predicted=predicted,
             confidence=np.ones(label.size, "float16"), truth=np.full(label.size, 0.9, "float32"),
             indices=np.flatnonzero(label != predicted)[:5],
             images=np.zeros((min(5, int((label != predicted).sum())), 8, 8), "uint8"))
    store.add_artifact(run_id, "predictions", folder / "predictions.npz")
    confusion = np.bincount(label.astype(int) * 10 + predicted, minlength=100).reshape(10, 10)
    store.finish(run_id, "completed", {
        "test_accuracy": float((predicted == label).mean()), "test_loss": 0.1, "best_epoch": 2,
        "confusion": confusion.tolist(),
        "per_class_accuracy": [float(confusion[c, c] / max(1, confusion[c].sum())) for c in range(10)],
        "class_names": [str(d) for d in range(10)], "mistakes": []})
    return run_id


def test_a_run_on_an_uploaded_file_is_not_ranked_and_says_why(store, tmp_path):
    store.set_setting(TEACHER_DATASET, "digits", actor=TEACHER_ACTOR)   # no challenge yet
    own = str(tiny.write_npz(tmp_path / "eve.npz"))
    eve = _finished(store, EVE, own, np.zeros(60, "int16"))              # 100 % on her own labels
    truth = reference_labels("digits")
    honest = truth.copy()
    honest[:30] = (truth[:30] + 1) % 10
    finn = _finished(store, FINN, "digits", honest, truth)
    assert [(e.owner, e.run_id) for e in leaderboard(store)] == [("Finn", finn)]
    [left] = not_ranked(store)
    assert (left.owner, left.run_id, left.reason) == ("Eve", eve, "class.why_dataset")


def test_scores_use_the_registered_test_labels_never_the_runs_own(store):
    set_challenge(store, Challenge(dataset="digits"), actor=TEACHER_ACTOR)
    truth = reference_labels("digits")
    guesses = np.zeros(truth.size, "int16")
    _finished(store, EVE, "digits", guesses, label=guesses)      # labels forged to match
    [entry] = leaderboard(store)
    public = public_half(truth.size)
    assert entry.public_accuracy == pytest.approx(float((truth[public] == 0).mean()))
    _finished(store, ANA, "digits", np.zeros(10, "int16"))       # not every test image
    assert [n.reason for n in not_ranked(store)] == ["class.why_test_set"]


def test_the_board_follows_the_challenge_dataset(store):
    _finished(store, FINN, "digits", reference_labels("digits"))
    set_challenge(store, Challenge(dataset="mnist"), actor=TEACHER_ACTOR)   # changed mid-lesson
    assert leaderboard(store) == [] and not_ranked(store)[0].reason == "class.why_dataset"


# ---------------------------------------------------------------- 5. the hidden half

def _half_and_half(store: Store) -> int:
    """A run right on every public image and wrong on every private one."""
    truth = reference_labels("digits")
    public = public_half(truth.size)
    predicted = np.where(public, truth, (truth + 1) % 10).astype("int16")
    return _finished(store, ANA, "digits", predicted, truth)


def test_before_reveal_a_student_sees_the_public_half_only(store):
    run_id = _half_and_half(store)
    run = store.run(run_id)
    seen = results_of(store, run, FINN)
    assert seen["half"] == "public" and seen["test_accuracy"] == 1.0
    assert sum(map(sum, seen["confusion"])) == int(public_half(reference_labels('digits').size).sum())
    assert all(a in (1.0, None) for a in seen["per_class_accuracy"])
    assert seen["test_loss"] == pytest.approx(-np.log(0.9), rel=1e-3)
    predictions = predictions_of(store, run, FINN)
    hidden = ~predictions["shown"]
    assert (predictions["predicted"][hidden] == -1).all() and "truth" not in predictions
    assert predictions["shown"][predictions["indices"]].all()            # no hidden mistake
    assert visible(store, [run], FINN)[0].results["test_accuracy"] == 1.0
    assert results_of(store, run, TEACHER_ACTOR) == run.results           # the teacher: all
    store.set_setting(REVEALED, True, actor=TEACHER_ACTOR)
    assert results_of(store, run, FINN) == run.results                    # after Reveal: all
    assert predictions_of(store, run, FINN)["shown"].all()


def test_the_cli_shows_a_student_the_public_half(store, capsys, monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    keys.remember_key(store, STRONG)                                      # a class runs here
    run_id = _half_and_half(store)
    status, out, _ = run_cli(capsys, "runs", "show", str(run_id))
    assert status == 0 and json.loads(out)["test_accuracy"] == 1.0
    status, out, _ = run_cli(capsys, "runs", "list", "--json")
    assert json.loads(out)[0]["test_accuracy"] == 1.0
    monkeypatch.setenv(keys.KEY_ENV, STRONG)
    status, out, _ = run_cli(capsys, "runs", "show", str(run_id))
    assert json.loads(out)["test_accuracy"] == pytest.approx(0.5, abs=0.01)


def test_probe_images_come_from_the_public_half():
    labels = reference_labels("digits")
    chosen = inside.probe_indices(labels)
    assert len(chosen) == 10 and public_half(labels.size)[chosen].all()
    assert sorted(labels[chosen].tolist()) == list(range(10))


# ---------------------------------------------------------------- 6. identity

@pytest.mark.parametrize("first, second", [
    ("Ana", "\u0410na"),          # Cyrillic A
    ("Ana", "Aná"),
    ("Eve", "\u0395ve"),          # Greek Epsilon
    ("lucy", "1ucy"),
    ("Kim", "ＫＩＭ"),             # fullwidth
])
def test_lookalike_names_collide(store, first, second):
    roster.join(store, first)
    assert code(roster.join, store, second) == "name_taken"


@pytest.mark.parametrize("name, error", [
    ("\u03a4eacher", "name_reserved"),           # Greek Tau
    ("T\u0435acher", "name_reserved"),           # Cyrillic e
    ("ＴＥＡＣＨＥＲ", "name_reserved"),
    ("\u3164\u3164", "name_invisible"),          # Hangul fillers
    ("\u115f", "name_invisible"), ("\uffa0x", "name_invisible"), ("\u2800", "name_invisible"),
    ("Ana\u200b", "name_bad_chars"), ("A\u2028na", "name_bad_chars"),
    ("\u0301\u0301", "name_invisible"),          # nothing but accents
])
def test_blank_and_teacher_lookalike_names_are_refused(name, error):
    assert code(roster.clean_name, name) == error


def test_leave_ends_the_token_on_the_server(store):
    _, token = roster.join(store, "Ana")
    assert roster.actor_for(store, token) == ANA
    roster.leave(store, token)
    assert roster.actor_for(store, token) is None                         # the replayed cookie
    assert code(roster.join, store, "Ana") == "name_ended"                # nobody takes her runs


def test_tokens_end_after_the_school_day(store):
    _, token = roster.join(store, "Ana", now=1000.0)
    assert roster.actor_for(store, token, now=1000.0 + keys.TOKEN_SECONDS - 60) == ANA
    assert roster.actor_for(store, token, now=1000.0 + keys.TOKEN_SECONDS + 1) is None
    teacher = keys.new_teacher_token(store, STRONG)
    assert keys.is_teacher_token(store, STRONG, teacher)
    later = time.time() + keys.TOKEN_SECONDS + 1
    assert not keys.is_teacher_token(store, STRONG, teacher, now=later)


def test_class_cli_changes_need_as_or_the_key(store, capsys, monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    keys.remember_key(store, STRONG)
    run_id = submit_run(store, ANA, digits_model(), "digits", SETTINGS)
    name = store.run(run_id).name
    for argv in (("rename", str(run_id), "stolen"), ("stop", str(run_id)), ("delete", str(run_id))):
        status, _, err = run_cli(capsys, "runs", *argv)
        assert status == 2 and "--as" in err
    assert store.run(run_id).name == name and store.run(run_id).status == "queued"
    assert run_cli(capsys, "runs", "rename", str(run_id), "mine", "--as", "Ana")[0] == 0
    monkeypatch.setenv(keys.KEY_ENV, STRONG)
    assert run_cli(capsys, "runs", "rename", str(run_id), "the teacher's")[0] == 0
    assert store.run(run_id).name == "the teacher's"


# ---------------------------------------------------------------- 7. prediction images

def _image(tmp_path: Path, size: tuple[int, int], fmt: str) -> Path:
    from PIL import Image
    path = tmp_path / f"big.{fmt.lower()}"
    Image.new("L", size, 255).save(path, format=fmt)
    return path


def test_an_image_over_the_pixel_cap_is_refused_naming_its_real_size(tmp_path):
    path = _image(tmp_path, (5000, 4000), "PNG")     # past Pillow's bomb limit: once "?×?"
    with pytest.raises(LabError) as refused:
        inference.prepare(path, (28, 28, 1))
    assert refused.value.code == "image_pixels" and "5000×4000" in str(refused.value)
    path = _image(tmp_path, (9000, 20), "PNG")
    with pytest.raises(LabError) as refused:
        inference.prepare(path, (28, 28, 1))
    assert refused.value.code == "image_size" and "9000×20" in str(refused.value)


def test_a_big_jpeg_is_reduced_while_it_is_decoded(tmp_path):
    path = _image(tmp_path, (4000, 3000), "JPEG")
    image = inference._decode(path, (28, 28, 1))
    assert image.size[0] * image.size[1] <= inference.pixel_cap((28, 28, 1))
    pixels, steps = inference.prepare(path, (28, 28, 1))
    assert pixels.shape == (28, 28, 1) and "resize" in steps


def test_the_pixel_cap_grows_with_the_models_input_within_bounds():
    assert inference.pixel_cap((28, 28, 1)) == inference.PIXEL_FLOOR
    assert inference.pixel_cap((256, 256, 3)) == 64 * 256 * 256
    assert inference.pixel_cap((1024, 1024, 3)) == inference.MAX_PIXELS


# ---------------------------------------------------------------- 8. a full disk

def test_a_full_disk_before_any_checkpoint_does_not_claim_one_was_kept(tmp_path):
    saved = tmp_path / "best.keras"
    saved.write_bytes(b"PK")
    none = full_disk_error(SimpleNamespace(checkpoint=lambda kind: None))
    some = full_disk_error(SimpleNamespace(checkpoint=lambda kind: saved if kind == "best" else None))
    assert none.code == "disk_full_no_checkpoint" and "cannot continue" in none.text("en")
    assert "checkpoint are kept" not in none.text("en") and "checkpoint are kept" in some.text("en")
    assert some.code == "disk_full"


def test_a_tiny_prediction_image_still_works(tmp_path):
    path = _image(tmp_path, (28, 28), "PNG")
    pixels, steps = inference.prepare(path, (28, 28, 1))
    assert pixels.shape == (28, 28, 1) and "resize" not in steps


def test_train_and_compare_show_a_student_the_public_half_and_the_teacher_all(store, executor,
                                                                               monkeypatch):
    from components.classroom import cookie
    from components.identity import STUDENT_COOKIE, TEACHER_COOKIE
    monkeypatch.setenv(keys.KEY_ENV, STRONG)
    run_id = _half_and_half(store)
    finn = {STUDENT_COOKIE: roster.join(store, "Finn")[1]}
    teacher = {TEACHER_COOKIE: keys.new_teacher_token(store, STRONG)}
    shown, compared = {}, {}
    for who, cookies in (("Finn", finn), ("teacher", teacher)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["lang"] = "en"
        at.session_state[cookie.PENDING] = cookies
        at.query_params["run"] = str(run_id)
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception
        shown[who] = {m.label: m.value for m in at.metric}.get("Test accuracy")
        at.switch_page("pages/compare.py").run()
        assert not at.exception
        compared[who] = round(float(at.dataframe[0].value["test_accuracy"].iloc[0]), 2)
    assert shown == {"Finn": "100.00 %", "teacher": "49.83 %"}
    assert compared == {"Finn": 100.0, "teacher": 49.83}
