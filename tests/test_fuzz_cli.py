"""Fuzzing ``python -m builder`` with generated architecture files.

Documents start valid (a template, in LayerLab or Keras form) and get a few mutations at
random places: a value replaced by something hostile (huge or negative numbers, wrong
types, unicode, HTML, deep nesting), a key dropped or added. Each is written to a file
and run through ``builder.cli.main`` in-process: it must exit 0 (a summary) or 2 with
one-line messages that name the field or the layer — never 1 (an internal error), never
a traceback. A handful go through a real ``python -m builder`` subprocess too.
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from builder import cli, templates
from builder.cli.common import EXIT_OK, EXIT_PROBLEMS
from builder.architecture import MAX_BYTES
from builder.keras_json import to_keras_json
from tests.test_fuzz_architecture import documents

ROOT = Path(__file__).resolve().parents[1]
EVIL = "<script>alert(1)</script>"
BASES = [json.loads(t.architecture.to_json()) for t in templates.TEMPLATES.values()]
KERAS_BASES = [json.loads(to_keras_json(t.architecture)) for t in templates.TEMPLATES.values()]

# Words that name where a problem is: a layer (by position or type), a block, a field.
NAMING = re.compile(r"layer|block|path|field|input.shape|format|version|name|params|"
                    r"JSON|too large|unsupported|[Cc]lass|config|architecture|\d", re.I)
# A text key shown untranslated ("error.field_type"), outside the quoted values a message
# echoes back (the hostile value itself may read "error.").
RAW_KEY = re.compile(r"\berror\.\w")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")

hostile_values = st.one_of(
    st.integers(-10**30, 10**30), st.sampled_from([0, -1, 2**63, -2**63, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.text(max_size=30), st.sampled_from([EVIL, "ｒｅｌｕ", "👍" * 50, "\u202e", "same", "relu"]),
    st.lists(st.integers(-3, 3), max_size=4), st.dictionaries(st.text(max_size=5), st.integers(),
                                                              max_size=3),
    st.integers(1, 60).map(lambda depth: nested(depth)))


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value] if depth % 2 else {"a": value}
    return value


def places(doc: Any, path: tuple = ()) -> list[tuple]:
    """Every (container path) in ``doc``: where a mutation can land."""
    found = [path]
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, child in children:
        if isinstance(child, (dict, list)):
            found += places(child, (*path, key))
    return found


def at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw, bases: list[dict]) -> Any:
    """A copy of a base document with 1–3 values replaced, keys dropped or added."""
    doc = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 3))):
        container = at(doc, draw(st.sampled_from(places(doc))))
        keys = list(container.keys() if isinstance(container, dict) else range(len(container)))
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "add" or not keys:
            if isinstance(container, dict):
                container[draw(st.text(max_size=8))] = draw(hostile_values)
            else:
                container.append(draw(hostile_values))
        elif action == "drop":
            del container[draw(st.sampled_from(keys))]
        else:
            container[draw(st.sampled_from(keys))] = draw(hostile_values)
    return doc


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def check_summary(path: Path, capsys) -> None:
    """The CLI's promise on one file: a summary, or messages that say what is wrong where."""
    code, out, err = run_cli(["summary", str(path), "--lang", "en"], capsys)
    assert code in (EXIT_OK, EXIT_PROBLEMS), err
    assert "Traceback" not in err + out
    if code == EXIT_PROBLEMS:
        lines = err.strip().splitlines()
        assert lines, "exit 2 with nothing on stderr"
        for line in lines:
            assert not RAW_KEY.search(QUOTED.sub("", line)) and NAMING.search(line), line
    else:
        assert "Total params" in out


def write(tmp_path_factory, doc: Any) -> Path:
    path = tmp_path_factory.getbasetemp() / "fuzz.json"
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    return path


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@fuzz(1_500)
@given(doc=mutated(BASES))
def test_mutated_layerlab_files(tmp_path_factory, capsys, doc):
    check_summary(write(tmp_path_factory, doc), capsys)


def test_a_value_that_reads_like_a_text_key_is_echoed_not_mistaken(tmp_path_factory, capsys):
    """Found by the fuzzer: a Dropout rate of 'error.' is named in the message, in quotes."""
    doc = copy.deepcopy(BASES[0])
    doc["layers"] = [{"type": "Flatten", "params": {}}, {"type": "Dropout", "params": {"rate": "error."}}]
    check_summary(write(tmp_path_factory, doc), capsys)
    assert RAW_KEY.search("must be error.field_type")


@pytest.mark.slow
@fuzz(750)
@given(doc=mutated(KERAS_BASES))
def test_mutated_keras_files(tmp_path_factory, capsys, doc):
    check_summary(write(tmp_path_factory, doc), capsys)


@pytest.mark.slow
@fuzz(750)
@given(doc=documents(hostile_values=False) | documents(hostile_values=True))
def test_generated_documents(tmp_path_factory, capsys, doc):
    check_summary(write(tmp_path_factory, doc), capsys)


@fuzz(200)
@given(blob=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes(tmp_path_factory, capsys, blob):
    path = tmp_path_factory.getbasetemp() / "blob.json"
    path.write_bytes(blob)
    check_summary(path, capsys)


def hostile_files(folder: Path) -> list[Path]:
    """Files no generator writes by chance: huge, deeply nested, non-UTF-8, HTML names."""
    base = copy.deepcopy(BASES[0])
    base["layers"][0]["name"] = EVIL
    base["name"] = "模型 " + EVIL
    contents = {
        "huge.json": json.dumps({**base, "pad": "x" * (MAX_BYTES + 1)}),
        "deep.json": "[" * 200_000 + "]" * 200_000,
        "deep-layers.json": json.dumps({**base, "layers": "X"}).replace('"X"', "[" * 5_000 + "]" * 5_000),
        "latin1.json": json.dumps(base).encode("utf-16"),
        "html-names.json": json.dumps(base),
        "empty.json": "",
        "nan.json": json.dumps({**base, "input_shape": [float("nan"), 28, 1]}),
        "big-int.json": json.dumps({**base, "input_shape": [10**4000, 28, 1]}),
    }
    paths = []
    for name, content in contents.items():
        path = folder / name
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
        paths.append(path)
    return paths


def test_hostile_files_in_process(tmp_path, capsys):
    for path in hostile_files(tmp_path):
        check_summary(path, capsys)


def test_hostile_files_through_a_real_process(tmp_path):
    """A real interpreter: stderr never shows a traceback; the exit code says what happened."""
    for path in hostile_files(tmp_path)[:5] + [tmp_path / "missing.json"]:
        done = subprocess.run([sys.executable, "-m", "builder", "summary", str(path), "--lang", "en"],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.returncode in (EXIT_OK, EXIT_PROBLEMS), (path.name, done.stderr)
        assert "Traceback" not in done.stderr, (path.name, done.stderr)
        if done.returncode:
            assert done.stderr.strip() and NAMING.search(done.stderr), (path.name, done.stderr)
