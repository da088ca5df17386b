"""``python -m builder``: outputs, exit codes, one-line errors, and no TensorFlow."""
from __future__ import annotations

import json
import sys

import pytest

from tests.isolation import imported_after
from builder import cli
from builder.cli import models
from builder.cli.common import common
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.keras_json import from_keras_json, to_keras_json
from builder.templates import TEMPLATES
from builder.text import default_language

BROKEN = Architecture((28, 28, 1), (Layer.make("Flatten"), Layer.make("Conv2D"),
                                    Layer.make("Dense", units=10)), "broken")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_table_like_keras(capsys):
    code, out, err = run(capsys, "summary", "mnist-cnn", "--lang", "en")
    assert code == 0 and err == ""
    assert "conv2d_1 (Conv2D)" in out and "(None, 26, 26, 32)" in out
    assert f"Total params: {analyse(TEMPLATES['mnist-cnn'].architecture).total_params:,}" in out
    code, out, _ = run(capsys, "summary", "resnet-small", "--lang", "ko")
    assert code == 0 and "  conv2d_2_1_1 (Conv2D)" in out and "전체 파라미터" in out


def test_summary_json_is_one_object(capsys, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(TEMPLATES["inception-small"].architecture.to_json())
    code, out, _ = run(capsys, "summary", str(path), "--json", "--dataset", "cifar10")
    data = json.loads(out)
    assert code == 0 and data == analyse(TEMPLATES["inception-small"].architecture, 10).to_dict("ko")
    assert {"input_shape", "layers", "total_params", "trainable_params", "non_trainable_params",
            "flops", "problems"} <= data.keys()
    assert {"index", "type", "output_shape", "params", "flops"} <= data["layers"][0].keys()


def test_invalid_architecture_exits_2_with_problems_naming_position_and_type(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(BROKEN.to_json())
    code, out, err = run(capsys, "summary", str(path), "--json", "--lang", "en")
    assert code == 2 and json.loads(out)["problems"][0]["position"] == 2
    assert err.splitlines()[0].startswith("layer 2 (Conv2D):")
    code, out, err = run(capsys, "export", str(path), "--format", "python", "--lang", "en")
    assert code == 2 and out == "" and "layer 2 (Conv2D)" in err


@pytest.mark.parametrize("content, words", [
    (None, ["no such file"]),
    ("{not json", ["not valid JSON", "line 1"]),
    ('{"format": "layerlab.architecture", "version": 2, "input_shape": [28, 28, 1], '
     '"layers": [{"type": "Dense", "params": {"units": "x"}}]}', ["layer 1 (Dense)", "units"]),
    ('{"hello": 1}', ["neither"]),
    ('{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", '
     '"config": {"batch_shape": [null, 8, 8, 1]}}, {"class_name": "LSTM", "config": {}}]}}',
     ["layer 1 (LSTM)", "not supported"]),
])
def test_bad_files_are_one_clear_line(capsys, tmp_path, content, words):
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "summary", str(path), "--lang", "en")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err


def test_directories_and_unknown_templates(capsys, tmp_path):
    code, _, err = run(capsys, "summary", str(tmp_path), "--lang", "en")
    assert code == 2 and err.startswith("cannot read")
    code, _, err = run(capsys, "summary", "resnet-big", "--lang", "en")
    assert code == 2 and "resnet-small" in err


def test_exports(capsys, tmp_path):
    arch = TEMPLATES["resnet-small"].architecture
    code, out, _ = run(capsys, "export", "resnet-small", "--format", "keras-json")
    assert code == 0 and from_keras_json(out) == arch and out == to_keras_json(arch, indent=2) + "\n"
    code, out, _ = run(capsys, "export", "resnet-small", "--format", "layerlab-json")
    assert code == 0 and Architecture.from_json(out) == arch
    target = tmp_path / "train.py"
    code, out, err = run(capsys, "export", "resnet-small", "--format", "python", "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    script = target.read_text()
    assert "cifar10.load_data()" in script  # the dataset that fits the model
    compile(script, "train.py", "exec")
    code, _, err = run(capsys, "export", "mlp", "--format", "python", "-o", str(tmp_path / "no" / "x.py"))
    assert code == 2 and "no/x.py" in err


def test_templates_list_and_show(capsys):
    code, out, _ = run(capsys, "templates", "--lang", "en")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == list(TEMPLATES)
    code, out, _ = run(capsys, "templates", "show", "lenet5")
    assert code == 0 and Architecture.from_json(out) == TEMPLATES["lenet5"].architecture
    code, _, err = run(capsys, "templates", "show", "nope")
    assert code == 2 and "nope" in err


def test_usage_errors_and_unexpected_failures_are_not_tracebacks(capsys, monkeypatch):
    code, _, err = run(capsys, "export", "mlp", "--format", "pdf")
    assert code == 2 and "invalid choice" in err
    monkeypatch.setattr(models, "load_architecture", lambda spec: 1 / 0)
    code, _, err = run(capsys, "summary", "mlp", "--lang", "en")
    assert code == 1 and err.strip() == "unexpected error: ZeroDivisionError: division by zero"


def test_other_modules_can_add_commands(capsys, monkeypatch):
    module = type(sys)("extra_commands")

    def register(subparsers, lang):
        sub = subparsers.add_parser("hello", parents=[common(lang)])
        sub.set_defaults(run=lambda args: print(f"hello {args.lang}") or 0)

    module.register = register
    monkeypatch.setitem(sys.modules, "extra_commands", module)
    monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "extra_commands"])
    assert run(capsys, "hello", "--lang", "en")[:2] == (0, "hello en\n")


def test_python_m_builder_never_imports_tensorflow(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(to_keras_json(TEMPLATES["inception-small"].architecture))
    for argv in (["summary", str(path), "--json"], ["export", str(path), "--format", "python"],
                 ["export", "mlp", "--format", "keras-json"], ["export", "mlp", "--format", "ipynb"],
                 ["templates"]):
        code = (f"import sys, runpy; sys.argv = {['builder', *argv]!r}\n"
                "try:\n    runpy.run_module('builder', run_name='__main__')\n"
                "except SystemExit as exit:\n    assert exit.code == 0, exit.code")
        assert imported_after(code, timeout=60) == [], argv


def test_default_language_follows_the_locale(monkeypatch):
    monkeypatch.delenv("LAYERLAB_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert default_language() == "ko"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_language() == "en"
    monkeypatch.setenv("LAYERLAB_LANG", "ko")
    assert default_language() == "ko"
