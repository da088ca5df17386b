"""The translation table: every user-facing string, in English and Korean.

The table is assembled from one module per area (``core`` for the engine and CLI, one
per page) so that people can work on different pages without editing the same file;
a key may be defined only once. ``t(key, lang, **values)`` formats a string. A missing
key shows as the key itself, except with ``$LAYERLAB_STRICT_TEXT=1`` (the tests set it),
where it raises ``KeyError``.
"""
from __future__ import annotations

import os
from typing import Any

from builder.text import (core, errors_classroom, errors_experiments, errors_inside, errors_layers,
                          errors_runtime, errors_safety, errors_trainer, ui)

LANGUAGES = ("en", "ko")
STRICT_ENV = "LAYERLAB_STRICT_TEXT"


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"text keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


TEXT = _merge(core.TEXT, errors_classroom.TEXT, errors_experiments.TEXT, errors_inside.TEXT,
              errors_layers.TEXT, errors_runtime.TEXT, errors_safety.TEXT, errors_trainer.TEXT,
              *ui.TABLES)


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The text for ``key`` in ``lang`` (English when missing), with ``values`` filled in."""
    entry = TEXT.get(key)
    if entry is None:
        if os.environ.get(STRICT_ENV) == "1":
            raise KeyError(f"no text for {key!r}")
        return key
    template = entry.get(lang) or entry["en"]
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def default_language() -> str:
    """$LAYERLAB_LANG if set, else Korean for a Korean locale ($LC_ALL, $LANG), else English."""
    for name in ("LAYERLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
