"""The one error type LayerLab shows to people: a message code plus its numbers.

The text comes from the translation table, so the same error reads well in Korean and
English, in the CLI and in the app. ``str(error)`` is the English text. An error about
another message (a malformed layer, a model that cannot be built, a share link that
cannot be opened) passes that message as a value: values with a ``text(lang)`` method
(another LabError, an analysis Problem) or callables of the language are shown in the
error's language.
"""
from __future__ import annotations

from typing import Any


class LabError(ValueError):
    """An expected failure with a plain-language message (``code`` in the text table)."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args

    def text(self, lang: str = "en") -> str:
        from builder.text import t
        return t(f"error.{self.code}", lang, **{k: _shown(v, lang) for k, v in self.args_.items()})

    def __str__(self) -> str:
        return self.text("en")


def _shown(value: Any, lang: str) -> Any:
    """A value in ``lang``: an inner message's text, a callable's result, else the value."""
    if hasattr(value, "text") and callable(value.text):
        return value.text(lang)
    return value(lang) if callable(value) else value
