"""Numbers in words for the Train page: durations and counts with the right plural."""
from __future__ import annotations

from builder.text import t


def duration(seconds: float, lang: str) -> str:
    """< 1 s, 12 s, 3 min 5 s, 2 h 10 min."""
    s = int(round(seconds))
    if s < 1:
        return t("train.duration_s", lang, s="< 1")
    if s < 60:
        return t("train.duration_s", lang, s=s)
    if s < 3600:
        return t("train.duration_m", lang, m=s // 60, s=s % 60)
    return t("train.duration_h", lang, h=s // 3600, m=s % 3600 // 60)


def count(n: int, key: str, lang: str) -> str:
    """``1 epoch``, ``3 epochs`` (``key`` + ``_one`` for exactly one; Korean has no plural)."""
    return t(f"{key}_one" if n == 1 else key, lang, n=n)
