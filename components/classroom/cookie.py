"""Read and write this browser's identity cookies.

Streamlit reads cookies (``st.context.cookies``) but cannot set them, so a tiny Custom
Components v2 component does it in the browser: ``SameSite=Strict``, ``Path=/``,
``Secure`` over HTTPS. The value is a random token; it never appears in a URL or on the
page (the component draws nothing).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import custom

MAX_AGE = 12 * 3600  # a school day
PENDING = "class_cookie_pending"

_component = custom.component("cookie", Path(__file__).parent, html="<span></span>")


def read(name: str) -> str:
    """The cookie's value sent with this page load ('' when none or no browser)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser behind this run (bare mode)
        return ""
    return value if isinstance(value, str) else ""


def write(name: str, value: str) -> None:
    """Set (or with '' delete) the cookie, from the next script run on until it is written."""
    st.session_state.setdefault(PENDING, {})[name] = value


def flush() -> None:
    """Draw the writer for cookies set in this session (call once per script run)."""
    for name, value in st.session_state.get(PENDING, {}).items():
        _component(key=f"cookie_{name}", data={"name": name, "value": value, "max_age": MAX_AGE})
