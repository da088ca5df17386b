"""The fault-injection benchmark survives every fault it throws (bench/faults.py)."""
from __future__ import annotations

import pytest

from bench import faults


@pytest.mark.slow
def test_every_fault_is_survived_with_nothing_lost(capsys):
    outcomes = faults.run_all(with_trainer=False)
    assert len(outcomes) >= 26   # issue 11's and issue 23's faults
    assert [o.fault for o in outcomes if not o.survived] == [], capsys.readouterr().out
