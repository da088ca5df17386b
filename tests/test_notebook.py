"""The notebook export: valid nbformat v4, the tutorial's six steps in the UI's language,
the same code as the script, and nothing a stock Colab lacks (tests/test_exports_run.py
executes it)."""
from __future__ import annotations

import ast
import json

import nbformat
import pytest

from builder import cli
from builder.analysis import analyse
from builder.codegen import export_script
from builder.notebook import Outcome, export_notebook
from builder.settings import TrainSettings
from builder.templates import TEMPLATES
from builder.text import t

STEPS = [f"nb.step{i}" for i in range(1, 7)]


def cells(text: str) -> list[nbformat.NotebookNode]:
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    return notebook.cells


def section(found: list[nbformat.NotebookNode], key: str, lang: str) -> str:
    """The code cell right after the Markdown cell headed ``t(key)``."""
    heading = f"## {t(key, lang)}"
    at = next(i for i, c in enumerate(found) if c.cell_type == "markdown"
              and c.source.startswith(heading))
    assert found[at + 1].cell_type == "code", key
    return found[at + 1].source


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_template_gives_a_valid_notebook_in_the_six_steps(name, lang):
    template = TEMPLATES[name]
    found = cells(export_notebook(template.architecture, template.dataset, lang=lang))
    headings = [c.source.split("\n")[0] for c in found if c.cell_type == "markdown"]
    steps = [h for h in headings if h[3:4].isdigit()]
    assert steps == [f"## {t(key, lang)}" for key in STEPS]
    for cell in found:
        if cell.cell_type == "code":
            compile(cell.source, name, "exec")
    assert found[-1].cell_type == "code" and headings[-1] == f"## {t('nb.try', lang)}"


def test_the_notebook_teaches_what_the_issue_lists():
    arch, settings = TEMPLATES["lenet5"].architecture, TrainSettings(
        optimizer="rmsprop", learning_rate=0.01, batch_size=32, epochs=3, validation_split=0.2)
    found = cells(export_notebook(arch, "fashion_mnist", settings, "en"))
    total = analyse(arch).total_params
    assert "keras.__version__" in section(found, "nb.setup", "en")
    assert "from keras.datasets import fashion_mnist" in section(found, "nb.step1", "en")
    assert "fashion_mnist.load_data()" in section(found, "nb.data", "en")
    layers = section(found, "nb.step3", "en")
    assert layers.count("# layer ") == len(arch.layers) and layers.endswith("model.summary()")
    assert f"**{total:,}**" in next(c.source for c in found if c.source.startswith("## 3."))
    assert "RMSprop(learning_rate=0.01)" in section(found, "nb.step4", "en")
    assert ("epochs=3, batch_size=32, validation_split=0.2"
            in section(found, "nb.step5", "en"))
    assert "history.history" in section(found, "nb.plot", "en")
    assert "model.evaluate(x_test, y_test)" in section(found, "nb.step6", "en")
    assert "'Sneaker'" in section(found, "nb.confusion", "en")
    assert "model.save('model.keras')" in section(found, "nb.save", "en")
    knob = section(found, "nb.try", "en")
    assert "learning_rate = 0.001" in knob and "RMSprop(learning_rate=learning_rate)" in knob


def test_the_notebook_and_the_script_share_their_code():
    arch = TEMPLATES["inception-small"].architecture
    script = export_script(arch, "cifar10", lang="en")
    code = [c.source for c in cells(export_notebook(arch, "cifar10", lang="en"))
            if c.cell_type == "code"]
    for block in code[1:6]:  # imports, data, create, layers, compile: verbatim in the script
        assert block in script


def skeleton(source: str) -> str:
    """The code's statements with every string literal blanked (comments are not in it)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


def test_language_changes_the_words_not_the_code():
    arch = TEMPLATES["mnist-cnn"].architecture
    korean, english = (cells(export_notebook(arch, "mnist", lang=lang)) for lang in ("ko", "en"))
    assert korean[3].source.startswith("## 1. 라이브러리 임포트")
    assert english[3].source.startswith("## 1. Import libraries")
    assert ([skeleton(c.source) for c in korean if c.cell_type == "code"]
            == [skeleton(c.source) for c in english if c.cell_type == "code"])


def imported(found: list[nbformat.NotebookNode]) -> set[str]:
    names = set()
    for cell in found:
        for node in ast.walk(ast.parse(cell.source) if cell.cell_type == "code" else ast.Module()):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", TEMPLATES)
def test_it_needs_only_keras_numpy_and_matplotlib(name):
    template = TEMPLATES[name]
    found = cells(export_notebook(template.architecture, template.dataset))
    assert imported(found) == {"keras", "numpy", "matplotlib"}


def test_a_run_notebook_states_what_layerlab_reached():
    arch = TEMPLATES["mlp"].architecture
    found = cells(export_notebook(arch, "mnist", lang="en",
                                  outcome=Outcome(7, "wide mlp", 5, 0.9731, 0.0912)))
    said = next(c.source for c in found if "run 7" in c.source)
    assert "97.31%" in said and "0.0912" in said and "5 epochs" in said and "wide mlp" in said
    at = [c.source for c in found].index(said)
    assert found[at - 1].source.startswith("loss, accuracy = model.evaluate")


def test_the_cli_writes_a_notebook(tmp_path, capsys):
    target = tmp_path / "m.ipynb"
    assert cli.main(["export", "resnet-small", "--format", "ipynb", "-o", str(target),
                     "--lang", "ko"]) == 0
    found = cells(target.read_text(encoding="utf-8"))
    assert found[3].source.startswith("## 1. 라이브러리 임포트")
    assert "cifar10.load_data()" in section(found, "nb.data", "ko")
    assert json.loads(target.read_text())["metadata"]["kernelspec"]["name"] == "python3"
