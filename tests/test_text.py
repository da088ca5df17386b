"""The translation table: every key the code uses exists in English and Korean, every key
defined is used, and in tests a missing key fails instead of showing the key."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from builder.datasets import DATASETS
from builder.errors import LabError
from builder.text import LANGUAGES, TEXT, t

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for p in [*ROOT.glob("builder/**/*.py"), *ROOT.glob("components/**/*.py"),
                    *ROOT.glob("pages/*.py"), ROOT / "app.py"]
        if p.relative_to(ROOT).parts[:2] != ("builder", "text")]
PLURAL = "_one"  # ``key_one`` is the singular form of ``key`` (components/training/words.py)


def _scan() -> tuple[set[str], set[str], set[str]]:
    """String constants, f-strings' (prefix, suffix) around their fields, and literal first
    arguments of ``t(...)``."""
    constants, prefixes, keys = set(), set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and len(node.values) > 1:
                ends = [v.value if isinstance(v, ast.Constant) else "" for v in
                        (node.values[0], node.values[-1])]
                prefixes.add((ends[0], ends[1]))
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    return constants, prefixes, keys


CONSTANTS, PREFIXES, USED = _scan()


def test_every_key_used_exists_in_both_languages():
    assert USED, "the scan found no t(...) calls"
    assert sorted(k for k in USED if k not in TEXT) == []
    assert sorted(k for k, v in TEXT.items() if any(not v.get(lang) for lang in LANGUAGES)) == []


def _used(key: str) -> bool:
    """Named in full, or built from a constant inside an f-string (``f"group.{g}_help"``)."""
    if key.endswith(PLURAL) and _used(key[:-len(PLURAL)]):
        return True
    return key in CONSTANTS or any(
        p and key.startswith(p) and key.endswith(e) and key[len(p):len(key) - len(e)] in CONSTANTS
        for p, e in PREFIXES)


def test_every_defined_key_is_used():
    assert sorted(k for k in TEXT if not _used(k)) == []


def test_no_key_is_defined_twice():
    """One definition per key across every table: a second one would silently win."""
    seen: dict[str, str] = {}
    twice = []
    for path in sorted((ROOT / "builder" / "text").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key in node.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) \
                            and "." in key.value and key.value.split(".")[0].isidentifier():
                        if key.value in seen:
                            twice.append((key.value, seen[key.value], path.name))
                        seen[key.value] = path.name
    assert len(seen) >= len(TEXT) and twice == []


def test_a_missing_key_fails_in_tests(monkeypatch):
    with pytest.raises(KeyError):
        t("no.such.key")
    monkeypatch.setenv("LAYERLAB_STRICT_TEXT", "0")
    assert t("no.such.key") == "no.such.key"  # people see the key, never a traceback


# ---------------------------------------------------------------- every template, filled in

WORDS = ("MNIST", "학습률", "파일", "숫자", "28×28×1", "Dropout", "10", "0.5", "“5”")
FALLBACK = re.compile(r"\((?:는|은|가|이|를|을|와|과|으)\)")


def _fields(template: str) -> dict[str, str]:
    """Each placeholder of ``template`` with its format spec."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name}


def _sample(name: str, spec: str, word: str, dataset: str) -> object:
    if spec:
        return 60_000
    if name == "dataset" or name.endswith("_dataset"):
        return dataset
    if name == "run_status":
        return "stopped"
    return word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_reads_right_with_any_value(lang):
    """Korean particle pairs are always resolved; dataset ids and run statuses show by
    their display names."""
    ids = list(DATASETS)
    checked = 0
    for key, entry in TEXT.items():
        fields = _fields(entry[lang])
        for i, word in enumerate(WORDS):
            dataset = ids[i % len(ids)]
            text = t(key, lang, **{n: _sample(n, s, word, dataset) for n, s in fields.items()})
            assert not FALLBACK.search(text), (key, text)
            if any(n == "dataset" or n.endswith("_dataset") for n in fields):
                assert DATASETS[dataset].title[lang] in text and dataset not in text, (key, text)
            if "run_status" in fields:
                assert t("train.status_stopped", lang) in text, (key, text)
            checked += 1
    assert checked >= len(TEXT) * len(WORDS)


def test_datasets_show_by_their_names_in_messages():
    error = LabError("challenge_dataset", dataset="mnist", got_dataset="cifar10")
    assert error.text("ko") == "과제의 데이터셋은 CIFAR-10이 아니라 MNIST 손글씨 숫자입니다."
    assert error.text("en") == "The challenge is on MNIST digits, not CIFAR-10."
    assert t("error.challenge_dataset", "en", dataset="data.npz", got_dataset="x.npz") == \
        "The challenge is on data.npz, not x.npz."  # not a registered set: shown as given


def test_korean_particles_after_a_placeholder_are_written_as_pairs():
    """After a placeholder the word is unknown: "{x}을(를)", never a bare "{x}를"."""
    bare = re.compile(r"\}[”\"'*]*(?:은|는|이|가|을|를|과|와|로)(?![(가-힣])")
    assert [k for k, v in TEXT.items() if bare.search(v["ko"])] == []
