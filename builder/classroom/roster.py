"""Students: a checked display name, a random token per student, each one's current model.

Joining gives a student a token (``secrets.token_urlsafe``); the store keeps only its
SHA-256, and the browser keeps the token in a cookie, so the identity survives a refresh
and a new tab. The token ends when the student leaves (:func:`leave`) or after
``keys.TOKEN_HOURS`` (a school day); the name stays theirs, with their runs, until the
teacher removes it from the roster. A login identity (``st.login``) joins under its own
name and may rejoin.

A name must be 1–``MAX_NAME`` printable characters without markup characters, visible
(no format characters, Hangul fillers or other blanks), and must not look like
``teacher`` or like another student's name. "Looks like" is :func:`name_key`: the
Unicode TR39 confusable skeleton (tables of the maintained ``confusable-homoglyphs``
package) of the NFKC form, case-blind and without accents, so "Τeacher" (Greek Tau),
"Аna" (Cyrillic A) and "Aná" all collide with what they imitate.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from builder.access import Actor
from builder.architecture import Architecture
from builder.classroom import TEACHER
from builder.classroom.keys import TOKEN_SECONDS
from builder.classroom.tables import ready
from builder.errors import LabError

MAX_NAME = 40
MARKUP_SHOWN = "< > & \" ' ` \\ { } [ ] $"
MARKUP = set(MARKUP_SHOWN.replace(" ", ""))
# printable yet blank: Hangul fillers, Braille blank (format characters such as U+200B
# are not printable, so refused as bad characters, as are line breaks, U+2028/2029 too)
BLANKS = set("\u115f\u1160\u3164\uffa0\u2800")
LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # str.splitlines' breaks
CODE_SETTING = "class.code"      # the class code students must give to join ('' = none)

SCHEMA = """
CREATE TABLE IF NOT EXISTS class_roster (
    name TEXT PRIMARY KEY,
    folded TEXT NOT NULL UNIQUE,      -- name_key(name): what the name looks like
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
    if any(c in LINE_BREAKS for c in name):
        raise LabError("name_bad_chars", chars=MARKUP_SHOWN)
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    if not text:
        raise LabError("name_empty")
    if len(text) > MAX_NAME:
        raise LabError("name_too_long", limit=MAX_NAME, got=len(text))
    if any(c in MARKUP or not c.isprintable() for c in text) or "://" in text:
        raise LabError("name_bad_chars", chars=MARKUP_SHOWN)
    if any(c in BLANKS for c in text) or not name_key(text):
        raise LabError("name_invisible")
    if name_key(text) == name_key(TEACHER):
        raise LabError("name_reserved", name=text)
    return text


def name_key(text: str) -> str:
    """What a name looks like: the TR39 skeleton of its NFKC form in capitals, casefolded
    and skeletonised again (so lookalikes in either case meet), without combining marks
    or spaces. Two names with one key are one name."""
    once = _skeleton(unicodedata.normalize("NFKC", text).upper()).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", _skeleton(once))
                   if not unicodedata.category(c).startswith(("M", "Z", "C")))


def _skeleton(text: str) -> str:
    """TR39 ``skeleton``: NFD, each character replaced by its prototype, NFD again."""
    table = _prototypes()
    mapped = "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Character → TR39 prototype, from ``confusable-homoglyphs`` (which stores each
    confusables.txt line both ways: a source lists only its prototype, a prototype lists
    its sources). Where a source and its prototype list only each other, which is which
    cannot be told, so both map to the smaller: equal skeletons stay equal."""
    from confusable_homoglyphs.confusables import confusables_data as data
    table: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or len(entries) != 1:
            continue
        target = entries[0]["c"]
        if len(target) != 1 or len(data.get(target, ())) > 1:
            table[char] = target
        else:
            table[char] = min(char, target)
    return table


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
        row = db.execute("SELECT name, token FROM class_roster WHERE folded = ?",
                         (name_key(text),)).fetchone()
        if row is not None:
            raise LabError("name_taken" if row[1] else "name_ended", name=row[0])
        db.execute("INSERT INTO class_roster (name, folded, token, joined) VALUES (?, ?, ?, ?)",
                   (text, name_key(text), _hash(token), time.time() if now is None else now))
    return Actor(text), token


def join_login(store, identity: str) -> Actor:
    """The actor of an ``st.login`` identity (e-mail or name), added on its first visit."""
    text = clean_name(identity[:MAX_NAME])
    key = name_key(text)
    ready(store, SCHEMA)
    rows = store.query("SELECT name FROM class_roster WHERE folded = ? AND login = 1", (key,))
    if rows:
        return Actor(rows[0][0])   # the usual case, on every script run: no write
    with store.transaction() as db:
        row = db.execute("SELECT name, login FROM class_roster WHERE folded = ?", (key,)).fetchone()
        if row is not None and not row[1]:
            raise LabError("name_taken", name=row[0])
        if row is None:
            db.execute("INSERT INTO class_roster (name, folded, login, joined) VALUES (?, ?, 1, ?)",
                       (text, key, time.time()))
    return Actor(row[0] if row else text)


def actor_for(store, token: str, now: float | None = None) -> Actor | None:
    """The student whose token this is, or None (unknown, ended by Leave, older than a
    school day, or removed by the teacher)."""
    if not token:
        return None
    ready(store, SCHEMA)
    since = (time.time() if now is None else now) - TOKEN_SECONDS
    rows = store.query("SELECT name FROM class_roster WHERE token = ? AND joined > ?",
                       (_hash(token), since))
    return Actor(rows[0][0]) if rows else None


def leave(store, token: str) -> None:
    """End a student's token on the server (Leave): replaying it identifies nobody."""
    if not token:
        return
    ready(store, SCHEMA)
    with store.transaction() as db:
        db.execute("UPDATE class_roster SET token = NULL WHERE token = ?", (_hash(token),))


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

