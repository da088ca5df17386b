"""Where the model is kept outside class mode: the tab's URL, written the moment it changes
(AppTest). A run cut short after the change (a refresh ends the old session's run) still
left the new model in the URL, so the refresh finds it."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from builder.templates import TEMPLATES
from components import share, summary

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_the_url_holds_the_model_before_the_page_is_drawn(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    seed = at.query_params[share.ARCH_PARAM]
    monkeypatch.setattr(summary, "metrics", lambda *args: st.stop())  # the run ends early
    at.selectbox(key="template_choice").select("lenet5").run()
    assert at.query_params[share.ARCH_PARAM] != seed
    assert share.decode(at.query_params[share.ARCH_PARAM]) == TEMPLATES["lenet5"].architecture


def test_undo_of_the_dataset_moves_the_url_too():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.selectbox(key="dataset_choice").select("cifar10").run()
    assert at.query_params[share.DATASET_PARAM] == "cifar10"
    at.button(key="undo").click().run()
    assert at.query_params[share.DATASET_PARAM] == "mnist"
