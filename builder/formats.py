"""How LayerLab writes numbers and statuses, the same on every page, in the CSV and the CLI.

Accuracy is a share in [0, 1] everywhere inside LayerLab and is shown in percent with
:data:`DIGITS` decimals ("94.76 %"); tables that sort keep it a number in percent points
(:func:`points`) drawn with :data:`PERCENT_COLUMN`. A missing value is "—", never None.
A status is shown in words from the translation table, never as its code.
"""
from __future__ import annotations

import math
import time

from builder.text import t

DIGITS = 2
MISSING = "—"
PERCENT_COLUMN = f"%.{DIGITS}f %%"  # printf format for a column of percent points


def percent(share: float | None) -> str:
    """``0.9476`` → ``"94.76 %"``; None → ``"—"``."""
    return MISSING if share is None else f"{share * 100:.{DIGITS}f} %"


def points(share: float | None) -> float | None:
    """``0.94762`` → ``94.76``: a share as percent points, rounded as shown (tables, CSV)."""
    return None if share is None else round(share * 100, DIGITS)


def gap(public: float | None, private: float | None) -> str:
    """Public minus private accuracy in signed percent points: ``"+3.10 %"``, ``"−1.00 %"``."""
    if public is None or private is None:
        return MISSING
    diff = round((public - private) * 100, DIGITS)
    return f"{'+' if diff > 0 else '−' if diff < 0 else '±'}{abs(diff):.{DIGITS}f} %"


def moved(places: int | None) -> str:
    """Places gained or lost at Reveal: ``"↑2"``, ``"↓1"``, ``"0"``; None → ``"—"``."""
    if places is None:
        return MISSING
    return "0" if places == 0 else f"{'↑' if places > 0 else '↓'}{abs(places)}"


def seconds(value: float | None) -> str:
    """``12.34`` → ``"12.3 s"``."""
    return MISSING if value is None else f"{value:.1f} s"


def compact(number: float) -> str:
    """``500``, ``3k``, ``1.5k``, ``44.6k``, ``1M``: three significant digits at most."""
    rounded = float(f"{number:.3g}")
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= size:
            return f"{rounded / size:g}{suffix}"
    return f"{rounded:g}"


def status(code: str, lang: str) -> str:
    """A run's status in words (``completed`` → "완료" in Korean)."""
    return t(f"compare.status_{code}", lang)


def clock(when: float) -> str:
    """A Unix time as the local ``HH:MM``."""
    return time.strftime("%H:%M", time.localtime(when))


def percent_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], list[str]]:
    """Tick positions (shares) and labels for a percent axis over [``low``, ``high``]: a
    round step (1, 2, 2.5 or 5 × 10^k points, at least 0.01) and as many decimals as it
    needs, so no two labels read the same ("80 %, 80 %" cannot happen)."""
    low, high = min(low, high) * 100, max(low, high) * 100
    if high - low < 1:  # flat data: a one-point window around it
        low, high = (low + high) / 2 - 0.5, (low + high) / 2 + 0.5
    raw = (high - low) / max(target - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = max(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw), 10 ** -DIGITS)
    decimals = next(d for d in range(DIGITS + 1) if abs(round(step, d) - step) < 1e-9)
    first = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - first) / step - 1e-9) + 1
    values = [round(first + i * step, decimals) for i in range(count)]
    return [v / 100 for v in values], [f"{v:.{decimals}f} %" for v in values]
