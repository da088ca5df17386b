"""Dataset loading and validation: NumPy only, no TensorFlow (Keras is faked for downloads)."""
from __future__ import annotations

import io
import sys
import types

import numpy as np
import pytest

from builder import datasets
from builder.errors import LabError
from tests import tiny


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def keras_layout(train: int = 40, test: int = 12, **changes) -> dict:
    (x_train, y_train), (x_test, y_test) = tiny.images(train, 0), tiny.images(test, 1)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test, **changes}


def error_code(source) -> str:
    with pytest.raises(LabError) as caught:
        datasets.load(source)
    assert caught.value.text("en") and caught.value.text("ko")  # both languages render
    return caught.value.code


def test_digits_are_offline_8x8_uint8_and_split_the_same_way_every_time():
    first, second = datasets.load("digits"), datasets.load("digits")
    assert first.input_shape == (8, 8, 1) and first.classes == 10
    assert first.x_train.dtype == np.uint8 and first.x_train.max() == 255
    assert len(first.x_train) + len(first.x_test) == 1797
    assert np.array_equal(first.y_test, second.y_test)
    assert set(np.unique(first.y_test)) == set(range(10))


def test_user_npz_by_path_and_by_bytes_gets_a_channel_axis(tmp_path):
    path = tiny.write_npz(tmp_path / "mine.npz", train=40, test=12)
    from_path, from_bytes = datasets.load(str(path)), datasets.load(path.read_bytes())
    assert from_path.x_train.shape == (40, 8, 8, 1) == from_bytes.x_train.shape
    assert from_path.classes == tiny.CLASSES and from_path.name == "mine.npz"
    assert np.array_equal(from_path.y_test, from_bytes.y_test)


def test_class_names_and_column_labels_are_read():
    arrays = keras_layout(class_names=np.array(["a", "b", "c", "d"]))
    arrays["y_train"] = arrays["y_train"].reshape(-1, 1)
    data = datasets.load(npz_bytes(**arrays))
    assert data.class_names == ("a", "b", "c", "d") and data.y_train.ndim == 1


def test_float_pixels_in_range_are_accepted_as_uint8():
    arrays = keras_layout()
    arrays["x_train"] = arrays["x_train"].astype("float64")
    assert datasets.load(npz_bytes(**arrays)).x_train.dtype == np.uint8


@pytest.mark.parametrize("change, code", [
    ({"x_train": None}, "npz_keys"),
    ({"x_train": np.zeros((40, 8), "uint8")}, "npz_images_shape"),
    ({"x_train": np.zeros((40, 8, 8, 7), "uint8")}, "npz_images_shape"),
    ({"y_train": np.zeros(39, "uint8")}, "npz_labels_shape"),
    ({"x_test": np.zeros((12, 9, 9), "uint8")}, "npz_split_shapes"),
    ({"y_train": np.linspace(0, 2, 40)}, "npz_dtype"),
    ({"x_train": np.full((40, 8, 8), 300.0)}, "npz_dtype"),
    ({"x_train": np.full((40, 8, 8), "x")}, "npz_dtype"),
    ({"y_test": np.full(12, 7, "uint8")}, "npz_label_range"),
    ({"y_train": np.r_[-1, np.arange(39) % 3]}, "npz_label_range"),
    ({"y_train": np.zeros(40, "uint8")}, "npz_classes"),
    ({"x_train": np.zeros((5, 8, 8), "uint8"), "y_train": np.arange(5) % 2}, "npz_too_few"),
])
def test_bad_arrays_are_refused_with_a_clear_message(change, code):
    arrays = {k: v for k, v in keras_layout(**change).items() if v is not None}
    assert error_code(npz_bytes(**arrays)) == code


def test_label_range_message_names_the_numbers():
    with pytest.raises(LabError) as caught:
        datasets.load(npz_bytes(**keras_layout(y_test=np.full(12, 7, "uint8"))))
    assert "7–7" in str(caught.value) and "0–2" in str(caught.value)


def test_pickled_object_arrays_are_refused_before_loading():
    arrays = keras_layout(x_train=np.array([{"evil": 1}] * 40, dtype=object))
    assert error_code(npz_bytes(**arrays)) == "npz_pickle"


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_truncated_archives_are_reported_as_damaged(cut):
    data = npz_bytes(**keras_layout())
    assert error_code(data[: int(len(data) * cut)]) == "npz_corrupt"


def test_a_corrupted_member_is_reported_as_damaged():
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **keras_layout(train=400))
    data = bytearray(buffer.getvalue())
    middle = len(data) // 2
    data[middle: middle + 64] = bytes(64)
    assert error_code(bytes(data)) == "npz_corrupt"


def test_garbage_and_missing_files(tmp_path):
    assert error_code(b"not an archive") == "npz_corrupt"
    assert error_code(str(tmp_path / "nothing.npz")) == "file_missing"


def test_too_large_upload_is_refused(monkeypatch):
    monkeypatch.setattr(datasets, "MAX_FILE_BYTES", 100)
    assert error_code(npz_bytes(**keras_layout())) == "too_big"


def test_override_folder_replaces_a_registered_set_without_keras(tmp_path, monkeypatch):
    tiny.write_npz(tmp_path / "mnist.npz", train=30, test=10)
    monkeypatch.setenv(datasets.OVERRIDE_ENV, str(tmp_path))
    assert not datasets.needs_keras("mnist")
    data = datasets.load("mnist")
    assert data.name == "mnist" and data.class_names == datasets.DATASETS["mnist"].class_names
    assert len(data.x_train) == 30


def test_registered_downloads_need_keras_unless_overridden(monkeypatch):
    monkeypatch.delenv(datasets.OVERRIDE_ENV, raising=False)
    assert datasets.needs_keras("cifar10") and not datasets.needs_keras("digits")
    assert not datasets.needs_keras("some/file.npz")


def test_the_download_size_is_told_only_when_training_would_download(monkeypatch, tmp_path):
    monkeypatch.delenv(datasets.OVERRIDE_ENV, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))  # an empty Keras cache
    assert datasets.description("mnist", "en").endswith("Training downloads it once (11 MB).")
    assert "11 MB" in datasets.description("mnist", "ko")
    assert "MB" not in datasets.description("digits", "en")  # ships with scikit-learn
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "mnist.npz").write_bytes(b"x")
    monkeypatch.setenv(datasets.OVERRIDE_ENV, str(tmp_path / "sets"))
    assert datasets.description("mnist", "en") == datasets.DATASETS["mnist"].about["en"]
    assert "download" not in datasets.description("mnist", "en").lower()
    assert "download" in datasets.description("cifar10", "en").lower()  # not in the folder


def fake_keras(monkeypatch, load_data) -> None:
    """A stand-in ``keras`` whose loader calls ``file_utils.urlretrieve`` like the real one."""
    file_utils = types.SimpleNamespace(urlretrieve=lambda url, name, hook=None, data=None: hook(3, 100, 1000))
    keras = types.SimpleNamespace(datasets=types.SimpleNamespace(mnist=types.SimpleNamespace(
        load_data=lambda: load_data(file_utils))))
    for name, module in (("keras", keras), ("keras.src", types.SimpleNamespace()),
                         ("keras.src.utils", types.SimpleNamespace(file_utils=file_utils)),
                         ("keras.src.utils.file_utils", file_utils)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delenv(datasets.OVERRIDE_ENV, raising=False)
    monkeypatch.setattr(datasets.socket, "create_connection",  # the server answers
                        lambda *args, **kwargs: types.SimpleNamespace(close=lambda: None))


def test_download_progress_reaches_the_callback(monkeypatch):
    arrays = keras_layout()

    def load_data(file_utils):
        file_utils.urlretrieve("https://example/mnist.npz", "mnist.npz", None)
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])

    fake_keras(monkeypatch, load_data)
    seen = []
    data = datasets.load("mnist", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(300, 1000)] and len(data.x_train) == 40


def test_offline_download_failure_says_what_to_do(monkeypatch):
    def load_data(file_utils):
        raise Exception("URL fetch failure on https://example: Name or service not known")

    fake_keras(monkeypatch, load_data)
    with pytest.raises(LabError) as caught:
        datasets.load("mnist")
    text = str(caught.value)
    assert caught.value.code == "download_failed"
    for hint in ("Connect", "mnist.npz", ".keras", datasets.OVERRIDE_ENV, "offline"):
        assert hint in text


def test_an_unreachable_server_fails_fast_before_keras_loads(monkeypatch, tmp_path):
    tried = []

    def offline(address, timeout):
        tried.append((address, timeout))
        raise OSError("Name or service not known")

    monkeypatch.setattr(datasets.socket, "create_connection", offline)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv(datasets.OVERRIDE_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "keras", None)  # importing Keras would raise ImportError
    with pytest.raises(LabError) as caught:
        datasets.load("fashion_mnist")
    assert caught.value.code == "download_failed" and "Name or service" in str(caught.value)
    assert tried == [(("storage.googleapis.com", 443), datasets.CONNECT_TIMEOUT)]


def test_a_set_in_the_keras_cache_needs_no_connection_check(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    folder = tmp_path / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    assert not datasets._keras_cached("fashion_mnist")  # an empty folder left by a failure
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"")
    assert datasets._keras_cached("fashion_mnist")
    assert not datasets._keras_cached("mnist")


def test_stratified_sample_keeps_class_shares_and_shuffles():
    labels = np.repeat(np.arange(4), [500, 300, 150, 50])
    keep = datasets.stratified_sample(labels, 100, seed=3)
    assert len(keep) == 100 and len(set(keep)) == 100
    assert list(np.bincount(labels[keep])) == [50, 30, 15, 5]
    assert not np.all(np.diff(labels[keep]) >= 0)  # not sorted by class
    assert np.array_equal(keep, datasets.stratified_sample(labels, 100, seed=3))
    assert np.array_equal(datasets.stratified_sample(labels, None), np.arange(1000))


def test_stratified_sample_rounds_to_exactly_the_limit():
    labels = np.repeat(np.arange(3), [34, 33, 33])
    assert len(datasets.stratified_sample(labels, 10)) == 10


def test_sample_grid_takes_classes_in_turn():
    data = datasets.load("digits")
    grid = datasets.sample_grid(data, count=12)
    assert list(grid.labels) == [*range(10), 0, 1]
    assert grid.images.shape == (12, 8, 8, 1) and grid.class_names == data.class_names


def test_to_float_scales_to_unit_range():
    x = datasets.to_float(np.array([[0, 255]], dtype=np.uint8))
    assert x.dtype == np.float32 and x.tolist() == [[0.0, 1.0]]
