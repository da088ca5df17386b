"""The frame of class mode: which pages a person sees, the join form, who am I.

``pages(pages, lang)`` is called by app.py every script run. Outside class mode it
returns the pages unchanged. In class mode someone who has not joined sees only the join
form (a display name and the class code, or the ``st.login`` button when a provider is
set up; the teacher key in a password field); on a weak teacher key nobody gets a page,
only the message saying how to make a strong one; a student also sees the leaderboard; the
teacher also sees the teacher page. It also writes pending identity cookies, opens a
member's kept model in a new session (:mod:`components.keeping`) and keeps each
student's current model in the roster for the teacher view.
"""
from __future__ import annotations

import streamlit as st

from builder.access import Actor
from builder.classroom import keys, roster
from builder.classroom.leaderboard import TEACHER_DATASET
from builder.errors import LabError
from builder.text import t
from components import identity, keeping, safe, services, state
from components import lang as language
from components.classroom import cookie

SAVED_REV = "class_saved_rev"
_REMEMBERED: set[str] = set()  # keys whose hash this process wrote to the store


def pages(pages: list, lang: str) -> list:
    """The pages this person may open (see the module docstring)."""
    key = identity.teacher_key()
    if not key:
        return pages
    problem = keys.key_problem(key)
    if problem is not None:   # a class never starts on a guessable key
        st.error(safe.error(problem, lang), icon=":material/key_off:")
        st.stop()
    _remember(key)
    cookie.flush()
    actor = identity.current_actor()
    if not actor.name:
        return [st.Page(join_page, title=t("class.join_title", lang), icon=":material/login:",
                        url_path="join", default=True)]
    _who(actor, lang)
    keeping.attach(actor)
    _keep_model(actor)
    extra = [st.Page("pages/leaderboard.py", title=t("class.leaderboard", lang),
                     icon=":material/leaderboard:")]
    if actor.teacher:
        extra.append(st.Page("pages/teacher.py", title=t("class.teacher", lang),
                             icon=":material/school:"))
    return [*pages, *extra]


def _remember(key: str) -> None:
    """Record the key's hash in the store once per server process (for the CLI)."""
    if key not in _REMEMBERED:
        keys.remember_key(services.store(), key)
        _REMEMBERED.add(key)


def join_page() -> None:
    """The join form for students and the key form for the teacher."""
    lang = language.current()
    st.title(t("class.join_title", lang), anchor=False)
    if identity.login_configured():
        st.button(t("class.login", lang), on_click=st.login, type="primary")
    else:
        with st.form("class_join"):
            name = st.text_input(t("class.name", lang), max_chars=roster.MAX_NAME,
                                 placeholder=t("class.name_hint", lang))
            code = st.text_input(t("class.code", lang), type="password")
            if st.form_submit_button(t("class.join", lang), type="primary"):
                _try(identity.join, name, code, lang=lang)
    with st.expander(t("class.teacher_login", lang), icon=":material/school:"):
        with st.form("class_teacher"):
            key = st.text_input(t("class.key", lang), type="password")
            if st.form_submit_button(t("class.teacher_enter", lang)):
                _try(identity.teacher_login, key, lang=lang)


def _try(action, *args: str, lang: str) -> None:
    try:
        action(*args)
    except LabError as exc:
        st.error(safe.error(exc, lang), icon=":material/error:")
        return
    st.rerun()


def _who(actor: Actor, lang: str) -> None:
    """Who this browser is, and a way to leave, in the sidebar."""
    role = t("class.you_teacher" if actor.teacher else "class.you_student", lang,
             name=safe.escape(actor.name))
    st.sidebar.markdown(role)
    if st.sidebar.button(t("class.leave", lang), icon=":material/logout:", key="class_leave"):
        identity.leave()
        if identity.login_identity():
            st.logout()
        st.rerun()


def _keep_model(actor: Actor) -> None:
    """Store a student's model for the teacher view whenever it changed; the teacher's
    current dataset is the leaderboard's when the challenge names none."""
    if actor.teacher:
        name = state.dataset().name
        if services.store().get_setting(TEACHER_DATASET, None) != name:
            services.store().set_setting(TEACHER_DATASET, name, actor=actor)
        return
    if st.session_state.get(SAVED_REV) == state.revision():
        return
    roster.set_model(services.store(), actor.name, state.architecture())
    st.session_state[SAVED_REV] = state.revision()
