"""Showing user and file strings inside Markdown as plain text: the one place that does.

Streamlit renders Markdown in ``st.markdown``, ``st.error``/``warning``/``info``/``success``,
``st.caption``, ``st.toast``, subheaders and expander labels. Anything a person or a file
chose — run, model and file names, class names, layer types from a share link, and every
LabError or problem text (their values come from files) — goes through :func:`escape`
(or :func:`error` for a LabError) before it reaches one of them, so links, images, HTML,
LaTeX (``$``), Streamlit directives (``:red[…]``, ``:material/icon:``) and bare URLs show
as the characters they are (the last two with an invisible WORD JOINER inside).
Translation templates are ours and are not escaped.
"""
from __future__ import annotations

import re

from builder.errors import LabError

# Escaped wherever they stand: emphasis, code, links and images (brackets), tables, math,
# strikethrough and the backslash itself.
_ANYWHERE = re.compile(r"([\\`*\[\]|~$])")
# "_" outside a word (emphasis) is escaped; inside one (x_train) it means nothing.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# GFM autolinks (http://, www., e-mail) and Streamlit's icons and emoji (:material/x:,
# :smile:) are found in the text after escapes are resolved, so a backslash cannot stop
# them: an invisible WORD JOINER after the ":", "www" or "@" does.
JOINER = "\u2060"
_IN_TEXT = re.compile(r"(?<=:)(?=[\w/])|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
# At a line start: headings, lists, setext underlines and ordered-list numbers ("1." / "1)").
_LINE_START = re.compile(r"^([ \t]*)([-+=#]|\d+(?=[.)]))", re.MULTILINE)


def escape(text: str) -> str:
    """``text`` for Markdown: HTML and Markdown syntax shown literally, never interpreted.

    Punctuation that means nothing where it stands (``mnist-cnn``, ``x_train``, ``0.1``,
    ``(a: b)``) is left alone, so the Markdown source reads like the text."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _ANYWHERE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _IN_TEXT.sub(JOINER, text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    indent, mark = match.groups()
    if mark[0].isdigit():  # "1." → "1\." : the number stays, the list marker goes
        return f"{indent}{mark}\\"
    return f"{indent}\\{mark}"


def plot_text(text: str) -> str:
    """``text`` for a Plotly label (legend, hover text, tick): Plotly reads a few HTML tags
    there (``<a href>``, ``<b>``, ``<br>``, ``<span style>``); escaped, they show as typed."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error(exc: LabError, lang: str) -> str:
    """A LabError's message for Markdown: the sentence with its values (file names, layer
    types, reasons) shown literally. Error texts are plain sentences, never Markdown."""
    return escape(exc.text(lang))
