"""Showing user strings (layer names, file names) inside Markdown as plain text."""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: str) -> str:
    """``text`` for Markdown: HTML and Markdown syntax shown literally, never interpreted."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)
