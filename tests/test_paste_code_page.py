"""The Build page's "Paste Keras code" box (AppTest): code opens its model through the same
path as a file upload (undo works), and code LayerLab cannot read lists each line's problem."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from components.files import PASTE_KEY, read_upload

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FIXTURES = Path(__file__).parent / "fixtures" / "keras_code"


def files_tab(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    at.session_state["build_tabs"] = "저장 / 불러오기" if lang == "ko" else "Save / load"
    return at.run()


def total(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label in ("Total params", "전체 파라미터"))


def test_pasted_tutorial_code_opens_its_model_and_undo_brings_the_old_one_back():
    at = files_tab()
    assert total(at) == "225,034"
    at.text_area(key=PASTE_KEY).set_value((FIXTURES / "tutorial_cifar10.py").read_text())
    at.button(key="paste-load").click().run()
    assert not at.exception
    assert total(at) == "227,146" and at.session_state["dataset_choice"] == "cifar10"
    assert any("pasted code" in s.value for s in at.success)
    at.button(key="undo").click().run()
    assert total(at) == "225,034"


def test_code_it_cannot_read_lists_the_lines_and_changes_nothing():
    at = files_tab("ko")
    at.text_area(key=PASTE_KEY).set_value(
        "import keras\nimport os\nmodel = keras.Sequential([keras.layers.LSTM(8)])\n")
    at.button(key="paste-load").click().run()
    shown = " ".join(e.value for e in at.error)
    assert "2번째 줄" in shown and "3번째 줄" in shown and "LSTM" in shown
    assert total(at) == "225,034"


def test_a_py_upload_is_read_as_code():
    arch = read_upload((FIXTURES / "tutorial_mnist.py").read_bytes(), code=True)
    assert arch.input_shape == (28, 28, 1) and len(arch.layers) == 7
