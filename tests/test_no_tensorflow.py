"""The Streamlit server never imports TensorFlow or Keras while people build models.

A fresh interpreter (so no other test's imports count) loads the app, edits the model
the way the Build page does (template, dataset, parameter, undo, every tab drawn) and
then reports which of the forbidden modules got imported.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60)
at.session_state["selected"] = (0,)
at.run()
at.selectbox(key="template_choice").select("resnet-small").run()
at.selectbox(key="dataset_choice").select("mnist").run()
at.session_state["selected"] = (1, 0, 0)
at.run()
key = next(w.key for w in at.number_input if w.key.endswith("-filters"))
at.number_input(key=key).set_value(16).run()
at.button(key="undo").click().run()
codes = 0
for tab in ("Summary table", "Diagram", "Save / load", "Share link", "Python code"):
    at.session_state["build_tabs"] = tab  # only the open tab is drawn: open each in turn
    at.run()
    codes = max(codes, len(at.code))
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
print(json.dumps({"errors": [e.value for e in at.exception], "loaded": loaded,
                  "codes": codes}))
"""


def test_building_a_model_imports_no_tensorflow_or_keras():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["codes"] >= 3  # formula, worked numbers, share link, script: all drawn
    assert result["loaded"] == []
