"""Class mode in the app (Streamlit AppTest): joining, the teacher's key, the pages each
person gets, the challenge on the Train page, and no credential in the URL."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builder.classroom import TEACHER_ACTOR, keys, roster
from builder.classroom.challenge import Challenge, set_challenge
from components.classroom import cookie
from components.identity import STUDENT_COOKIE, TEACHER_COOKIE

ROOT = Path(__file__).resolve().parents[1]
KEY = "open sesame, class 7B"


@pytest.fixture(autouse=True)
def class_mode(monkeypatch, store, executor):
    monkeypatch.setenv(keys.KEY_ENV, KEY)


def app(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def as_student(store, name: str) -> dict:
    """Session state of a browser whose cookie holds ``name``'s token."""
    return {cookie.PENDING: {STUDENT_COOKIE: roster.join(store, name)[1]}}


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def no_secret_in_url(at: AppTest, *secrets: str) -> None:
    shown = str(dict(at.query_params)) + "".join(str(m.value) for m in at.markdown)
    assert not any(secret in shown for secret in secrets)


def test_without_a_key_nothing_changes(monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV)
    at = app()
    assert not at.exception and not [t for t in at.title if t.value == "Join the class"]


def test_a_student_joins_and_bad_names_are_explained(store):
    at = app()
    assert [t.value for t in at.title] == ["Join the class"]
    at.text_input[0].input("<img src=x onerror=alert(1)>")
    submit(at, "class_join", "Join")
    assert "may not contain" in at.error[0].value
    at.text_input[0].input("Ana")
    submit(at, "class_join", "Join")
    assert not at.exception and "You are **Ana**" in [m.value for m in at.sidebar.markdown]
    [token] = at.session_state[cookie.PENDING].values()
    no_secret_in_url(at, token)
    second = app()
    second.text_input[0].input("ana")
    submit(second, "class_join", "Join")
    assert "already called" in second.error[0].value


def test_the_teacher_key_is_checked_and_opens_the_teacher_page(store):
    at = app()
    at.text_input[2].input("guess")
    submit(at, "class_teacher", "Enter as teacher")
    assert at.error[0].value == "That teacher key is not right."
    at.text_input[2].input(KEY)
    submit(at, "class_teacher", "Enter as teacher")
    assert "You are the **teacher**" in [m.value for m in at.sidebar.markdown]
    no_secret_in_url(at, KEY, *at.session_state[cookie.PENDING].values())
    at.switch_page("pages/teacher.py").run()
    assert not at.exception and [t.value for t in at.title] == ["Teacher"]


def test_a_student_cannot_open_the_teacher_page(store):
    at = app(**as_student(store, "Ben"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/teacher.py")          # not among a student's pages
    page = AppTest.from_file(str(ROOT / "pages" / "teacher.py"), default_timeout=30)
    for key, value in {"lang": "en", **as_student(store, "Cy")}.items():
        page.session_state[key] = value
    page.run()                                      # a guessed URL runs the page itself
    assert "only the teacher" in page.error[0].value and not page.dataframe


def test_the_teacher_sets_a_challenge_from_the_page(store):
    token = keys.new_teacher_token(store, KEY)
    at = app(**{cookie.PENDING: {TEACHER_COOKIE: token}})
    at.switch_page("pages/teacher.py").run()
    next(w for w in at.number_input if w.label == "Most epochs").set_value(4)
    at.text_area[0].input("Fewest parameters above 90 %")
    submit(at, "class_challenge", "Set the challenge")
    assert not at.exception
    stored = store.get_setting("class.challenge")
    assert stored["max_epochs"] == 4 and stored["text"] == "Fewest parameters above 90 %"
    submit(at, "class_challenge", "Clear the challenge")
    assert store.get_setting("class.challenge") is None


def test_the_challenge_caps_a_students_train_settings(store):
    set_challenge(store, Challenge(max_epochs=3, limit=500, text="Beat 90 %"), actor=TEACHER_ACTOR)
    at = app(train_epochs=50, **as_student(store, "Ben"))
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert at.number_input(key="train_epochs").value == 3
    assert at.number_input(key="train_limit").value == 500
    assert "Beat 90 %" in [i.value for i in at.info]


def test_typing_more_epochs_than_the_challenge_allows_is_capped(store):
    set_challenge(store, Challenge(max_epochs=3), actor=TEACHER_ACTOR)
    at = app(**as_student(store, "Ben"))
    at.switch_page("pages/train.py").run()
    at.number_input(key="train_epochs").set_value(50).run()
    assert at.number_input(key="train_epochs").value == 3


def test_the_challenge_line_names_its_dataset_by_its_title():
    from builder.classroom.challenge import Challenge
    from components.classroom.board import rules
    line = " · ".join(rules(Challenge(dataset="cifar10", max_epochs=2), "en"))
    assert "CIFAR-10" in line and "cifar10" not in line
    assert "cifar10" not in " · ".join(rules(Challenge(dataset="cifar10"), "ko"))
