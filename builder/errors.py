"""The one error type LayerLab shows to people: a message code plus its numbers.

The text comes from the translation table, so the same error reads well in Korean and
English, in the CLI and in the app. ``str(error)`` is the English text.
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
        return t(f"error.{self.code}", lang, **self.args_)

    def __str__(self) -> str:
        return self.text("en")
