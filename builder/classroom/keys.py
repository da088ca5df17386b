"""The teacher key: class mode on/off, the key check with a growing wait, teacher tokens.

A wrong key counts against the session that sent it and against the whole server. After
``FREE_SESSION`` wrong keys from one session (``FREE_GLOBAL`` from everyone together)
each further try must wait 2, 4, 8 … seconds (at most ``MAX_WAIT``) after the last
wrong one; a try that comes sooner is refused without being checked, so guessing is
slow however many tabs try. The right key clears the session's count.

The server records a salted PBKDF2 hash of its key in the store, so the CLI's
``--as teacher`` can check ``$LAYERLAB_TEACHER_KEY`` against the key the class runs on.
Teacher tokens are random; the store keeps only ``HMAC(key, token)``, so changing the
key logs every teacher out.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from typing import Mapping

from builder.classroom.tables import ready
from builder.errors import LabError

KEY_ENV = "LAYERLAB_TEACHER_KEY"
SECRET_NAME = "teacher_key"     # in .streamlit/secrets.toml
FREE_SESSION, FREE_GLOBAL = 3, 20
MAX_WAIT = 300.0
GLOBAL = "*"

SCHEMA = """
CREATE TABLE IF NOT EXISTS class_key_failures (
    scope TEXT PRIMARY KEY,      -- a session id, or '*' for the whole server
    failures INTEGER NOT NULL,
    last REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS class_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    salt TEXT NOT NULL,
    digest TEXT NOT NULL         -- PBKDF2-SHA256 of the server's key: the CLI checks against it
);
CREATE TABLE IF NOT EXISTS class_teacher_tokens (
    digest TEXT PRIMARY KEY,     -- HMAC-SHA256(key, token)
    created REAL NOT NULL
);
"""


def teacher_key(secrets_: Mapping[str, object] | None = None) -> str:
    """``$LAYERLAB_TEACHER_KEY``, else ``teacher_key`` from the secrets given; '' = no class."""
    key = os.environ.get(KEY_ENV, "")
    if not key and secrets_:
        value = secrets_.get(SECRET_NAME, "")
        key = value if isinstance(value, str) else ""
    return key.strip()


def class_mode(key: str) -> bool:
    return bool(key)


def wait_seconds(failures: int, free: int) -> float:
    """How long after the last wrong key the next try must wait."""
    return 0.0 if failures < free else min(2.0 ** min(failures - free + 1, 16), MAX_WAIT)


def check_key(store, given: str, key: str, session: str, now: float | None = None) -> None:
    """Accept ``given`` if it is ``key``; else count it and raise ``wrong_key``; a try
    during the wait raises ``key_wait`` without checking it."""
    now = time.time() if now is None else now
    ready(store, SCHEMA)
    with store.transaction() as db:
        rows = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT scope, failures, last FROM class_key_failures WHERE scope IN (?, ?)",
            (session, GLOBAL))}
        wait = max(_left(rows.get(session), FREE_SESSION, now),
                   _left(rows.get(GLOBAL), FREE_GLOBAL, now))
        if wait > 0:
            raise LabError("key_wait", seconds=int(wait + 0.999))
        if key and hmac.compare_digest(given.encode(), key.encode()):
            db.execute("DELETE FROM class_key_failures WHERE scope = ?", (session,))
            return
        for scope in (session, GLOBAL):
            db.execute("INSERT INTO class_key_failures (scope, failures, last) VALUES (?, 1, ?) "
                       "ON CONFLICT(scope) DO UPDATE SET failures = failures + 1, last = ?",
                       (scope, now, now))
    raise LabError("wrong_key")


def _left(row: tuple[int, float] | None, free: int, now: float) -> float:
    if row is None:
        return 0.0
    failures, last = row
    return max(0.0, last + wait_seconds(failures, free) - now)


def remember_key(store, key: str) -> None:
    """The server: record (a hash of) the key of the class it serves."""
    ready(store, SCHEMA)
    if _key_matches(store, key) is True:
        return
    salt = secrets.token_hex(16)
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO class_key (id, salt, digest) VALUES (1, ?, ?)",
                   (salt, _stretch(key, salt)))


def check_cli_key(store, given: str) -> None:
    """The CLI's ``--as teacher``: ``given`` ($LAYERLAB_TEACHER_KEY) must be set and, once
    a server recorded its key, be that key (wrong keys slow down as in :func:`check_key`)."""
    if not given:
        raise LabError("teacher_key_missing")
    if _key_matches(store, given) is False:
        check_key(store, given, "", "cli")   # counts it and raises wrong_key / key_wait


def _key_matches(store, key: str) -> bool | None:
    """None when no key is recorded, else whether ``key`` is the recorded one."""
    ready(store, SCHEMA)
    rows = store.query("SELECT salt, digest FROM class_key WHERE id = 1", ())
    if not rows:
        return None
    return hmac.compare_digest(_stretch(key, rows[0][0]), rows[0][1])


def _stretch(key: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", key.encode(), salt.encode(), 100_000).hex()


def new_teacher_token(store, key: str) -> str:
    """A fresh teacher token (call only after :func:`check_key` accepted the key)."""
    ready(store, SCHEMA)
    token = secrets.token_urlsafe(32)
    with store.transaction() as db:
        db.execute("INSERT INTO class_teacher_tokens (digest, created) VALUES (?, ?)",
                   (_digest(key, token), time.time()))
    return token


def is_teacher_token(store, key: str, token: str) -> bool:
    """True when ``token`` was issued under the current ``key``."""
    if not key or not token:
        return False
    ready(store, SCHEMA)
    return bool(store.query("SELECT 1 FROM class_teacher_tokens WHERE digest = ?",
                            (_digest(key, token),)))


def forget_teacher_token(store, key: str, token: str) -> None:
    ready(store, SCHEMA)
    with store.transaction() as db:
        db.execute("DELETE FROM class_teacher_tokens WHERE digest = ?", (_digest(key, token),))


def _digest(key: str, token: str) -> str:
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).hexdigest()
