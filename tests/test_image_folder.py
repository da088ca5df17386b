"""A folder of images as a dataset (builder.image_folder): good zips become the Keras-layout
.npz every page reads; hostile ones (a zip bomb, path traversal, a non-image, one class,
50,000 tiny files, a huge picture) are refused with a clear message in both languages."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from builder import datasets, image_folder
from builder.errors import LabError


def picture(colour, size=(40, 30), mode="RGB", kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, kind)
    return out.getvalue()


def make_zip(entries: dict[str, bytes], stored: bool = False) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def good_entries(prefix: str = "") -> dict[str, bytes]:
    """Three classes of six images: bright PNGs, dark JPEGs, grey RGBA PNGs; odd sizes."""
    entries = {}
    for i in range(6):
        entries[f"{prefix}light/{i}.png"] = picture((250, 250, 250), (40 + i, 30))
        entries[f"{prefix}dark/{i}.JPG"] = picture((5, 5, 5), (64, 48 + i), kind="JPEG")
        entries[f"{prefix}mid/{i}.png"] = picture((128, 128, 128, 255), (20, 20), mode="RGBA")
    entries[f"{prefix}.DS_Store"] = b"junk a file manager adds"
    entries[f"__MACOSX/{prefix}light/._0.png"] = b"more junk"
    return entries


def refusal(content: bytes, size: str = "grey28", worker: bool = False) -> LabError:
    with pytest.raises(LabError) as caught:
        (image_folder.read if worker else image_folder.convert)(content, size)
    error = caught.value
    assert error.text("en") and error.text("ko") and error.text("ko") != error.text("en")
    return error


def test_a_folder_per_class_becomes_a_keras_layout_dataset():
    content = make_zip(good_entries())
    data = datasets.load(image_folder.read(content, "grey28"))  # decoded by a worker
    assert data.class_names == ("dark", "light", "mid")  # folder names, sorted
    assert data.input_shape == (28, 28, 1)
    assert np.bincount(data.y_test).tolist() == [1, 1, 1]  # 20 % of each class, at least one
    assert np.bincount(data.y_train).tolist() == [5, 5, 5]
    means = [data.x_train[data.y_train == c].mean() for c in range(3)]
    assert means[0] < 10 and means[1] > 240 and 120 < means[2] < 136
    again = datasets.load(image_folder.convert(content, "grey28"))  # the split's seed is fixed
    assert np.array_equal(again.y_train, data.y_train) and np.array_equal(again.x_test, data.x_test)


def test_colour_images_under_one_top_folder():
    data = datasets.load(image_folder.convert(make_zip(good_entries("my-photos/")), "colour32"))
    assert data.input_shape == (32, 32, 3) and data.classes == 3
    assert len(data.y_train) + len(data.y_test) == 18


class WindowsKoreanName(zipfile.ZipInfo):
    """An entry named as Korean Windows writes it: cp949 bytes, no UTF-8 flag."""
    __slots__ = ()

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp949"), self.flag_bits


def test_korean_folder_names_from_a_windows_zip_read_as_written():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in [f"{c}/{i}.png" for c in ("고양이", "강아지") for i in range(6)]:
            archive.writestr(WindowsKoreanName(name), picture(len(name)))
    raw = out.getvalue()
    assert "고양이".encode("cp949") in raw and "고양이".encode("utf-8") not in raw
    assert datasets.load(image_folder.convert(raw, "grey28")).class_names == ("강아지", "고양이")


def test_an_empty_zip_says_so():
    assert refusal(make_zip({"a/": b"", ".DS_Store": b""})).code == "zip_empty"


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_decoded():
    bomb = make_zip({"a/x.png": b"\0" * 30_000_000, "b/y.png": picture(1)})
    assert refusal(bomb).code == "zip_bomb"
    assert image_folder.MAX_RATIO * len(bomb) < 30_000_000  # refused by its ratio alone


@pytest.mark.parametrize("name", ["../evil/x.png", "/etc/x.png", "cats\\..\\x.png", "C:/x.png",
                                  "cats/../../x.png", "cats/\x1b[2Jx.png"])
def test_a_path_traversal_entry_is_refused(name):
    entries = {**good_entries(), name: picture(0)}
    assert refusal(make_zip(entries)).code == "zip_unsafe_path"


@pytest.mark.parametrize("name, data", [("light/notes.txt", b"hello"),
                                        ("light/fake.png", b"not a picture at all"),
                                        ("light/anim.png", picture(0, kind="GIF"))])
def test_a_non_image_is_refused_and_named(name, data):
    error = refusal(make_zip({**good_entries(), name: data}))
    assert error.code == "zip_not_image" and name in error.text("en")


def test_a_single_class_is_refused():
    entries = {f"cats/{i}.png": picture(i) for i in range(20)}
    error = refusal(make_zip(entries))
    assert error.code == "zip_one_class" and "cats" in error.text("ko")


def test_fifty_thousand_tiny_files_are_refused_by_count():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(50_000):
            archive.writestr(f"c{i % 2}/{i}.png", b"")
    error = refusal(out.getvalue())
    assert error.code == "zip_too_many" and "50,000" in error.text("en")


@pytest.mark.parametrize("entries, code", [
    ({"x.png": picture(0), "y.png": picture(1)}, "zip_layout"),
    ({"a/b/c/x.png": picture(0), "a/y.png": picture(1)}, "zip_layout"),
    ({"a/0.png": picture(0), "b/0.png": picture(1), "b/1.png": picture(1)}, "zip_class_small"),
    ({f"{c}/{i}.png": picture(i) for c in "ab" for i in range(3)}, "zip_too_few"),
])
def test_a_zip_that_is_not_one_folder_per_class_says_how_to_fix_it(entries, code):
    assert refusal(make_zip(entries)).code == code


def test_a_directory_declaring_a_million_entries_is_refused_before_it_is_parsed(monkeypatch):
    content = make_zip(good_entries())
    monkeypatch.setattr(zipfile.ZipFile, "infolist", lambda self: pytest.fail("directory parsed"))
    monkeypatch.setattr(image_folder, "MAX_FILES", 10)
    assert refusal(content).code == "zip_too_many"


def test_images_declaring_more_than_the_dataset_limit_are_refused(monkeypatch):
    monkeypatch.setenv(datasets.MAX_BYTES_ENV, "100000")
    big = {f"{c}/{i}.png": bytes(30_000) for c in "ab" for i in range(6)}  # 360 kB declared
    assert refusal(make_zip(big, stored=True)).code == "zip_too_big"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # our check comes first
def test_a_huge_picture_is_refused_from_its_header_before_decoding(monkeypatch):
    huge = picture(0, size=(6000, 5000), mode="1")
    entries = {**good_entries(), "light/huge.png": huge}
    monkeypatch.setattr(image_folder, "MAX_RATIO", 10**9)  # its zeros compress very well
    error = refusal(make_zip(entries))
    assert error.code == "zip_pixels" and "6000×5000" in error.text("en")


def test_the_worker_hands_its_refusal_back_and_garbage_is_not_a_zip():
    assert refusal(make_zip({**good_entries(), "light/x.png": b"garbage"}), worker=True).code \
        == "zip_not_image"
    assert refusal(b"PK but not really a zip").code == "zip_not_zip"
    assert refusal(make_zip(good_entries()), size="huge").code == "zip_size"


# ---------------------------------------------------------------- the Train page's upload

def uploads(store) -> list:
    folder = store.files / "uploads"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_an_uploaded_zip_is_kept_as_the_npz_every_page_reads(store, monkeypatch):
    from builder.codegen import export_script
    from builder.templates import TEMPLATES
    from components import services
    from components.training import data
    monkeypatch.setattr(services, "store", lambda: store)
    spec = data._keep(make_zip(good_entries()), "colour32")
    assert isinstance(spec, str) and uploads(store) and spec.endswith(".npz")
    summary = data.readable(spec)  # what Train, Compare and Inside the model read
    assert summary.input_shape == (32, 32, 3) and summary.class_names == ("dark", "light", "mid")
    arch = TEMPLATES["cifar10-cnn"].architecture
    assert repr(spec) in export_script(arch, spec)  # the exported script loads the same file


@pytest.mark.parametrize("entries", [{"../x/a.png": picture(0), "b/a.png": picture(1)},
                                     {f"only/{i}.png": picture(i) for i in range(12)},
                                     {**good_entries(), "light/x.png": b"garbage"}])
def test_a_refused_zip_leaves_nothing_stored(store, monkeypatch, entries):
    from components import services
    from components.training import data
    monkeypatch.setattr(services, "store", lambda: store)
    kept = data._keep(make_zip(entries), "grey28")
    assert isinstance(kept, LabError) and uploads(store) == []
