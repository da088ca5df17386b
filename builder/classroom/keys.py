"""The teacher key: class mode on/off, its strength, the key check, teacher tokens.

A class runs only on a strong key (:func:`key_problem`: at least ``MIN_LENGTH``
characters, ``MIN_DISTINCT`` of them different; :func:`new_key` makes one), so guessing
is hopeless without any limit shared by the whole class. Wrong keys are counted per
*client* (:func:`client_of`: the connection's address, never a Streamlit session, which
costs nothing to renew): after ``FREE_TRIES`` wrong keys from one client each further try
from it must wait 2, 4, 8 … seconds (at most ``MAX_WAIT``) after its last wrong one, and a
try that comes sooner is refused unchecked. One student's guessing therefore never delays
a teacher at another machine; the right key clears its client's count, and
``python -m builder key reset`` (:func:`reset_failures`) clears every count.

The server records a salted PBKDF2 hash of its key in the store, so the CLI's
``--as teacher`` can check ``$LAYERLAB_TEACHER_KEY`` against the key the class runs on.
Teacher tokens are random and expire after ``TOKEN_HOURS``; the store keeps only
``HMAC(key, token)``, so changing the key logs every teacher out.
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
PROXY_ENV = "LAYERLAB_BEHIND_PROXY"   # "1": trust the X-Forwarded-For the proxy appends
SECRET_NAME = "teacher_key"     # in .streamlit/secrets.toml
MIN_LENGTH, MIN_DISTINCT = 16, 10
FREE_TRIES = 5
MAX_WAIT = 300.0
FORGET_AFTER = 24 * 3600.0      # a client's count is dropped a day after its last wrong key
TOKEN_HOURS = 12                # a school day: teacher and student tokens expire after it
TOKEN_SECONDS = TOKEN_HOURS * 3600.0
LOCAL = "local"                 # the client of a browser on the server's own machine
CLI = "cli"                     # the client of the command line

SCHEMA = """
CREATE TABLE IF NOT EXISTS class_key_failures (
    scope TEXT PRIMARY KEY,      -- a client (address), or 'cli'
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


def new_key() -> str:
    """A strong teacher key (128 random bits, 22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def key_problem(key: str) -> LabError | None:
    """Why ``key`` is too weak for a class (a LabError to raise or show), or None."""
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_DISTINCT:
        return LabError("weak_key", length=MIN_LENGTH, distinct=MIN_DISTINCT, got=len(key),
                        command="python -m builder key new")
    return None


def client_of(ip: str | None, forwarded: str | None = None) -> str:
    """The client a key try counts against: the connection's address (``LOCAL`` on the
    server's own machine); behind a proxy (``$LAYERLAB_BEHIND_PROXY=1``) the last address
    of ``X-Forwarded-For``, the one the proxy itself appended (earlier ones are the
    client's own words)."""
    if forwarded and os.environ.get(PROXY_ENV, "") == "1":
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return (ip or LOCAL)[:64]


def teacher_key(secrets_: Mapping[str, object] | None = None) -> str:
    """``$LAYERLAB_TEACHER_KEY``, else ``teacher_key`` from the secrets given; '' = no class."""
    key = os.environ.get(KEY_ENV, "")
    if not key and secrets_:
        value = secrets_.get(SECRET_NAME, "")
        key = value if isinstance(value, str) else ""
    return key.strip()


def class_mode(key: str) -> bool:
    return bool(key)


def wait_seconds(failures: int) -> float:
    """How long after a client's last wrong key its next try must wait."""
    return 0.0 if failures < FREE_TRIES else min(2.0 ** min(failures - FREE_TRIES + 1, 16),
                                                   MAX_WAIT)


def check_key(store, given: str, key: str, client: str, now: float | None = None) -> None:
    """Accept ``given`` if it is ``key`` (and clear ``client``'s count); else count it
    against ``client`` and raise ``wrong_key``; a try during ``client``'s wait raises
    ``key_wait`` without being checked. Other clients' counts play no part."""
    now = time.time() if now is None else now
    ready(store, SCHEMA)
    with store.transaction() as db:
        row = db.execute("SELECT failures, last FROM class_key_failures WHERE scope = ?",
                         (client,)).fetchone()
        wait = 0.0 if row is None else max(0.0, row[1] + wait_seconds(row[0]) - now)
        if wait > 0:
            raise LabError("key_wait", seconds=int(wait + 0.999))
        if key and hmac.compare_digest(given.encode(), key.encode()):
            db.execute("DELETE FROM class_key_failures WHERE scope = ?", (client,))
            return
        _count_wrong(db, client, now)
    raise LabError("wrong_key")


def _count_wrong(db, client: str, now: float) -> None:
    """One more wrong key from ``client`` (and day-old counts forgotten)."""
    db.execute("DELETE FROM class_key_failures WHERE last < ?", (now - FORGET_AFTER,))
    db.execute("INSERT INTO class_key_failures (scope, failures, last) VALUES (?, 1, ?) "
               "ON CONFLICT(scope) DO UPDATE SET failures = failures + 1, last = ?",
               (client, now, now))


def reset_failures(store, given: str) -> int:
    """Forget every client's wrong keys (the CLI's ``key reset``); how many were held.

    ``given`` must be the class's key (as for :func:`check_cli_key`), checked without
    any wait, so a command line that a student's guesses slowed can still reset."""
    if not given:
        raise LabError("teacher_key_missing")
    right = _key_matches(store, given) is not False
    with store.transaction() as db:
        if right:
            return db.execute("DELETE FROM class_key_failures").rowcount
        _count_wrong(db, CLI, time.time())
    raise LabError("wrong_key")


def remember_key(store, key: str) -> None:
    """The server: record (a hash of) the key of the class it serves; a weak key raises
    ``weak_key`` (a class must not start on it)."""
    problem = key_problem(key)
    if problem is not None:
        raise problem
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
        check_key(store, given, "", CLI)   # counts it and raises wrong_key / key_wait


def cli_class_mode(store) -> bool:
    """Whether the CLI acts in a class: a key in ``$LAYERLAB_TEACHER_KEY``, or one that a
    class server recorded in this store."""
    return bool(os.environ.get(KEY_ENV, "").strip()) or _key_matches(store, "") is not None


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


def is_teacher_token(store, key: str, token: str, now: float | None = None) -> bool:
    """True when ``token`` was issued under the current ``key`` less than
    ``TOKEN_HOURS`` ago and not forgotten since."""
    if not key or not token:
        return False
    ready(store, SCHEMA)
    since = (time.time() if now is None else now) - TOKEN_SECONDS
    return bool(store.query("SELECT 1 FROM class_teacher_tokens WHERE digest = ? AND created > ?",
                            (_digest(key, token), since)))


def forget_teacher_token(store, key: str, token: str) -> None:
    ready(store, SCHEMA)
    with store.transaction() as db:
        db.execute("DELETE FROM class_teacher_tokens WHERE digest = ?", (_digest(key, token),))


def _digest(key: str, token: str) -> str:
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).hexdigest()
