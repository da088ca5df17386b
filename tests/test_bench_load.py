"""bench/load.py's count of runs training at once, from their start and end times."""
from types import SimpleNamespace

from bench.load import most_at_once


def run(started, finished):
    return SimpleNamespace(started=started, finished=finished)


def test_runs_that_overlap_are_counted_at_once_and_back_to_back_ones_are_not():
    assert most_at_once([]) == 0
    assert most_at_once([run(0, 5), run(5, 9), run(9, None)]) == 1   # one worker, in turn
    assert most_at_once([run(0, 5), run(1, 6), run(2, 3), run(None, None)]) == 3
    assert most_at_once([run(0, 5), run(4, 8), run(6, 9)]) == 2
