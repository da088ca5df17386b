"""The first page a visitor sees stays light (issue 14 §4, bench/cold_start.py measures it):
the Build page's modules load without pandas or pyarrow, and of its tabs only the open one
is drawn."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.isolation import imported_after

APP = str(Path(__file__).resolve().parents[1] / "app.py")
BUILD_MODULES = ("import streamlit\n"
                 "from components import canvas, diagram, editor, files, frame, lang, problems, "
                 "state, steps, summary\n"
                 "from components.compare.pair import train_on_both_button\n"
                 "from components.toolbar import template_about, toolbar\n")


def test_the_build_pages_modules_load_without_pandas():
    assert imported_after(BUILD_MODULES, ("pandas", "pyarrow")) == []


def test_only_the_open_tab_of_the_build_page_is_drawn():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and not at.get("plotly_chart")  # the summary table only
    at.session_state["build_tabs"] = "Diagram"
    at.run()
    assert len(at.get("plotly_chart")) == 1 and not at.dataframe


WARM_IN_TWO_STEPS = """
import sys, threading, time
from components import warm
warm.THEN_AFTER_S = 300
worker = threading.Thread(target=warm.warm)
worker.start()
while not all(name in sys.modules for name in warm.FIRST):
    time.sleep(0.01)
assert "pandas" not in sys.modules  # not beside the first page's script run
warm.palette_drawn()
worker.join(300)
"""


def test_the_server_start_warms_the_first_page_then_pandas_once_a_palette_is_drawn():
    from streamlit.web.server.app_discovery import discover_asgi_app
    assert discover_asgi_app(Path(APP)).is_asgi_app  # `streamlit run app.py` finds the warm-up
    assert imported_after(WARM_IN_TWO_STEPS) == []  # no TensorFlow
    assert imported_after(WARM_IN_TWO_STEPS, ("pandas", "streamlit")) == [
        "pandas", "streamlit"]  # what the Build page's table needs, before a second visit


def test_the_rest_is_warmed_when_no_one_comes():
    code = "from components import warm\nwarm.THEN_AFTER_S = 0.1\nwarm.warm()"
    assert imported_after(code, ("pandas",)) == ["pandas"]
