"""Students: a checked display name, a random token per student, each one's current model.

Joining gives a student a token (``secrets.token_urlsafe``); the store keeps only its
SHA-256, and the browser keeps the token in a cookie, so the identity survives a refresh
and a new tab. A name must be 1–``MAX_NAME`` printable characters without markup
characters, not ``teacher``, and not another student's (compared case-blind, after
Unicode NFKC). A login identity (``st.login``) joins under its own name and may rejoin.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass

from builder.access import Actor
from builder.architecture import Architecture
from builder.classroom import TEACHER
from builder.classroom.tables import ready
from builder.errors import LabError

MAX_NAME = 40
MARKUP = set("<>&\"'`\\{}[]$")
CODE_SETTING = "class.code"      # the class code students must give to join ('' = none)

SCHEMA = """
CREATE TABLE IF NOT EXISTS class_roster (
    name TEXT PRIMARY KEY,
    folded TEXT NOT NULL UNIQUE,      -- the name compared case-blind
    token TEXT UNIQUE,                -- SHA-256 of the student's token (NULL for logins)
    login INTEGER NOT NULL DEFAULT 0, -- 1: the identity of an st.login account
    joined REAL NOT NULL,
    model TEXT,                       -- the student's current architecture JSON
    updated REAL
);
"""


@dataclass(frozen=True)
class Student:
    name: str
    joined: float
    login: bool
    model_json: str | None
    updated: float | None

    @property
    def model(self) -> Architecture | None:
        return Architecture.from_json(self.model_json) if self.model_json else None


def clean_name(name: object) -> str:
    """The name as stored (NFKC, inner spaces collapsed), or LabError saying what is wrong."""
    if not isinstance(name, str):
        raise LabError("name_empty")
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    if not text:
        raise LabError("name_empty")
    if len(text) > MAX_NAME:
        raise LabError("name_too_long", limit=MAX_NAME, got=len(text))
    if any(c in MARKUP or not c.isprintable() for c in text) or "://" in text:
        raise LabError("name_bad_chars", chars="< > & \" ' ` \\ { } [ ] $")
    if text.casefold() == TEACHER:
        raise LabError("name_reserved", name=text)
    return text


def join(store, name: object, code: str = "", now: float | None = None) -> tuple[Actor, str]:
    """Add a student; returns their actor and the token for their browser (shown nowhere)."""
    expected = str(store.get_setting(CODE_SETTING, "") or "")
    if expected and not hmac.compare_digest(code.strip().casefold().encode(),
                                            expected.strip().casefold().encode()):
        raise LabError("wrong_class_code")
    text = clean_name(name)
    token = secrets.token_urlsafe(32)
    ready(store, SCHEMA)
    with store.transaction() as db:
        if db.execute("SELECT 1 FROM class_roster WHERE folded = ?", (text.casefold(),)).fetchone():
            raise LabError("name_taken", name=text)
        db.execute("INSERT INTO class_roster (name, folded, token, joined) VALUES (?, ?, ?, ?)",
                   (text, text.casefold(), _hash(token), time.time() if now is None else now))
    return Actor(text), token


def join_login(store, identity: str) -> Actor:
    """The actor of an ``st.login`` identity (e-mail or name), added on its first visit."""
    text = clean_name(identity[:MAX_NAME])
    ready(store, SCHEMA)
    if store.query("SELECT 1 FROM class_roster WHERE folded = ? AND login = 1", (text.casefold(),)):
        return Actor(text)   # the usual case, on every script run: no write
    with store.transaction() as db:
        row = db.execute("SELECT name, login FROM class_roster WHERE folded = ?",
                         (text.casefold(),)).fetchone()
        if row is not None and not row[1]:
            raise LabError("name_taken", name=text)
        if row is None:
            db.execute("INSERT INTO class_roster (name, folded, login, joined) VALUES (?, ?, 1, ?)",
                       (text, text.casefold(), time.time()))
    return Actor(text)


def actor_for(store, token: str) -> Actor | None:
    """The student whose token this is, or None (unknown, or removed by the teacher)."""
    if not token:
        return None
    ready(store, SCHEMA)
    rows = store.query("SELECT name FROM class_roster WHERE token = ?", (_hash(token),))
    return Actor(rows[0][0]) if rows else None


def set_model(store, name: str, arch: Architecture) -> None:
    """Remember ``name``'s current model for the teacher view (no-op for unknown names)."""
    ready(store, SCHEMA)
    with store.transaction() as db:
        db.execute("UPDATE class_roster SET model = ?, updated = ? WHERE name = ?",
                   (arch.to_json(indent=None), time.time(), name))


def students(store) -> list[Student]:
    """Every student, in joining order."""
    ready(store, SCHEMA)
    return [Student(r["name"], r["joined"], bool(r["login"]), r["model"], r["updated"])
            for r in store.query("SELECT * FROM class_roster ORDER BY joined, name", ())]


def remove(store, name: str, *, actor: Actor) -> None:
    """The teacher takes a student off the roster (their token stops working; runs stay)."""
    if not actor.teacher:
        raise LabError("teacher_only")
    ready(store, SCHEMA)
    with store.transaction() as db:
        db.execute("DELETE FROM class_roster WHERE name = ?", (name,))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

