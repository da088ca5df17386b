"""The translation table: every user-facing string, in English and Korean.

The table is assembled from one module per area (``core`` for the engine and CLI, one
per page) so that people can work on different pages without editing the same file;
a key may be defined only once. ``t(key, lang, **values)`` formats a string. A missing
key shows as the key itself, except with ``$LAYERLAB_STRICT_TEXT=1`` (the tests set it),
where it raises ``KeyError``.

Values are shown as people read them: a placeholder named ``dataset`` or ending in
``_dataset`` shows a registered dataset by its display name in ``lang`` (any other value,
e.g. a ``.npz`` path, as given), and ``run_status`` a run status by its name on the Train page.
In Korean the particle pairs written after placeholders ("은(는)", "(으)로" …) are then
resolved by the word before them (:mod:`builder.text.particles`).
"""
from __future__ import annotations

import os
from typing import Any

from builder.text import particles
from builder.text import (core, errors_classroom, errors_experiments, errors_inside, errors_layers,
                          errors_runtime, errors_safety, errors_trainer, serve, ui)

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
              errors_layers.TEXT, errors_runtime.TEXT, errors_safety.TEXT, errors_trainer.TEXT, serve.TEXT,
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
        text = template.format(**shown(values, lang))
    except (KeyError, IndexError, ValueError):
        text = template
    return particles.resolve(text) if lang == "ko" else text


def shown(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """``values`` with dataset ids and run status ids replaced by their display names."""
    from builder.datasets import DATASETS  # lazily: datasets imports the error layer
    out = dict(values)
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if (name == "dataset" or name.endswith("_dataset")) and value in DATASETS:
            out[name] = DATASETS[value].title.get(lang) or DATASETS[value].title["en"]
        elif name == "run_status" and f"train.status_{value}" in TEXT:
            out[name] = t(f"train.status_{value}", lang)
    return out


def default_language() -> str:
    """$LAYERLAB_LANG if set, else Korean for a Korean locale ($LC_ALL, $LANG), else English."""
    for name in ("LAYERLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
