"""Our Custom Components (v2): each is ``layerlab.<name>``, made of ``<name>.html``,
``<name>.css`` and ``<name>.js`` next to the module that draws it (a file that is not
there is left out; ``html`` may be given inline instead)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st


def component(name: str, folder: Path, html: str | None = None) -> Any:
    """Register ``layerlab.<name>`` from the files in ``folder``; returns what draws it."""
    parts = {kind: (folder / f"{name}.{kind}").read_text(encoding="utf-8")
             for kind in ("html", "css", "js") if (folder / f"{name}.{kind}").is_file()}
    if html is not None:
        parts["html"] = html
    return st.components.v2.component(f"layerlab.{name}", **parts)
