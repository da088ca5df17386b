"""The class commands: --owner, --as refusals, leaderboard --json, challenge set/show/clear."""
from __future__ import annotations

import json

import pytest

from builder import cli
from builder.access import Actor
from builder.classroom import TEACHER_ACTOR, keys
from builder.classroom.challenge import submit_run
from tests.test_classroom import OK, digits_model, finished

ANA = Actor("Ana")


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("action", [("delete",), ("rename", "stolen"), ("stop",)])
def test_another_student_is_refused(store, capsys, action):
    run_id = submit_run(store, ANA, digits_model(), "digits", OK)
    named = store.run(run_id).name
    code, _, err = run(capsys, "runs", action[0], str(run_id), *action[1:], "--as", "Ben")
    assert code == 2 and f"only the owner of run {run_id}" in err and "Traceback" not in err
    assert store.run(run_id).name == named and store.run(run_id).status == "queued"


def test_the_owner_and_the_teacher_with_the_key_may(store, capsys, monkeypatch):
    first = submit_run(store, ANA, digits_model(), "digits", OK)
    assert run(capsys, "runs", "rename", str(first), "mine", "--as", "Ana")[0] == 0
    assert store.run(first).name == "mine"
    code, _, err = run(capsys, "runs", "stop", str(first), "--as", "teacher")
    assert code == 2 and "LAYERLAB_TEACHER_KEY" in err
    keys.remember_key(store, "right key of class 7B")      # the class server runs on it
    monkeypatch.setenv(keys.KEY_ENV, "wrong")
    assert run(capsys, "runs", "stop", str(first), "--as", "teacher")[2].strip() == \
        "That teacher key is not right."
    monkeypatch.setenv(keys.KEY_ENV, "right key of class 7B")
    assert run(capsys, "runs", "stop", str(first), "--as", "teacher")[0] == 0
    assert run(capsys, "runs", "delete", str(first), "--as", "Teacher")[0] == 0
    assert store.runs() == []


def test_runs_list_json_has_the_owner(store, capsys):
    submit_run(store, ANA, digits_model(), "digits", OK)
    code, out, _ = run(capsys, "runs", "list", "--json")
    assert code == 0 and [r["owner"] for r in json.loads(out)] == ["Ana"]


def test_train_owner_is_checked_before_anything_trains(store, capsys, tmp_path, monkeypatch):
    arch = tmp_path / "flat.json"
    arch.write_text(digits_model().to_json())
    code, _, err = run(capsys, "train", str(arch), "--dataset", "digits", "--owner", "<b>x</b>")
    assert code == 2 and "may not contain" in err
    monkeypatch.setenv(keys.KEY_ENV, "k")
    assert run(capsys, "challenge", "set", "--dataset", "mnist", "--epochs", "2")[0] == 0
    code, _, err = run(capsys, "train", str(arch), "--dataset", "digits", "--owner", "Ana")
    assert code == 2 and "The challenge is on MNIST digits" in err and "at most 2 epochs" in err and store.runs() == []


def test_challenge_set_show_clear_needs_the_key(store, capsys, monkeypatch):
    code, _, err = run(capsys, "challenge", "set", "--epochs", "3")
    assert code == 2 and "Only the teacher" in err and "export LAYERLAB_TEACHER_KEY" in err
    monkeypatch.setenv(keys.KEY_ENV, "k")
    code, out, _ = run(capsys, "challenge", "set", "--dataset", "digits", "--epochs", "3",
                       "--layers", "Flatten, Dense", "--params", "1000", "--text", "=go")
    assert code == 0 and json.loads(out)["layer_types"] == ["Flatten", "Dense"]
    assert json.loads(run(capsys, "challenge", "show")[1])["max_epochs"] == 3
    code, _, err = run(capsys, "challenge", "set", "--layers", "Nope")
    assert code == 2 and "layer_types" in err
    assert run(capsys, "challenge", "clear")[0] == 0
    assert json.loads(run(capsys, "challenge", "show")[1]) is None


def test_leaderboard_json_and_reveal(store, capsys, monkeypatch):
    store.set_setting("queue.max_queued", 5, actor=TEACHER_ACTOR)
    ana = finished(store, ANA, 0.9, 0.5)
    ben = finished(store, Actor("Ben"), 0.8, 0.7)
    code, out, _ = run(capsys, "leaderboard", "--json")
    board = json.loads(out)
    assert code == 0
    assert [(e["owner"], e["run_id"], e["rank"]) for e in board] == [("Ana", ana, 1), ("Ben", ben, 2)]
    assert board[0]["public_accuracy"] == pytest.approx(0.9, abs=0.01)
    assert board[0]["private_accuracy"] is None
    assert run(capsys, "leaderboard", "--reveal", "--json")[0] == 2          # no key
    monkeypatch.setenv(keys.KEY_ENV, "k")
    code, out, _ = run(capsys, "leaderboard", "--reveal", "--json")
    final = json.loads(out)
    assert code == 0
    assert [(e["owner"], e["final_rank"], e["moved"]) for e in final] == [("Ben", 1, 1), ("Ana", 2, -1)]
    assert final[1]["private_accuracy"] == pytest.approx(0.5, abs=0.01)
