"""The teacher's challenge panel (AppTest): a change is confirmed on screen, the banner
says "ended" after the deadline, and the deadline can be extended alone."""
from __future__ import annotations

import time

import pytest

from builder.classroom import TEACHER_ACTOR, keys
from builder.classroom.challenge import Challenge, current, set_challenge
from components.classroom import cookie
from components.identity import TEACHER_COOKIE
from tests.test_class_pages import KEY, app, submit


@pytest.fixture(autouse=True)
def class_mode(monkeypatch, store, executor):
    monkeypatch.setenv(keys.KEY_ENV, KEY)


def teacher(store):
    at = app(**{cookie.PENDING: {TEACHER_COOKIE: keys.new_teacher_token(store, KEY)}})
    return at.switch_page("pages/teacher.py").run()


def test_the_challenge_panel_confirms_ends_and_extends(store):
    at = teacher(store)
    next(w for w in at.number_input if w.label == "Most epochs").set_value(4)
    next(w for w in at.number_input if w.label.startswith("Minutes from now")).set_value(30)
    submit(at, "class_challenge", "Set the challenge")
    assert not at.exception
    assert [s.value for s in at.success if s.value.startswith("Challenge set at")]
    assert any("Now set:" in c.value and "until" in c.value for c in at.caption)

    set_challenge(store, Challenge(max_epochs=4, deadline=time.time() - 60), actor=TEACHER_ACTOR)
    at.run()
    assert any("ended at" in c.value for c in at.caption)       # not "until 07:06"
    submit(at, "class_extend", "Extend the deadline")          # 5 minutes, from now
    assert not at.exception
    challenge = current(store)
    assert challenge.max_epochs == 4 and challenge.deadline > time.time() + 4 * 60
    assert [s.value for s in at.success if s.value.startswith("Deadline moved to")]
    assert not any("ended at" in c.value for c in at.caption)
