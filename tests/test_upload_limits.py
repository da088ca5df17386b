"""Uploads never reach memory uncapped: zip bombs that declare or hide a huge array are
refused from their headers or while streaming, a dataset is read by a capped worker
process, and the server keeps only a small summary."""
from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

from builder import dataset_summary, datasets
from builder.errors import LabError
from tests import tiny

TIB = 1 << 40


def npy(shape: tuple[int, ...], dtype: str, data: bytes) -> bytes:
    """A .npy member: a header declaring ``shape`` and ``dtype``, then ``data`` as it is."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
                                                  "fortran_order": False, "shape": shape})
    return header.getvalue() + data


def archive(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(f"{name}.npy", content)
    return buffer.getvalue()


def bomb(x_train: bytes, train: int = 40, side: int = 8) -> bytes:
    """A Keras-layout archive whose ``x_train`` member is ``x_train`` (images ``side`` wide);
    the rest is valid."""
    labels = (np.arange(train) % 3).astype(np.uint8).tobytes()
    return archive(x_train=x_train, y_train=npy((train,), "uint8", labels),
                   x_test=npy((4, side, side), "uint8", bytes(4 * side * side)),
                   y_test=npy((4,), "uint8", bytes([0, 1, 2, 0])))


def refusal(source) -> LabError:
    with pytest.raises(LabError) as caught:
        datasets.load(source)
    assert caught.value.text("en") and caught.value.text("ko")
    return caught.value


def test_a_header_declaring_3_7_gb_is_refused_before_any_data_is_decompressed():
    """The issue's 14,016×512×512 uint8 array (3.7 GB of zeros): only its first MB is in
    this file, which is enough, since the header alone is refused."""
    upload = bomb(npy((14016, 512, 512), "uint8", bytes(1 << 20)), train=14016)
    tracemalloc.start()
    error = refusal(upload)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.code == "npz_too_big" and error.args_["size"] > 3_600_000_000
    assert datasets.MAX_BYTES_ENV in str(error)
    assert peak < 20_000_000
    with pytest.raises(LabError):  # the server's own check, before keeping or a worker
        datasets.check_archive(upload)


def test_a_12_kb_file_claiming_1_5_tib_is_a_clear_error_not_a_memory_error():
    upload = bomb(npy((196_608, 512, 512, 4), "float64", bytes(8192)), train=196_608)
    assert len(upload) < 12_000
    error = refusal(upload)
    assert error.code == "npz_too_big" and error.args_["size"] >= 1.5 * TIB
    assert "/" not in str(error).replace(" / ", "")  # no server path in the message


def test_a_header_that_lies_small_is_caught_while_decompressing():
    """x_train declares 40×8×8 but its member inflates to 64 MB: reading stops one byte
    past the declared size."""
    upload = bomb(npy((40, 8, 8), "uint8", bytes(64 << 20)))
    assert len(upload) < 200_000
    tracemalloc.start()
    error = refusal(upload)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.code == "npz_corrupt" and "more data than declared" in str(error)
    assert peak < 10_000_000


def test_a_member_shorter_than_its_header_is_damaged():
    error = refusal(bomb(npy((40, 8, 8), "uint8", bytes(100))))
    assert error.code == "npz_corrupt" and "ends early" in str(error)


def test_the_limit_is_a_setting(monkeypatch):
    upload = bomb(npy((40, 8, 8), "uint8", bytes(2560)))
    assert datasets.load(upload).x_train.shape == (40, 8, 8, 1)
    monkeypatch.setenv(datasets.MAX_BYTES_ENV, "1000")
    assert datasets.max_dataset_bytes() == 1000
    assert refusal(upload).code == "npz_too_big"
    monkeypatch.setenv(datasets.MAX_BYTES_ENV, "lots")
    assert datasets.max_dataset_bytes() == datasets.DEFAULT_MAX_BYTES


def test_a_zip_directory_declaring_too_much_is_refused(monkeypatch):
    """The central directory's sizes are checked before any .npy header is read."""
    monkeypatch.setenv(datasets.MAX_BYTES_ENV, "5000")
    upload = bomb(npy((40, 8, 8), "uint8", bytes(2560) + bytes(10_000)))
    assert refusal(upload).code == "npz_too_big"


def test_training_images_are_counted_from_the_headers(tmp_path, monkeypatch):
    path = tiny.write_npz(tmp_path / "set.npz", train=70, test=10)
    assert datasets.train_images(str(path)) == 70
    monkeypatch.delenv(datasets.OVERRIDE_ENV, raising=False)
    assert datasets.train_images("cifar10") == 50_000
    (tmp_path / "bomb.npz").write_bytes(bomb(npy((14016, 512, 512), "uint8", b""), train=14016))
    with pytest.raises(LabError):
        datasets.train_images(str(tmp_path / "bomb.npz"))


# ---------------------------------------------------------------- the worker and the summary

def test_the_worker_hands_back_a_summary_without_the_pixels(tmp_path):
    path = tiny.write_npz(tmp_path / "set.npz", train=2000, test=300)
    summary = dataset_summary.read(str(path))
    assert summary.input_shape == (8, 8, 1) and summary.classes == tiny.CLASSES
    assert len(summary.y_train) == 2000 and len(summary.y_test) == 300
    assert summary.preview.images.shape == (dataset_summary.PREVIEW, 8, 8, 1)
    held = sum(a.nbytes for a in (summary.y_train, summary.y_test, summary.preview.images,
                                  summary.sample_images))
    assert held < (2000 + 300) * 64 / 4  # far less than the pixels
    full = datasets.load(str(path))
    assert np.array_equal(summary.y_test, full.y_test)
    picks = np.sort(np.random.default_rng(0).permutation(300)[:20])  # the Train page's gallery
    assert np.array_equal(summary.test_images(picks), full.x_test[picks])
    with pytest.raises(KeyError):
        summary.test_images(np.setdiff1d(np.arange(300), summary.sample_index)[:1])


def test_the_train_page_gallery_picks_are_kept():
    from components.training import evaluation
    assert evaluation.GALLERY <= dataset_summary.SAMPLE
    picks = evaluation.sample_indices(evaluation.GALLERY, 500)
    kept = np.sort(np.random.default_rng(0).permutation(500)[:dataset_summary.SAMPLE])
    assert set(picks) <= set(kept)


def test_the_worker_passes_refusals_on_as_they_are(tmp_path):
    (tmp_path / "bomb.npz").write_bytes(bomb(npy((14016, 512, 512), "uint8", bytes(1 << 16)), train=14016))
    with pytest.raises(LabError) as caught:
        dataset_summary.read(str(tmp_path / "bomb.npz"))
    assert caught.value.code == "npz_too_big"


def test_running_out_of_memory_in_the_worker_is_a_clear_message(tmp_path, monkeypatch):
    """A limit set higher than the memory the worker may use: allocation fails there, and
    the server gets a sentence, not a MemoryError."""
    monkeypatch.setenv(datasets.MAX_BYTES_ENV, str(4 << 30))
    monkeypatch.setattr(dataset_summary, "worker_memory", lambda: 600 << 20)
    (tmp_path / "big.npz").write_bytes(bomb(npy((3000, 512, 512), "uint8", bytes(1 << 16)), train=3000, side=512))
    start = time.monotonic()
    with pytest.raises(LabError) as caught:
        dataset_summary.read(str(tmp_path / "big.npz"))
    assert caught.value.code == "npz_memory", caught.value.code
    assert "Traceback" not in str(caught.value) and str(tmp_path) not in str(caught.value)
    assert time.monotonic() - start < 60


def test_a_killed_worker_is_named():
    assert dataset_summary._exit_reason(-9) == "SIGKILL, probably out of memory"
    assert dataset_summary._exit_reason(1) == "exit 1"


def test_the_train_page_keeps_a_good_upload_and_refuses_a_bomb_without_keeping_it(tmp_path, monkeypatch):
    from builder.store import Store
    from components import services
    from components.training import data
    store = Store.open(tmp_path / "runs.sqlite")
    monkeypatch.setattr(services, "store", lambda: store)
    refused = data._keep(bomb(npy((14016, 512, 512), "uint8", bytes(1 << 16)), train=14016))
    assert isinstance(refused, LabError) and refused.code == "npz_too_big"
    lying = data._keep(bomb(npy((40, 8, 8), "uint8", bytes(8 << 20))))
    assert isinstance(lying, LabError) and lying.code == "npz_corrupt"
    assert not list((store.files / "uploads").glob("*.npz"))  # nothing refused is kept
    kept = data._keep(bomb(npy((40, 8, 8), "uint8", bytes(2560))))
    assert isinstance(kept, str) and data.readable(kept).input_shape == (8, 8, 1)


def test_an_npz_with_a_million_entries_is_refused_before_its_directory_is_read(tmp_path):
    """The end record's count is read first: zipfile would build an object per entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("x_train", "y_train", "x_test", "y_test"):
            archive.writestr(f"{name}.npy", b"")
        for i in range(datasets.MAX_NPZ_ENTRIES):
            archive.writestr(f"extra{i}", b"")
    with pytest.raises(LabError) as refused:
        datasets.check_archive(buffer.getvalue())
    assert refused.value.code == "npz_entries" and "entries" in refused.value.text("en")
    path = tmp_path / "many.npz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LabError, match="entries"):
        datasets.load(str(path))
