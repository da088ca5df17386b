"""Every export runs (issue 25.2): each template's script and notebook, executed end to end
on tiny generated data through the files' own ``DATA_FILE`` switch, prints a model summary
whose total is LayerLab's count, trains, evaluates (and the notebook plots, saves and tries
its knob).

To stay fast, one Python process runs all the scripts and one Jupyter kernel (nbclient)
runs all the notebooks, each after ``%reset -f`` so none sees another's variables."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.codegen import SWITCH, export_script
from builder.notebook import export_notebook
from builder.settings import TrainSettings
from builder.templates import TEMPLATES
from tests.test_codegen import BLOCKS

pytestmark = pytest.mark.slow
L = Layer.make
QUICK = TrainSettings(epochs=1, batch_size=16, validation_split=0.25)
TRAIN, TEST = 24, 10  # 18 images to fit: two batches
TOTAL = re.compile(r"Total params: ([\d,]+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DIGITS = Architecture((8, 8, 1), (L("Conv2D", filters=4, padding="same"),
                                  L("Residual", [L("Conv2D", filters=4, padding="same")]),
                                  L("Flatten"), L("Dense", units=10, activation="softmax")), "d")
# The kernel's environment as a user's: without MPLBACKEND=Agg, which importing Streamlit
# (another test's) sets in this process, so the notebook keeps its inline plots.
ENV = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"}, "TF_CPP_MIN_LOG_LEVEL": "3"}


def tiny(path: Path, shape: tuple[int, ...], classes: int, seed: int) -> Path:
    """Random pixels in Keras's own layout (CIFAR's labels as a column, like Keras's)."""
    rng = np.random.default_rng(seed)
    column = len(shape) == 3
    arrays = {}
    for split, n in (("train", TRAIN), ("test", TEST)):
        labels = np.arange(n) % classes
        arrays[f"x_{split}"] = rng.integers(0, 256, (n, *shape), dtype=np.uint8)
        arrays[f"y_{split}"] = labels.reshape(-1, 1) if column else labels
    np.savez(path, **arrays)
    return path


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, tuple[Architecture, str, Path | None]]:
    """Name → (architecture, dataset, the .npz its DATA_FILE switch is set to)."""
    folder = tmp_path_factory.mktemp("exports")
    grey, colour = (tiny(folder / "grey.npz", (28, 28), 10, 0),
                    tiny(folder / "colour.npz", (32, 32, 3), 10, 1))
    found: dict[str, tuple[Architecture, str, Path | None]] = {
        name: (tpl.architecture, tpl.dataset, colour if tpl.dataset == "cifar10" else grey)
        for name, tpl in TEMPLATES.items()}
    found["npz-blocks"] = (BLOCKS, str(tiny(folder / "own.npz", (12, 12, 3), 3, 2)), None)
    found["digits"] = (DIGITS, "digits", None)  # scikit-learn's offline set, switch left off
    return found


def switched(source: str, data: Path | None) -> str:
    """``source`` with its one documented switch pointed at ``data`` (as a user would)."""
    if data is None:
        return source
    line = f"{SWITCH} = None"
    assert source.count(line) == 1
    return source.replace(line, f"{SWITCH} = {str(data)!r}")


def printed_totals(text: str) -> list[int]:
    """The totals of the ``model.summary()`` tables in ``text`` (colour codes ignored)."""
    plain = ANSI.sub("", text)
    return [int(found.replace(",", "")) for found in TOTAL.findall(plain)]


DRIVER = """
import runpy, sys
for path in sys.argv[1:]:
    print("=== " + path, flush=True)
    runpy.run_path(path, run_name="__main__")
"""


def test_every_script_runs_and_prints_layerlab_s_count(cases, tmp_path):
    """All templates, a model on its own .npz and one on the offline digits set."""
    for name, (arch, dataset, data) in cases.items():
        (tmp_path / f"{name}.py").write_text(switched(export_script(arch, dataset, QUICK, "en"), data))
    (tmp_path / "driver.py").write_text(DRIVER)
    done = subprocess.run([sys.executable, "driver.py", *(f"{n}.py" for n in cases)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=900, env=ENV)
    assert done.returncode == 0, done.stderr[-3000:]
    outputs = dict(part.split("\n", 1) for part in done.stdout.split("=== ")[1:])
    for name, (arch, _, _) in cases.items():
        output = outputs[f"{name}.py"]
        assert printed_totals(output) == [analyse(arch).total_params], name
        assert "Test accuracy:" in output, name


def texts(cell: nbformat.NotebookNode) -> str:
    """What a code cell printed: streams and the plain text of displays."""
    return "".join(out.get("text", "") if out.output_type == "stream"
                   else out.get("data", {}).get("text/plain", "") for out in cell.outputs)


def test_every_notebook_runs_and_prints_layerlab_s_count(cases, tmp_path):
    from nbclient import NotebookClient
    notebooks = {}  # the templates (the other cases only vary the data step, tested above)
    for name, (arch, dataset, data) in cases.items():
        if name not in TEMPLATES:
            continue
        notebook = nbformat.reads(export_notebook(arch, dataset, QUICK, "ko"), as_version=4)
        data_cell, = (c for c in notebook.cells if c.cell_type == "code" and SWITCH in c.source)
        data_cell.source = switched(data_cell.source, data)
        notebooks[name] = notebook
    client = NotebookClient(next(iter(notebooks.values())), timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel(env=ENV):
        for name, notebook in notebooks.items():
            client.execute_cell(nbformat.v4.new_code_cell("%reset -f"), 0)
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)  # raises CellExecutionError on an error
            code = [c for c in notebook.cells if c.cell_type == "code"]
            printed = "".join(map(texts, code))
            assert printed_totals(printed) == [analyse(cases[name][0]).total_params], name
            images = sum("image/png" in out.get("data", {}) for c in code for out in c.outputs)
            assert images == 2, name  # loss and accuracy, then the confusion matrix
            assert "학습률 0.0001: 테스트 정확도" in texts(code[-1]), name
            assert (tmp_path / "model.keras").stat().st_size > 0
            (tmp_path / "model.keras").unlink()
    nbformat.validate(notebooks["mnist-cnn"])
    json.dumps(notebooks["mnist-cnn"])  # outputs stayed plain JSON
