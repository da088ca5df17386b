"""Fuzzing the architecture loader and the analysis with generated documents.

Valid, invalid and hostile documents (huge or negative numbers, wrong types, deep
nesting, unicode, HTML) must either load or fail with a LabError whose message names
the field or layer — never any other exception.
"""
from __future__ import annotations

import functools
import json

import pytest

from hypothesis import HealthCheck, event, given, settings, strategies as st

from builder.analysis import analyse
from builder.architecture import FORMAT, Architecture
from builder.layers import LAYER_TYPES, Param
from builder.errors import LabError
from builder.text import TEXT

TYPES = [t.name for t in LAYER_TYPES]
hostile_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=20), st.just("<img src=x onerror=alert(1)>"), st.just("same"),
    st.just("relu"), st.integers(0, 64))
hostile = st.recursive(hostile_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def good_value(param: Param) -> st.SearchStrategy:
    """Values the catalogue accepts (small ones, so shapes often stay valid)."""
    if param.kind == "choice":
        return st.sampled_from(param.choices)
    if param.kind == "bool":
        return st.booleans()
    if param.kind == "float":
        return st.floats(param.low, param.high)
    high = min(int(param.high), 4 if param.kind == "size" else 64)
    number = st.integers(int(param.low), high)
    return st.one_of(number, st.lists(number, min_size=2, max_size=2)) if param.kind == "size" else number


@functools.lru_cache(maxsize=None)  # strategies are built once, drawn from many times
def param_values(type_name: str, hostile_values: bool) -> st.SearchStrategy:
    params = next(t for t in LAYER_TYPES if t.name == type_name).params
    values = {p.name: st.one_of(good_value(p), hostile) if hostile_values else good_value(p)
              for p in params}
    if hostile_values:
        values["bogus"] = hostile
    return st.fixed_dictionaries({}, optional=values)


TYPE_NAMES = {False: st.sampled_from(TYPES), True: st.one_of(st.sampled_from(TYPES), hostile_scalars)}
ONE_IN_FIVE, ONE_IN_SIX, NAMES = st.integers(0, 4), st.integers(0, 5), st.text(max_size=100)


@st.composite
def layer_docs(draw, hostile_values: bool, depth: int = 0):
    type_name = draw(TYPE_NAMES[hostile_values])
    doc = {"type": type_name}
    if isinstance(type_name, str) and type_name in TYPES:
        doc["params"] = draw(param_values(type_name, hostile_values))
    elif draw(st.booleans()):
        doc["params"] = draw(hostile)
    if depth < 3 and draw(ONE_IN_FIVE) == 0:
        doc["paths"] = draw(paths(hostile_values, depth + 1))
    if draw(ONE_IN_SIX) == 0:
        doc["name"] = draw(NAMES)
    return doc


@functools.lru_cache(maxsize=None)
def paths(hostile_values: bool, depth: int) -> st.SearchStrategy:
    """A block's branches: up to five lists of up to three layers each."""
    return st.lists(st.lists(layer_docs(hostile_values, depth), max_size=3), max_size=5)


def documents(hostile_values: bool) -> st.SearchStrategy:
    """Architecture documents; with ``hostile_values`` every field may be garbage."""
    shape = st.tuples(st.integers(1, 40), st.integers(1, 40), st.integers(1, 4)).map(list)
    layers = st.lists(layer_docs(hostile_values), max_size=12)
    if not hostile_values:
        return st.fixed_dictionaries({"format": st.just(FORMAT), "version": st.just(2),
                                      "input_shape": shape, "layers": layers})
    return st.fixed_dictionaries(
        {"format": st.one_of(st.just(FORMAT), hostile_scalars),
         "version": st.one_of(st.sampled_from([1, 2]), hostile_scalars),
         "input_shape": st.one_of(shape, st.lists(st.integers(-5, 2000), min_size=3, max_size=3),
                                  hostile),
         "layers": st.one_of(layers, hostile)},
        optional={"name": hostile, "extra": hostile})


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(documents(hostile_values=False))
def test_well_typed_documents_load_or_fail_with_a_message(doc):
    check_document(doc)


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(documents(hostile_values=True))
def test_hostile_documents_load_or_fail_with_a_message(doc):
    check_document(doc)


def check_document(doc) -> None:
    """Load ``doc``; a refusal must be a readable LabError, a loaded one must analyse."""
    try:
        arch = Architecture.from_dict(doc)
    except LabError as exc:
        assert exc.text("en") and exc.text("ko")
        assert f"error.{exc.code}" in TEXT  # a real sentence (the message may echo "error.")
        event("rejected")
        return
    event("loaded")
    report = analyse(arch, num_classes=10)
    assert Architecture.from_json(arch.to_json()) == arch
    for problem in report.problems:
        assert problem.text("en") and problem.text("ko")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_never_crash_the_json_loader(blob):
    try:
        Architecture.from_json(blob)
    except LabError as exc:
        assert str(exc)


def test_deep_nesting_and_huge_files_are_refused_cleanly():
    deep = "[" * 100_000 + "]" * 100_000
    for text in (deep, json.dumps({"format": FORMAT, "layers": ["x" * 2_000_000]})):
        try:
            Architecture.from_json(text)
        except LabError as exc:
            assert "too large" in str(exc) or "JSON" in str(exc)
        else:
            raise AssertionError("hostile file was accepted")
