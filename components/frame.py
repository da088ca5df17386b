"""Make sure every page runs inside app.py's frame (navigation, language switch, layout).

Streamlit treats a ``pages/`` folder next to the entry script as an old-style (v1)
multipage app until the first ``st.navigation`` call of the server process. So when the
very first visit after a server start is a direct link such as ``/train``, Streamlit runs
``pages/train.py`` alone: no sidebar of ours, no language switch, no wide layout. A page
that finds itself in that mode switches it off and reruns, which runs ``app.py`` and lands
on the same page through ``st.navigation``.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require() -> None:
    """Call first in every page script."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
