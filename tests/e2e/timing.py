"""Time limits for browser tests, scaled to how busy the machine is.

At the start of a session a probe times a fixed piece of pure-Python work; every limit is
multiplied by how much slower it ran than on a quiet 2-core machine, or by the load per
core if that is higher, and by ``SHARED`` when other pytest-xdist workers run beside the
browser tests, between 1 and ``MAX_FACTOR``. Tests wait on conditions with these
limits (``scaled(20_000)``), never for fixed times, so a busy machine makes them slower,
not red. ``LAYERLAB_TEST_SLOWNESS`` overrides the probe (e.g. ``4`` beside a CPU hog).
"""
from __future__ import annotations

import os
import time
from functools import cache

QUIET_PROBE_S = 0.25   # the probe's time on a quiet 2-core machine (measured)
MAX_FACTOR = 8.0
SHARED = 1.5           # the other xdist workers' tests share the cores with the browser's
SLOWNESS_ENV = "LAYERLAB_TEST_SLOWNESS"


def _probe() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i
    return time.perf_counter() - started


@cache
def factor() -> float:
    """How much longer than on a quiet machine things take now (≥ 1)."""
    given = os.environ.get(SLOWNESS_ENV)
    if given:
        return min(max(float(given), 1.0), MAX_FACTOR)
    load_per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
    measured = min(_probe() for _ in range(2)) / QUIET_PROBE_S
    shared = SHARED if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1 else 1.0
    return min(max(measured, load_per_core, 1.0) * shared, MAX_FACTOR)


def scaled(ms: float) -> int:
    """``ms`` milliseconds on a quiet machine, scaled to this one."""
    return int(ms * factor())


def scaled_s(seconds: float) -> float:
    return seconds * factor()
