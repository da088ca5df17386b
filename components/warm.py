"""Warm the server at start: import what the first page needs before anyone asks for it.

``app.py`` hands :func:`lifespan` to the server, which calls it when it starts, so
the modules below load while the first visitor's browser is still fetching Streamlit's
own files, not after it asked for the Build page. TensorFlow is never among them.

Two steps: :data:`FIRST` (the Build page up to its palette) at once; :data:`THEN` (pandas
for the Build page's table, then the Train and Compare pages) once a Build page has drawn
its palette (:func:`palette_drawn`), or after :data:`THEN_AFTER_S` without a visitor. An
import holds the interpreter's lock, so pandas loading beside the first page's script run
would slow the palette down by as much.
"""
from __future__ import annotations

import importlib
import threading
from contextlib import asynccontextmanager
from typing import AsyncIterator, Iterable

FIRST = (
    "streamlit.emojis",  # Streamlit compiles its emoji pattern on the first non-ASCII label
    "numpy", "builder.text", "builder.analysis", "builder.templates",
    "components.state", "components.files", "components.lang", "components.steps",
    "components.toolbar", "components.summary", "components.canvas", "components.problems",
    "components.editor", "components.diagram", "components.compare.pair",
)
THEN = (
    "pandas", "pyarrow",  # the Build page's table, then the Train and Compare pages
    "components.training.setup", "components.training.live", "components.training.evaluation",
)
THEN_AFTER_S = 5.0
_palette = threading.Event()


def palette_drawn() -> None:
    """A Build page has sent its palette: the rest may load now without slowing it."""
    _palette.set()


def warm() -> None:
    """Import :data:`FIRST`, then, once a palette was drawn (or no one came), :data:`THEN`."""
    _import(FIRST)
    _palette.wait(THEN_AFTER_S)
    _import(THEN)


def _import(names: Iterable[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page shows the real error when it imports it
            continue


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """The server's start (``st.App``'s lifespan): warm in a background thread, so the
    server answers at once and the imports overlap with the browser's own loading."""
    threading.Thread(target=warm, name="layerlab-warm", daemon=True).start()
    yield None
