"""The interface language: chosen in the sidebar, defaulting to the browser's locale."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from builder.text import LANGUAGES, t
from components import custom

KEY, WIDGET = "lang", "lang_choice"
_PAGE_LANG = custom.component("page_lang", Path(__file__).parent, html="<span></span>")
NAMES = {"ko": "한국어", "en": "English"}


def from_locale(locale: str | None) -> str:
    """Korean for a ``ko`` locale (``ko``, ``ko-KR``), English otherwise."""
    return "ko" if (locale or "").lower().startswith("ko") else "en"


def browser_locale() -> str | None:
    """``navigator.language`` when the browser sent it, else the Accept-Language header."""
    try:
        return st.context.locale or st.context.headers.get("Accept-Language")
    except Exception:  # no browser behind this run (AppTest, bare mode)
        return None


def current() -> str:
    """The chosen language; the first call in a session takes the browser's."""
    if st.session_state.get(KEY) not in LANGUAGES:
        st.session_state[KEY] = from_locale(browser_locale())
    return st.session_state[KEY]


def switch() -> str:
    """The language switch (한국어 / English) in the sidebar; returns the language."""
    st.session_state[WIDGET] = current()
    st.sidebar.segmented_control(t("app.language", current()), LANGUAGES, key=WIDGET,
                                 format_func=NAMES.get, required=True, on_change=_chosen)
    with st.sidebar:  # <html lang> follows the interface language (page_lang.js)
        _PAGE_LANG(key="page_lang", data={"lang": current()})
    return current()


def _chosen() -> None:
    if st.session_state.get(WIDGET) in LANGUAGES:
        st.session_state[KEY] = st.session_state[WIDGET]
