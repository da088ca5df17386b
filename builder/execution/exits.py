"""Why a trainer process ended, as its parent (executor or pool) sees it, or as another
server sees it (a server restarted, or a second one on the same store).

A trainer killed with SIGKILL while the kernel's out-of-memory killer struck (its
``oom_kill`` counter rose since the trainer started) ran out of memory: the run's error is
``out_of_memory`` with the forecast peak memory next to it. Any other death is the plain
``interrupted``. Without the exit status (not our child), a rise of the counter since the
trainer wrote it into the run's progress (``progress["oom_kills"]``, same machine) is
taken as the cause. The counters are the machine's (``/proc/vmstat``) and this cgroup's
(``memory.events`` in cgroup v2, ``memory.oom_control`` in v1), whichever can be read.
"""
from __future__ import annotations

import signal
import socket
from pathlib import Path

from builder.errors import LabError
from builder.store import Run

OOM_COUNTERS = (Path("/proc/vmstat"), Path("/sys/fs/cgroup/memory.events"),
                Path("/sys/fs/cgroup/memory/memory.oom_control"))


def oom_kills() -> int | None:
    """How many processes the out-of-memory killer ended so far (None: cannot tell)."""
    counts = []
    for path in OOM_COUNTERS:
        try:
            lines = path.read_text().splitlines()
        except OSError:
            continue
        counts += [int(line.split()[1]) for line in lines if line.startswith("oom_kill ")]
    return sum(counts) if counts else None


def exit_error(run: Run, returncode: int, oom_kills_before: int | None) -> LabError:
    """The run's error for a trainer that ended with ``returncode`` mid-run."""
    now = oom_kills()
    killed = returncode == -signal.SIGKILL
    if killed and now is not None and oom_kills_before is not None and now > oom_kills_before:
        return LabError("out_of_memory", memory=forecast_memory(run))
    return LabError("interrupted")


def unseen_exit_error(run: Run) -> LabError:
    """The run's error for a dead trainer that was not our child: no exit status to read,
    so an out-of-memory kill on this machine since it started counts as the cause."""
    progress = run.progress or {}
    before, now = progress.get("oom_kills"), oom_kills()
    here = progress.get("node") == socket.gethostname()
    if here and isinstance(before, int) and now is not None and now > before:
        return LabError("out_of_memory", memory=forecast_memory(run))
    return LabError("interrupted")


def forecast_memory(run: Run) -> str:
    """The run's forecast peak memory (``builder.forecast``), e.g. ``3.4 GB``; ``?`` when
    its dataset's size is not known here."""
    from builder import forecast
    from builder.datasets import DATASETS
    info = DATASETS.get(run.dataset)
    images = info.train_images if info else run.settings.limit
    if not images:
        return "?"
    cost = forecast.estimate(run.architecture, images, run.settings, forecast.cached_calibration())
    return f"{cost.peak_memory_bytes / 1e9:.1f} GB"
