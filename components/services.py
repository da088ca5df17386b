"""The server's shared services: one run store and one executor per server, used by every
page. Pages and components reach the store and the process machinery only through here
(``services.store()``, ``services.executor()``), so tests replace them in one place.

Pages that poll (the live run, Compare's pair, the experiment, the leaderboard) read
through :func:`shared` instead of each asking the store every tick: thirty watchers of a
run cost one read of it per tick, and a figure is built once per new row, not per viewer.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable

import streamlit as st

from builder.errors import LabError
from builder.execution.executor import Executor
from builder.execution.factory import get_executor
from builder.execution.tf_env import ROOT, child_environment
from builder.store import STORE_ENV, Metric, Run, Store, default_path
from builder.text import t
from components import safe
from components.lang import current as current_language


_kept: dict[tuple[str, str], Any] = {}
_keeping = threading.Lock()


def _one(kind: str, path: str, make: Callable[[str], Any]) -> Any:
    """``make(path)``, made once per kind and store path for the whole server. Pages ask
    for these several times a tick, so this is a dict lookup (``st.cache_resource`` hashes
    its arguments through ``inspect.signature`` at every call)."""
    value = _kept.get((kind, path))
    if value is None:
        with _keeping:
            value = _kept.get((kind, path))
            if value is None:
                value = _kept[(kind, path)] = make(path)
    return value


def _store(path: str) -> Store:
    return _one("store", path, Store.open)


def _executor(path: str) -> Executor:
    return _one("executor", path, lambda p: get_executor(_store(p)))


def store() -> Store:
    """The run store at ``$LAYERLAB_STORE`` (or the default path), opened once per server.
    A store that cannot be opened at all (damaged, nowhere to create it) ends the page with
    one clear message; a read-only one opens (``Store.read_only`` says why)."""
    try:
        return _store(str(default_path()))
    except LabError as exc:
        st.error(safe.escape(exc.text(current_language())), icon=":material/database:")
        st.stop()


def executor() -> Executor:
    """The executor; when the store is read-only the page says why nothing can change."""
    reason = store().read_only
    if reason:
        st.warning(safe.escape(t("error.store_unwritable", current_language(), path=str(store().path),
                                 reason=reason, env=STORE_ENV)), icon=":material/lock:")
    return _executor(str(default_path()))


def start_worker(module: str, *args: str) -> subprocess.Popen:
    """A short-lived worker process (``python -m module args…``) in its own session, with
    the environment of every TensorFlow process; its output is discarded."""
    return subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT,
                            env=child_environment(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


# ---------------------------------------------------------------- what live pages share

TICK = 0.5   # seconds: what a live page shows is at most this old
KEPT = 256   # shared results kept (figures, tables), the least recently used dropped first
UNWATCHED = 60.0  # seconds after which the rows of a run nobody watches are let go


class Shared:
    """What every session watching the same thing shares, per server and per tick: one
    ``recover()`` (dead-trainer detection), one store read per run, one figure per run
    and new rows. Thread-safe (sessions run in threads of their own)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recovered = float("-inf")
        self._runs: dict[int, tuple[float, Run, list[Metric]]] = {}
        self._built: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()

    def recover(self, store: Store) -> None:
        """``store.recover()``, at most once a tick for the whole server."""
        with self._lock:
            now = time.monotonic()
            if now - self._recovered < TICK:
                return
            self._recovered = now
        store.recover()

    def run(self, store: Store, run_id: int) -> tuple[Run, list[Metric]]:
        """The run and all its metric rows, read at most once a tick (new rows only).
        Continue deletes a stopped epoch's partial rows and raises the planned epochs: the
        rows are read afresh then."""
        with self._lock:
            read, run, rows = self._runs.get(run_id, (float("-inf"), None, []))
            if time.monotonic() - read < TICK:
                return run, rows
            rows = rows + store.metrics(run_id, after=rows[-1].id if rows else 0)
            fresh = store.run(run_id)  # after the rows: the progress is never behind the chart
            if run is not None and fresh.settings.epochs != run.settings.epochs:
                rows = store.metrics(run_id)
            now = time.monotonic()
            self._runs = {i: r for i, r in self._runs.items() if now - r[0] < UNWATCHED}
            self._runs[run_id] = (now, fresh, rows)
            return fresh, rows

    def forget(self, run_id: int) -> None:
        """Read the run afresh next time, and whether its trainer still lives (a page run,
        or this session just changed it: Stop, Continue)."""
        with self._lock:
            self._runs.pop(run_id, None)
            self._recovered = float("-inf")

    def built(self, name: Hashable, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``'s result for ``name``, built again only when ``key`` changed (e.g. a
        figure per run and language, keyed by its newest row): a tick without new rows
        builds nothing."""
        with self._lock:
            kept = self._built.get(name)
            if kept is not None and kept[0] == key:
                self._built.move_to_end(name)
                return kept[1]
        value = build()
        with self._lock:
            self._built[name] = (key, value)
            self._built.move_to_end(name)
            while len(self._built) > KEPT:
                self._built.popitem(last=False)
        return value

    def every(self, name: Hashable, seconds: float, build: Callable[[], Any]) -> Any:
        """``build()``'s result for ``name``, built at most once per ``seconds`` for the
        whole server (what a polling view reads from the store: a leaderboard, an experiment)."""
        return self.built(name, int(time.monotonic() // seconds), build)


def shared() -> Shared:
    """The server's :class:`Shared` for its store (one for all sessions)."""
    return _one("shared", str(store().path), lambda _: Shared())


def recover() -> None:
    """Mark runs of dead trainers interrupted: once per server per tick, for every poller."""
    shared().recover(store())


def live_run(run_id: int) -> tuple[Run, list[Metric]]:
    """The run and its metric rows as of this tick, one store read shared by all watchers."""
    return shared().run(store(), run_id)
