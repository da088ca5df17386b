"""The server's shared services: one run store and one executor per server, used by every
page. Pages and components reach the store and the process machinery only through here
(``services.store()``, ``services.executor()``), so tests replace them in one place.
"""
from __future__ import annotations

import subprocess
import sys

import streamlit as st

from builder.errors import LabError
from builder.execution.executor import Executor
from builder.execution.factory import get_executor
from builder.execution.tf_env import ROOT, child_environment
from builder.store import STORE_ENV, Store, default_path
from builder.text import t
from components import safe
from components.lang import current as current_language


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store.open(path)


@st.cache_resource(show_spinner=False)
def _executor(path: str) -> Executor:
    return get_executor(_store(path))


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
