"""The translation table: every key the code uses exists in English and Korean, every key
defined is used, and in tests a missing key fails instead of showing the key."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


def test_a_missing_key_fails_in_tests(monkeypatch):
    with pytest.raises(KeyError):
        t("no.such.key")
    monkeypatch.setenv("LAYERLAB_STRICT_TEXT", "0")
    assert t("no.such.key") == "no.such.key"  # people see the key, never a traceback
