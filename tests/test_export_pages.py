"""The pages' side of the exports: Build's script and notebook downloads, the canvas's
rename refusing a name that could become code, and Compare's notebook of a run."""
from __future__ import annotations

import json

import nbformat
from streamlit.testing.v1 import AppTest

from builder.text import t
from components.compare import manage
from tests.test_build_page import APP, MNIST, build_page, canvas_data
from tests.test_compare_page import compare_page, finished


def test_a_layer_name_that_could_become_code_is_refused_next_to_the_field():
    at = build_page(selected=(0,))
    field = next(w for w in at.text_input if w.key.endswith("-__name"))
    field.input("x\u2028import os; os.system('touch pwned')").run()
    refused = [e.value for e in at.error if "control characters" in e.value and "U+2028" in e.value]
    assert len(refused) == 2, [e.value for e in at.error]  # under the field and in Problems
    assert canvas_data(at)["stack"][0]["name"] == MNIST.layers[0].name
    next(w for w in at.text_input if w.key.endswith("-__name")).input("first conv").run()
    assert canvas_data(at)["stack"][0]["name"] == "first conv"
    assert not [e for e in at.error if "control characters" in e.value]


def test_build_offers_the_script_and_the_notebook():
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["build_tabs"] = t("build.tab_code", "en")
    at.run()
    keys = [b.key for b in at.get("download_button")]
    assert {"save-script", "save-notebook"} <= set(keys), keys
    assert any("model.summary()" in c.value for c in at.code)


def test_compare_downloads_a_run_as_a_notebook_with_its_result(store, executor):
    run_id = finished(store, "mnist", 0.9731)
    at = compare_page("ko")
    at.selectbox(key="compare_manage").set_value(run_id).run()
    assert "compare_notebook" in [b.key for b in at.get("download_button")]
    notebook = nbformat.reads(manage.run_notebook(store.run(run_id), "ko"), as_version=4)
    nbformat.validate(notebook)
    said = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert any(f"실행 {run_id}" in s and "97.31%" in s for s in said)
    assert any("epochs=2" in c.source for c in notebook.cells if c.cell_type == "code")
    assert json.loads(nbformat.writes(notebook))["nbformat"] == 4
