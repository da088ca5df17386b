"""Trainer processes as the store sees them: how long a lease lasts, whether a pid
lives, ending a stale one."""
from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path




def end_stale_trainer(pid: int) -> None:
    """SIGKILL a trainer process of ours whose lease was revoked (a paused one never
    resumes the run anyway); other processes (e.g. a foreground CLI) are left alone."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return
    if any(words[i:i + 2] == ["-m", name] for name in TRAINER_COMMANDS for i in range(len(words))):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` exists on this machine and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


STALE_SECONDS = 15.0   # a lease not renewed by a heartbeat for this long has expired
CLAIM_GRACE = 30.0     # the first lease of a claim: the trainer process still starts up
TRAINER_COMMANDS = ("builder.execution.executor", "builder.execution.pool")  # processes recover() may end
