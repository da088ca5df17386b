"""Who is using this session: :func:`current_actor` for every call that changes a run.

Without a teacher key LayerLab has one user, who may do everything (``SOLO``). With a key
(``$LAYERLAB_TEACHER_KEY`` or ``teacher_key`` in ``.streamlit/secrets.toml``) it is a
class: the teacher (who logged in with the key), a student (who joined with a name, or
through ``st.login`` when it is configured), or nobody yet (may look, may change
nothing). The proof is a random token in this session and in a cookie, so a refresh and
a new tab keep the identity; the store keeps only hashes. No token ever goes into a URL.
"""
from __future__ import annotations

import streamlit as st

from builder.access import SOLO, Actor
from builder.classroom import TEACHER_ACTOR, keys, roster
from components import services
from components.classroom import cookie

STUDENT_COOKIE, TEACHER_COOKIE = "layerlab_student", "layerlab_teacher"
NOBODY = Actor("")


def teacher_key() -> str:
    """The teacher key ('' when LayerLab is not in class mode)."""
    return keys.teacher_key(_secrets())


def class_mode() -> bool:
    return keys.class_mode(teacher_key())


def current_actor() -> Actor:
    """SOLO outside class mode; else the teacher, the student, or NOBODY."""
    key = teacher_key()
    if not key:
        return SOLO
    if keys.is_teacher_token(services.store(), key, _token(TEACHER_COOKIE)):
        return TEACHER_ACTOR
    identity = login_identity()
    if identity:
        return roster.join_login(services.store(), identity)
    return roster.actor_for(services.store(), _token(STUDENT_COOKIE)) or NOBODY


def join(name: str, code: str) -> None:
    """A student joins (raises LabError for a bad or taken name or a wrong code)."""
    _, token = roster.join(services.store(), name, code)
    cookie.write(STUDENT_COOKIE, token)


def teacher_login(given: str) -> None:
    """Log in as the teacher (raises LabError ``wrong_key`` / ``key_wait``); wrong keys
    count against this client, never this session alone nor the whole class."""
    key = teacher_key()
    keys.check_key(services.store(), given, key, client())
    cookie.write(TEACHER_COOKIE, keys.new_teacher_token(services.store(), key))


def leave() -> None:
    """Log this browser out and end its tokens on the server, so a replayed cookie is
    nobody (the student stays on the roster with their runs)."""
    key = teacher_key()
    token = _token(TEACHER_COOKIE)
    if token:
        keys.forget_teacher_token(services.store(), key, token)
    roster.leave(services.store(), _token(STUDENT_COOKIE))
    for name in (STUDENT_COOKIE, TEACHER_COOKIE):
        cookie.write(name, "")


def login_identity() -> str:
    """The ``st.login`` identity (e-mail, else name) when a provider is set up and used."""
    try:
        if not st.user.is_logged_in:
            return ""
        return str(st.user.get("email") or st.user.get("name") or "")
    except Exception:  # no [auth] section: st.user cannot log anyone in
        return ""


def login_configured() -> bool:
    try:
        return "auth" in _secrets()
    except Exception:
        return False


def _token(name: str) -> str:
    """This session's token, else the cookie the browser sent when the page loaded."""
    if name in st.session_state.get(cookie.PENDING, {}):
        return st.session_state[cookie.PENDING][name]
    return cookie.read(name)


def client() -> str:
    """The client this browser connects from (see :func:`builder.classroom.keys.client_of`)."""
    try:
        ip, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    except Exception:  # no browser behind this run (bare mode)
        ip, forwarded = None, None
    return keys.client_of(ip if isinstance(ip, str) else None,
                          forwarded if isinstance(forwarded, str) else None)


def _secrets() -> dict:
    try:
        return dict(st.secrets) if st.secrets.load_if_toml_exists() else {}
    except Exception:  # an unreadable secrets.toml: as if there were none
        return {}
