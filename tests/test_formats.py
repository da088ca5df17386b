"""builder.formats: one way to write accuracy, gaps, places, seconds, counts, statuses,
times and percent axes; and the run names built on it (builder.run_names)."""
from __future__ import annotations

import time

import pytest

from builder import formats
from builder.architecture import Architecture, Layer
from builder.run_names import default_name, signature
from builder.text import LANGUAGES, TEXT

L = Layer.make
STATUSES = ("queued", "running", "stopping", "stopped", "completed", "diverged", "failed",
            "interrupted")


def test_accuracy_reads_in_percent_with_the_same_decimals_everywhere():
    assert formats.percent(0.9476) == "94.76 %"
    assert formats.percent(1.0) == "100.00 %" and formats.percent(0.0) == "0.00 %"
    assert formats.percent(None) == formats.MISSING
    assert formats.points(0.94762) == 94.76 and formats.points(None) is None
    assert formats.PERCENT_COLUMN % formats.points(0.9476) == formats.percent(0.9476)


def test_the_gap_and_the_places_moved_carry_their_sign_in_symbols_not_colour():
    assert formats.gap(0.90, 0.60) == "+30.00 %"
    assert formats.gap(0.60, 0.61) == "−1.00 %"
    assert formats.gap(0.5, 0.5) == "±0.00 %"
    assert formats.gap(0.5, None) == formats.MISSING
    assert [formats.moved(n) for n in (2, -1, 0, None)] == ["↑2", "↓1", "0", formats.MISSING]


def test_seconds_counts_and_clock():
    assert formats.seconds(12.34) == "12.3 s" and formats.seconds(None) == formats.MISSING
    assert [formats.compact(n) for n in (812, 3000, 44_634, 225_034, 1_200_000)] == [
        "812", "3k", "44.6k", "225k", "1.2M"]
    when = time.mktime((2026, 5, 4, 7, 6, 0, 0, 0, -1))
    assert formats.clock(when) == "07:06"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_reads_in_words(lang):
    for code in STATUSES:
        words = formats.status(code, lang)
        assert words == TEXT[f"compare.status_{code}"][lang]
        assert lang == "en" or words != code


@pytest.mark.parametrize("low, high", [(0.79, 0.81), (0.1, 0.95), (0.8, 0.8), (0.801, 0.8034),
                                       (0.0, 1.0), (0.9001, 0.9002), (0.97, 0.995)])
def test_a_percent_axis_never_repeats_a_label_and_covers_the_data(low, high):
    values, labels = formats.percent_ticks(low, high)
    assert len(labels) == len(set(labels)) >= 2
    assert values[0] <= low + 1e-12 and values[-1] >= high - 1e-12
    assert all(label.endswith(" %") for label in labels)


def test_a_run_name_tells_two_designs_apart():
    small = Architecture((28, 28, 1), (L("Conv2D", filters=8), L("Flatten"),
                                       L("Dense", units=10, activation="softmax")), "mnist-cnn")
    big = Architecture((28, 28, 1), (L("Conv2D", filters=8), L("Conv2D", filters=16),
                                     L("Flatten"), L("Dropout", rate=0.5),
                                     L("Dense", units=10, activation="softmax")), "mnist-cnn")
    assert signature(small, "mnist").startswith("1×Conv · 1×Dense · ")
    assert signature(big, "mnist").startswith("2×Conv · 1×Dense · 1×Drop · ")
    assert default_name("민준", big, "mnist") == f"민준 · {signature(big, 'mnist')}"
    assert default_name("민준", small, "mnist") != default_name("민준", big, "mnist")
    assert default_name("", small, "mnist") == signature(small, "mnist")
