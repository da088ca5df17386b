"""Warm the server at start: import what the first page needs before anyone asks for it.

``app.py`` hands :func:`lifespan` to the server, which calls it when it starts, so
the modules below load while the first visitor's browser is still fetching Streamlit's
own files, not after it asked for the Build page. TensorFlow is never among them.
"""
from __future__ import annotations

import importlib
import threading
from contextlib import asynccontextmanager
from typing import AsyncIterator

MODULES = (
    "streamlit.emojis",  # Streamlit compiles its emoji pattern on the first non-ASCII label
    "numpy", "builder.text", "builder.analysis", "builder.templates",
    "components.state", "components.files", "components.lang", "components.steps",
    "components.toolbar", "components.summary", "components.canvas", "components.problems",
    "components.editor", "components.diagram", "components.compare.pair",
    "pandas", "pyarrow",  # the Build page's table, then the Train and Compare pages
    "components.training.setup", "components.training.live", "components.training.evaluation",
)


def warm() -> None:
    """Import :data:`MODULES` (a module that fails is left for the page to report)."""
    for name in MODULES:
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
