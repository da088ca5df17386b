"""Make sure every page runs inside app.py's frame (navigation, language switch, layout).

Streamlit treats a ``pages/`` folder next to the entry script as an old-style (v1)
multipage app until the first ``st.navigation`` call of the server process. So when the
very first visit after a server start is a direct link such as ``/train``, Streamlit runs
``pages/train.py`` alone: no sidebar of ours, no language switch, no wide layout. A page
of a session that app.py has never framed switches the v1 mode off and reruns, which
runs app.py and lands on the same page through ``st.navigation``.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

FRAMED = "framed"
# Streamlit's own "Running… / Stop" in the header: on pages that poll the run store it
# flickers all the time, and its Stop stops a redraw, never a training run.
QUIET = "<style>[data-testid='stStatusWidget'] { display: none; }</style>"


def enter() -> None:
    """app.py: this session runs inside the frame."""
    st.session_state[FRAMED] = True


def require() -> None:
    """Call first in every page script."""
    if not st.session_state.get(FRAMED) and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def quiet_status() -> None:
    """Hide Streamlit's running indicator and its Stop button on this page."""
    st.html(QUIET)
