"""Our worker processes serve the server second and never outlive it.

Every process the server (or a CLI) starts — trainers, pool workers, the inference
worker — is started with :func:`spawn` and calls :func:`follow_parent` first thing:

* it lowers its own CPU priority by :data:`NICENESS` (``os.nice``; the threads it starts
  later, TensorFlow's included, inherit it), so with every trainer busy the server still
  answers a click at once; the trainer writes the niceness into its run's progress;
* it ends when its parent ends, however that happens (SIGTERM, Ctrl+C, SIGKILL): on
  Linux the kernel sends it SIGTERM (``prctl(PR_SET_PDEATHSIG)``), and everywhere a
  thread notices within :data:`WATCH` seconds that it was handed over to another parent.

``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends, and Streamlit
runs each page script in a thread of its own; :func:`spawn` therefore starts children
from one long-lived thread of the server, so they live exactly as long as the server.
A run whose trainer ended that way is marked ``interrupted`` by the next ``recover()``
(its pid is gone) and can be continued; queued runs stay queued for the next server.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

PARENT_ENV = "LAYERLAB_PARENT"   # the pid a child follows (set by spawn)
NICENESS = 10                    # how much lower than its parent a worker runs
WATCH = 0.5                      # seconds between the fallback's looks at the parent
PR_SET_PDEATHSIG = 1

_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layerlab-spawner")


def spawn(argv: list[str], env: dict[str, str], **options: Any) -> subprocess.Popen:
    """``subprocess.Popen(argv, env=env, **options)`` from the long-lived spawner thread,
    telling the child whom to follow."""
    env = {**env, PARENT_ENV: str(os.getpid())}
    return _SPAWNER.submit(subprocess.Popen, argv, env=env, **options).result()


def follow_parent() -> int:
    """In a child of :func:`spawn`: lower this process's priority and end it when its
    parent ends; returns the niceness now. Without ``$LAYERLAB_PARENT`` (run by hand)
    only the priority changes."""
    niceness = lower_priority()
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit():
        _die_with(int(parent))
    return niceness


def lower_priority(step: int = NICENESS) -> int:
    """Run this process ``step`` nicer than it does now (never less nice); its niceness."""
    try:
        return os.nice(step)
    except OSError:  # not allowed here: run as is
        return os.nice(0)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(0)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="layerlab-lifeline").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH)
    os.kill(os.getpid(), signal.SIGTERM)
