"""Which heavy packages does some code import? Asked of a fresh interpreter, so that no
other test's imports count."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("tensorflow", "keras")


def imported_after(code: str, forbidden: tuple[str, ...] = HEAVY, env: dict | None = None,
                   timeout: int = 120) -> list[str]:
    """Run ``code`` at the repository root; return which of ``forbidden`` it imported.

    The code must succeed (a failing run fails the calling test with its stderr)."""
    report = ("\nimport sys as _sys, json as _json\n"
              f"print(_json.dumps(sorted({{m.split('.')[0] for m in _sys.modules}} & {set(forbidden)!r})))")
    done = subprocess.run([sys.executable, "-c", code + report], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
