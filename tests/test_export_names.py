"""A name can never become code (issue 23.2).

Names with control characters or line separators are refused in every way in (files,
links, Keras JSON, the CLI, the canvas's rename); and even a name that got past those
checks reaches an exported script or notebook only as a comment or a literal, so its
statements are exactly those of a clean export."""
from __future__ import annotations

import ast
import json
from dataclasses import replace

import re

import nbformat
import pytest
from markdown_it import MarkdownIt

from builder import cli, edits
from builder.architecture import Architecture, LayerFormatError
from builder.codegen import export_script
from builder.errors import LabError
from builder.keras_json import from_keras_json, to_keras_json
from builder.notebook import Outcome, export_notebook
from builder.templates import TEMPLATES
from components import share

HOSTILE = [
    "\nimport os; os.system('touch pwned')",
    "x\rimport os; os.system('touch pwned')",
    "x\r\nimport os",
    "x\u2028import os",
    "x\u2029import os",
    "nul\x00byte",
    "tab\there",
    "vt\x0bimport os",
    "ff\x0cimport os",
    "nel\x85import os",
    "rs\x1eimport os",
    "zero\u200bwidth",
    "bom\ufeffname",
    "rtl\u202eoverride",
]
ALLOWED = ["'''", '"""', "\\", "'); import os; ('", "{name} {params}", "# #", "레이어 ✓",
           "<script>alert(1)</script>", "*bold* [link](javascript:alert(1)) `x`", "a" * 80]


def named(arch: Architecture, name: str) -> Architecture:
    """``arch`` with ``name`` on the model and on every top-level layer, set without any
    check (as if something got past them)."""
    return replace(arch, name=name, layers=tuple(replace(l, name=name) for l in arch.layers))


def file_with(name: str, where: str) -> dict:
    doc = TEMPLATES["mnist-cnn"].architecture.to_dict()
    if where == "model":
        doc["name"] = name
    else:
        doc["layers"][2]["name"] = name
    return doc


def refusal(exc: LabError) -> LabError:
    return exc.inner if isinstance(exc, LayerFormatError) else exc


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_refused_in_every_way_in(name, tmp_path, capsys):
    bad = f"U+{ord(next(c for c in name if not c.isprintable() or c == chr(0x200b))):04X}"
    for where in ("model", "layer"):
        with pytest.raises(LabError) as caught:
            Architecture.from_dict(file_with(name, where))
        assert refusal(caught.value).code == "name_control"
        assert bad in str(caught.value) and "line breaks" in str(caught.value)
    arch = TEMPLATES["mnist-cnn"].architecture
    with pytest.raises(LabError, match="control characters"):
        edits.rename(arch, (1,), name)
    with pytest.raises(share.LinkError, match="control characters"):
        share.decode(share.encode(named(arch, name)))
    keras = json.loads(to_keras_json(arch))
    keras["config"]["name"] = name
    with pytest.raises(LabError, match="control characters"):
        from_keras_json(json.dumps(keras))
    path = tmp_path / "m.json"
    path.write_text(json.dumps(file_with(name, "layer")))
    assert cli.main(["summary", str(path), "--lang", "en"]) != 0
    assert "control characters" in capsys.readouterr().err


@pytest.mark.parametrize("name", ALLOWED)
def test_odd_but_printable_names_still_load(name):
    assert Architecture.from_dict(file_with(name, "model")).name == name
    arch = edits.rename(TEMPLATES["mlp"].architecture, (0,), name)
    assert edits.get(arch, (0,)).name == name


def statements(source: str) -> str:
    return ast.dump(ast.parse(source))


def code_cells(text: str) -> list[str]:
    notebook = nbformat.reads(text, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("template", ["mnist-cnn", "resnet-small"])
@pytest.mark.parametrize("name", HOSTILE + ALLOWED)
def test_exports_of_any_name_hold_exactly_the_clean_statements(template, name):
    arch, dataset = TEMPLATES[template].architecture, TEMPLATES[template].dataset
    clean, hostile = named(arch, "clean"), named(arch, name)
    for lang in ("en", "ko"):
        script, expected = export_script(hostile, dataset, lang=lang), export_script(clean, dataset, lang=lang)
        assert statements(script) == statements(expected)
        assert len(script.splitlines()) == len(expected.splitlines())  # no editor-visible break
        cells, expected_cells = (code_cells(export_notebook(a, dataset, lang=lang))
                                 for a in (hostile, clean))
        assert [statements(c) for c in cells] == [statements(c) for c in expected_cells]
        assert [len(c.splitlines()) for c in cells] == [len(c.splitlines()) for c in expected_cells]


@pytest.mark.parametrize("name", HOSTILE + ALLOWED)
def test_markdown_cells_show_a_name_as_plain_text(name):
    arch = named(TEMPLATES["mlp"].architecture, name)
    outcome = Outcome(4, name, 2, 0.9, 0.3)
    notebook = nbformat.reads(export_notebook(arch, "mnist", lang="en", outcome=outcome), 4)
    clean = nbformat.reads(export_notebook(named(arch, "clean"), "mnist", lang="en",
                                           outcome=replace(outcome, name="clean")), 4)
    texts = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert [len(s.splitlines()) for s in texts] == [
        len(c.source.splitlines()) for c in clean.cells if c.cell_type == "markdown"]
    assert not any("<script" in s or "](javascript" in s for s in texts)
    title = MarkdownIt().render(texts[0].split("\n")[0])
    assert set(re.findall(r"<(\w+)", title)) == {"h1"}, title  # the name stays plain text
