"""Fuzzing dataset loading with malformed ``.npz`` files (uploads and paths).

Every file starts as a valid tiny Keras-layout archive and gets one to three mutations:
arrays dropped, renamed or replaced (wrong shapes, dtypes, labels out of range, NaN,
pickled Python objects, odd class names), or the archive's bytes truncated, overwritten
or wrapped. ``datasets.load`` must either return a dataset that keeps its promises
(uint8 images with a channel axis, labels inside the classes) or raise a LabError with
a real sentence in both languages — never any other exception.
"""
from __future__ import annotations

import io
import string
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from hypothesis.control import currently_in_test_context

from builder import datasets
from builder.errors import LabError
from builder.text import TEXT

KEYS = ("x_train", "y_train", "x_test", "y_test", "class_names")


def valid(train: int = 20, test: int = 6, side: int = 6) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(train)
    return {"x_train": rng.integers(0, 256, (train, side, side), dtype=np.uint8),
            "y_train": np.arange(train) % 3, "x_test": rng.integers(0, 256, (test, side, side), dtype=np.uint8),
            "y_test": np.arange(test) % 3}


def bad_arrays() -> st.SearchStrategy:
    """Arrays that do not belong where they land."""
    dims = st.lists(st.integers(0, 9), min_size=0, max_size=5).map(tuple)
    dtypes = st.sampled_from(["uint8", "int8", "int64", "float32", "float64", "bool", "complex64",
                              "U3", "S2", "uint16", "float16"])
    numeric = st.builds(filled, dims, dtypes, st.sampled_from([0, 1, 2, 3, 7, 255, 256, -1, 1e9, np.nan, np.inf]))
    objects = st.sampled_from([np.array([{"evil": 1}] * 20, dtype=object),
                               np.array([None, 1, "two"], dtype=object)])
    return st.one_of(numeric, objects, st.just(np.array(["a", "b"])), st.just(np.zeros((20,))))


def filled(shape: tuple[int, ...], dtype: str, fill: float) -> np.ndarray:
    """``fill`` cast to ``dtype`` as NumPy casts it (overflow and NaN casts included)."""
    if dtype[0] in "US":
        return np.full(shape, "x", dtype=dtype)
    with np.errstate(all="ignore"):
        return np.full(shape, fill).astype(dtype)


def archive(arrays: dict[str, np.ndarray], compressed: bool) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, allow_pickle=True, **arrays)
    return buffer.getvalue()


@st.composite
def malformed(draw) -> bytes:
    """The bytes of a mutated archive."""
    arrays = valid(draw(st.integers(10, 30)), draw(st.integers(1, 8)), draw(st.integers(1, 9)))
    if draw(st.booleans()):
        arrays["class_names"] = np.array(["zero", "one", "two"])
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(KEYS))
        action = draw(st.sampled_from(["replace", "replace", "drop", "rename", "labels", "extra"]))
        if action == "drop":
            arrays.pop(key, None)
        elif action == "rename" and key in arrays:
            arrays[draw(st.sampled_from(["X_train", "x_train.npy", "train", "y", "ＸＸ"]))] = arrays.pop(key)
        elif action == "labels":
            label = draw(st.sampled_from(["y_train", "y_test"]))
            n = int(np.size(arrays.get(label, ())))
            arrays[label] = np.full(n, draw(st.sampled_from([-1, 3, 999, 2**40])), dtype="int64")
        elif action == "extra":
            arrays[draw(st.text(min_size=1, max_size=8))] = draw(bad_arrays())
        else:
            arrays[key] = draw(bad_arrays())
    data = archive(arrays, draw(st.booleans()))
    damage = draw(st.sampled_from(["none", "none", "truncate", "overwrite", "prefix", "rezip"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "overwrite":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=32)) + data[at + 32:]
    elif damage == "prefix":
        data = draw(st.binary(min_size=1, max_size=64)) + data
    elif damage == "rezip":
        data = foreign_zip(draw(st.booleans()))
    event(f"damage: {damage}")
    return data


def foreign_zip(with_npy_names: bool) -> bytes:
    """A zip whose members are not .npy files (or only pretend to be)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for key in datasets.REQUIRED_KEYS:
            z.writestr(f"{key}.npy" if with_npy_names else f"{key}.txt", b"\x93NUMPY garbage")
    return buffer.getvalue()


def check(source) -> None:
    try:
        data = datasets.load(source)
    except LabError as exc:
        assert f"error.{exc.code}" in TEXT, exc.code
        for lang in ("en", "ko"):
            text = exc.text(lang)
            template = TEXT[f"error.{exc.code}"][lang]
            unfilled = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(template) if name]
            assert text and not any(p in text for p in unfilled) and "error." not in text, text
        note(f"refused: {exc.code}")
        return
    note("loaded")
    for x, y in ((data.x_train, data.y_train), (data.x_test, data.y_test)):
        assert x.dtype == np.uint8 and x.ndim == 4 and len(x) == len(y)
        assert y.dtype == np.int64 and 0 <= y.min() and y.max() < data.classes
    assert data.x_train.shape[1:] == data.x_test.shape[1:]
    assert len(data.class_names) == data.classes >= 2


def note(what: str) -> None:
    """Count outcomes in Hypothesis's statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(what)


FUZZ = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


@settings(max_examples=1_000, **FUZZ)
@given(malformed())
def test_malformed_uploads_load_or_fail_with_a_message(blob):
    check(blob)


@settings(max_examples=200, **FUZZ)
@given(malformed())
def test_malformed_files_by_path_load_or_fail_with_a_message(tmp_path_factory, blob):
    path = tmp_path_factory.getbasetemp() / "fuzz.npz"
    path.write_bytes(blob)
    check(str(path))


@pytest.mark.parametrize("blob", [b"", b"PK\x05\x06" + bytes(18), b"\x80\x04\x95" + bytes(40),
                                  archive(valid(), False)[:30]], ids=["empty", "empty-zip", "pickle", "header"])
def test_tiny_and_pickle_files(blob):
    check(blob)


def test_a_pickled_object_array_never_runs_code(tmp_path):
    """An object array whose unpickling would create a file: refused, and no file."""
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    arrays = {**valid(), "x_train": np.array([Payload()] * 20, dtype=object)}
    with pytest.raises(LabError) as caught:
        datasets.load(archive(arrays, False))
    assert caught.value.code == "npz_pickle" and not marker.exists()
