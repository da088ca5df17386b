"""Saved models: each person's current model (the draft they are editing) and the named
models they keep ("My models"), each with its dataset and training settings.

A saved model belongs to its owner (an :class:`~builder.access.Actor` name). Only the
owner or the teacher may read, list, write or delete it: every method takes the owner and
the acting ``actor`` and checks :func:`builder.access.may_change` first, so a student can
never reach another's work through the store.
"""
from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import dataclass

from builder.access import Actor, may_change
from builder.architecture import Architecture
from builder.errors import LabError
from builder.settings import TrainSettings

CURRENT = ""          # the name of the draft being edited
MAX_NAME = 60
MAX_MODELS = 50       # named models per owner
DRAFTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    owner TEXT NOT NULL,
    name TEXT NOT NULL,          -- '' = the model being edited
    architecture TEXT NOT NULL,  -- Architecture JSON
    dataset TEXT NOT NULL,
    settings TEXT,               -- JSON of TrainSettings, or NULL
    updated REAL NOT NULL,
    PRIMARY KEY (owner, name)
);
"""


@dataclass(frozen=True)
class Draft:
    """A saved model with its dataset and (when chosen) its training settings."""

    owner: str
    name: str
    architecture: Architecture
    dataset: str
    settings: TrainSettings | None
    updated: float


class Drafts:
    """Each owner's current model and named models (see the module docstring)."""

    def save_model(self, owner: str, arch: Architecture, dataset: str,
                   settings: TrainSettings | None = None, name: str = CURRENT, *,
                   actor: Actor) -> None:
        """Keep ``arch`` (with its dataset and settings) as ``owner``'s model ``name``
        (``CURRENT``: the one being edited), replacing one of that name."""
        _check(actor, owner)
        name = model_name(name) if name != CURRENT else CURRENT
        with self.transaction() as db:
            if name != CURRENT and not db.execute(
                    "SELECT 1 FROM drafts WHERE owner = ? AND name = ?", (owner, name)).fetchone():
                count = db.execute("SELECT COUNT(*) FROM drafts WHERE owner = ? AND name != ''",
                                   (owner,)).fetchone()[0]
                if count >= MAX_MODELS:
                    raise LabError("models_full", limit=MAX_MODELS)
            db.execute(
                "INSERT OR REPLACE INTO drafts (owner, name, architecture, dataset, settings, "
                "updated) VALUES (?, ?, ?, ?, ?, ?)",
                (owner, name, arch.to_json(indent=None), dataset,
                 json.dumps(settings.to_dict()) if settings is not None else None, time.time()))

    def saved_model(self, owner: str, name: str = CURRENT, *, actor: Actor) -> Draft | None:
        """``owner``'s model ``name``, or None when there is none."""
        _check(actor, owner)
        rows = self.query("SELECT * FROM drafts WHERE owner = ? AND name = ?", (owner, name))
        return _draft(rows[0]) if rows else None

    def saved_models(self, owner: str, *, actor: Actor) -> list[Draft]:
        """``owner``'s named models, newest first (not the one being edited)."""
        _check(actor, owner)
        rows = self.query("SELECT * FROM drafts WHERE owner = ? AND name != '' "
                          "ORDER BY updated DESC, name", (owner,))
        return [_draft(r) for r in rows]

    def delete_model(self, owner: str, name: str, *, actor: Actor) -> None:
        """Forget ``owner``'s named model ``name`` (``model_missing`` when there is none)."""
        _check(actor, owner)
        with self.transaction() as db:
            gone = db.execute("DELETE FROM drafts WHERE owner = ? AND name = ? AND name != ''",
                              (owner, name)).rowcount
        if not gone:
            raise LabError("model_missing", name=name[:MAX_NAME])


def model_name(name: object) -> str:
    """A named model's name, trimmed; refused when empty, too long or holding control
    characters or line breaks."""
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > MAX_NAME or any(unicodedata.category(c)[0] in "CZ" and c != " "
                                               for c in text):
        raise LabError("model_name", limit=MAX_NAME)
    return text


def _check(actor: Actor, owner: str) -> None:
    if not owner or not may_change(actor, owner):
        raise LabError("model_not_owner")


def _draft(row) -> Draft:
    settings = json.loads(row["settings"]) if row["settings"] else None
    return Draft(row["owner"], row["name"], Architecture.from_json(row["architecture"]),
                 row["dataset"], TrainSettings.from_dict(settings) if settings else None,
                 row["updated"])
