"""Create this package's tables once per store object."""
from __future__ import annotations

import weakref

_done: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def ready(store, schema: str) -> None:
    """``store.ensure_schema(schema)`` the first time this store sees ``schema``."""
    seen = _done.setdefault(store, set())
    if schema not in seen:
        store.ensure_schema(schema)
        seen.add(schema)
