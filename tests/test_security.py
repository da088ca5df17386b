"""Security rules that can be checked in the code itself, plus the cheap behavioural ones.

- no eval, exec or pickle anywhere user input could reach (the whole app, not the tests);
- no raw HTML: no ``unsafe_allow_html``, and the canvas's JavaScript never parses strings
  as HTML (``innerHTML`` and friends), never evaluates them;
- every Keras ``load_model`` call — in our code and in the scripts we export — passes
  ``safe_mode=True``, and a checkpoint carrying Python code is refused, not run;
- uploads are size-limited and the server binds to this computer only by default.
"""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from builder import architecture, datasets, templates
from builder.codegen import export_script
from builder.errors import LabError

ROOT = Path(__file__).resolve().parents[1]
APP_DIRS = ("builder", "components", "pages", "bench")
PYTHON = sorted([ROOT / "app.py", *(p for d in APP_DIRS for p in (ROOT / d).rglob("*.py"))])
WEB = sorted(p for p in (ROOT / "components").rglob("*") if p.suffix in (".js", ".html"))

FORBIDDEN_PY = re.compile(r"\beval\(|\bexec\(|\bimport (c?pickle|marshal|shelve|dill)\b|"
                          r"\bfrom (c?pickle|marshal|shelve|dill) import|\bpickle\.|"
                          r"allow_pickle\s*=\s*True|unsafe_allow_html\s*=\s*True|yaml\.load\(|"
                          r"joblib\.load\(")
FORBIDDEN_WEB = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|"
                           r"\beval\(|new Function\b|setTimeout\(\s*['\"`]")


def offending(paths: list[Path], pattern: re.Pattern) -> list[str]:
    return [f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}:{n}: {line.strip()}" for p in paths
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line)]


def test_the_files_checked_are_really_there():
    names = {p.relative_to(ROOT).as_posix() for p in PYTHON + WEB}
    assert {"app.py", "builder/datasets.py", "pages/build.py", "components/canvas/canvas.js"} <= names


def test_no_eval_exec_pickle_or_raw_html_in_the_app():
    assert offending(PYTHON, FORBIDDEN_PY) == []


def test_the_canvas_never_turns_strings_into_html_or_code():
    assert offending(WEB, FORBIDDEN_WEB) == []


def test_the_forbidden_patterns_do_match_what_they_forbid(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nx = eval(s)\nnp.load(f, allow_pickle=True)\n"
                   "st.markdown(s, unsafe_allow_html=True)\nallow_pickle=False\n")
    assert len(offending([bad], FORBIDDEN_PY)) == 4
    js = tmp_path / "bad.js"
    js.write_text("el.innerHTML = name;\nel.textContent = name;\n")
    assert len(offending([js], FORBIDDEN_WEB)) == 1


def load_model_calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "load_model"]


def safe(call: ast.Call) -> bool:
    return any(k.arg == "safe_mode" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in call.keywords)


def test_every_keras_load_model_call_passes_safe_mode_true():
    calls = [(p, c) for p in PYTHON for c in load_model_calls(ast.parse(p.read_text(encoding="utf-8")))]
    assert calls, "expected the trainer to load checkpoints"
    assert [f"{p.relative_to(ROOT)}:{c.lineno}" for p, c in calls if not safe(c)] == []


@pytest.mark.parametrize("name", ["mnist-cnn", "cifar10-cnn"])
def test_exported_scripts_load_models_safely(name):
    script = export_script(templates.get(name).architecture, templates.get(name).dataset)
    assert all(safe(c) for c in load_model_calls(ast.parse(script)))
    assert not FORBIDDEN_PY.search(script)


def test_uploads_have_size_limits():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    upload_mb = config["server"]["maxUploadSize"]
    assert 1 <= upload_mb <= 200
    assert upload_mb * 1024 * 1024 <= datasets.MAX_FILE_BYTES
    with pytest.raises(LabError) as caught:
        architecture.Architecture.from_json(b" " * (architecture.MAX_BYTES + 1))
    assert caught.value.code == "too_big"


def test_the_server_listens_on_this_computer_only_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["address"] in ("localhost", "127.0.0.1")
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert config.get("browser", {}).get("gatherUsageStats") is False


@pytest.mark.slow
def test_a_checkpoint_carrying_python_code_is_refused_not_run(tmp_path):
    """Continue loads the run's ``last`` checkpoint: a Lambda layer in it must not execute."""
    import keras

    from builder import trainer
    from builder.settings import TrainSettings
    from builder.store import Store
    from tests import tiny

    marker = tmp_path / "code-ran"
    where = str(marker)
    inputs = keras.Input((8, 8, 1))
    hidden = keras.layers.Lambda(lambda x: (open(where, "w").close(), x)[1])(inputs)
    outputs = keras.layers.Dense(tiny.CLASSES, activation="softmax")(keras.layers.Flatten()(hidden))
    evil = tmp_path / "last.keras"
    keras.Model(inputs, outputs).save(evil)
    marker.unlink()  # tracing the model while saving ran the lambda once; start clean

    store = Store.open(tmp_path / "runs.sqlite")
    data = str(tiny.write_npz(tmp_path / "tiny.npz"))
    run_id = store.create_run(tiny.model(), data, TrainSettings(epochs=2, batch_size=32))
    store.record_epochs(run_id, 1, 1.0)  # a continued run: the trainer loads ``last``
    store.add_artifact(run_id, "last", evil)
    store.claim(1, 0, run_id)
    assert trainer.train(store, run_id) == "failed"
    assert not marker.exists()
    assert store.run(run_id).error_text("en")
