"""A folder of images as a dataset: a ``.zip`` with one folder per class (PNG or JPEG)
becomes the Keras-layout ``.npz`` that every page already reads (:func:`builder.datasets.load`).

* ``check_zip(content) -> Listing`` — the zip's directory only, nothing decompressed: its
  size, its file count, each entry's path (no absolute path, no ``..``), type (PNG or
  JPEG by name), declared size and compression ratio (a zip bomb declares too much or
  compresses too well), and at least two classes. The server runs it before any worker.
* ``convert(content, size) -> bytes`` — the worker's side: each image's pixel count is
  read from its header and limited before it is decoded, the image is decoded (PNG or
  JPEG only, by content), turned upright (EXIF), made grey 28×28 or colour 32×32 (a plain
  resize, as ``keras.utils.image_dataset_from_directory`` does), and split into train and
  test per class with a fixed seed (TEST_SHARE of each class, at least one image).
* ``read(content, size) -> bytes`` — ``convert`` in a worker process under the memory cap
  and timeout of :mod:`builder.dataset_summary`.

Every refusal is a LabError that names the entry; nothing is written by this module.
The worker: ``python -m builder.image_folder IN.zip OUT.npz SIZE MEMORY_BYTES``.
"""
from __future__ import annotations

import io
import sys
from collections import Counter
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

from builder import datasets
from builder.errors import LabError

SIZES = {"grey28": (28, 28, 1), "colour32": (32, 32, 3)}  # the choices offered
EXTENSIONS = (".png", ".jpg", ".jpeg")
FORMATS = ("PNG", "JPEG")  # what Pillow must find inside, whatever the name says
MAX_ZIP_BYTES = datasets.MAX_FILE_BYTES  # the .npz upload's file cap
MAX_FILES = 20_000        # files in the zip, counted before anything is read
MAX_IMAGE_BYTES = 20_000_000   # one image file, as declared in the zip directory
MAX_RATIO = 100           # declared size / compressed size of one entry (PNG, JPEG barely shrink)
MAX_PIXELS = 25_000_000   # one image (e.g. 5000×5000), read from its header before decoding
MAX_TOTAL_PIXELS = 2_000_000_000  # all images together, counted before each is decoded
MAX_CLASS_NAME = 60
TEST_SHARE = 0.2
SEED = 0
SKIPPED = ("__MACOSX", "Thumbs.db", "desktop.ini")  # what file managers add; dotfiles too


@dataclass(frozen=True)
class Listing:
    """The images of a checked zip: (class index, entry) pairs and the class names."""

    class_names: tuple[str, ...]
    images: tuple[tuple[int, zipfile.ZipInfo], ...]


def is_image_folder(name: str) -> bool:
    """An upload named ``*.zip`` is a folder of images (a ``.npz`` is a zip too, by content)."""
    return name.lower().endswith(".zip")


# ---------------------------------------------------------------- the directory

def check_zip(content: bytes) -> Listing:
    """The zip's images by class, from its directory alone (raises LabError)."""
    if len(content) > MAX_ZIP_BYTES:
        raise LabError("too_big", size=len(content), limit=MAX_ZIP_BYTES)
    data = io.BytesIO(content)
    try:
        datasets.check_directory(data, MAX_FILES)
        with zipfile.ZipFile(data) as archive:
            return _listing(archive.infolist())
    except zipfile.BadZipFile:
        raise LabError("zip_not_zip") from None


def _listing(entries: list[zipfile.ZipInfo]) -> Listing:
    files = [e for e in entries if not e.is_dir()]
    if len(files) > MAX_FILES:
        raise LabError("zip_too_many", count=len(files), limit=MAX_FILES)
    for entry in files:
        _check_path(_name(entry))
    files = [e for e in files if not _skipped(_name(e))]
    if not files:
        raise LabError("zip_empty")
    declared = sum(e.file_size for e in files)
    if declared > datasets.max_dataset_bytes():
        raise LabError("zip_too_big", size=declared, limit=datasets.max_dataset_bytes(),
                       env=datasets.MAX_BYTES_ENV)
    for entry in files:
        _check_entry(entry)
    parts = [PurePosixPath(_name(e)).parts for e in files]
    tops = {p[0] for p in parts}
    if len(tops) == 1 and all(len(p) == 3 for p in parts):  # dataset/cat/1.png: one top folder
        parts = [p[1:] for p in parts]
    for entry, path in zip(files, parts):
        if len(path) != 2:
            raise LabError("zip_layout", name=_name(entry)[:80])
    names = tuple(sorted({path[0] for path in parts}))
    _check_classes(names, [path[0] for path in parts])
    index = {name: i for i, name in enumerate(names)}
    return Listing(names, tuple((index[path[0]], entry) for entry, path in zip(files, parts)))


def _name(entry: zipfile.ZipInfo) -> str:
    """The entry's path as its maker wrote it: a zip without the UTF-8 flag stores bytes
    that Python reads as cp437; Korean Windows writes cp949 (``고양이/1.png``)."""
    if entry.flag_bits & 0x800:
        return entry.filename
    raw = entry.filename.encode("cp437", "replace")
    for codec in ("utf-8", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return entry.filename


def _check_path(name: str) -> None:
    """No absolute path, drive, backslash, ``..`` or control character (path traversal)."""
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts or \
            any(not c.isprintable() for c in name):
        raise LabError("zip_unsafe_path", name=name[:80].encode("unicode_escape").decode())


def _skipped(name: str) -> bool:
    return any(part in SKIPPED or part.startswith(".") for part in PurePosixPath(name).parts)


def _check_entry(entry: zipfile.ZipInfo) -> None:
    if not entry.filename.lower().endswith(EXTENSIONS):
        raise LabError("zip_not_image", name=entry.filename[:80])
    if entry.file_size > MAX_IMAGE_BYTES or \
            entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise LabError("zip_bomb", name=entry.filename[:80], size=entry.file_size,
                       limit=MAX_IMAGE_BYTES)


def _check_classes(names: tuple[str, ...], labels: list[str]) -> None:
    if len(names) < 2:
        raise LabError("zip_one_class", name=names[0] if names else "-")
    if len(names) > datasets.MAX_CLASSES:
        raise LabError("zip_too_many_classes", count=len(names), limit=datasets.MAX_CLASSES)
    counts = Counter(labels)
    for name in names:
        if len(name) > MAX_CLASS_NAME:
            raise LabError("zip_class_name", name=name[:MAX_CLASS_NAME] + "…",
                           limit=MAX_CLASS_NAME)
        count = counts[name]
        if count < 2:
            raise LabError("zip_class_small", name=name, count=count)
    if len(labels) - _test_count(len(labels)) < datasets.MIN_TRAIN:
        raise LabError("zip_too_few", count=len(labels), minimum=datasets.MIN_TRAIN)


def _test_count(n: int) -> int:
    """Images of a class kept for testing: TEST_SHARE of them, at least one."""
    return max(1, round(n * TEST_SHARE))


# ---------------------------------------------------------------- decoding (the worker)

def convert(content: bytes, size: str) -> bytes:
    """The zip's images as a Keras-layout ``.npz`` (raises LabError naming the entry)."""
    if size not in SIZES:
        raise LabError("zip_size", got=str(size)[:20], choices=", ".join(SIZES))
    listing = check_zip(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        pixels = _decode_all(archive, listing, SIZES[size])
    labels = np.array([label for label, _ in listing.images], dtype=np.uint16)
    train, test = _split(labels)
    out = io.BytesIO()
    np.savez_compressed(out, x_train=pixels[train], y_train=labels[train], x_test=pixels[test],
                        y_test=labels[test], class_names=np.array(listing.class_names))
    return out.getvalue()


def _decode_all(archive: zipfile.ZipFile, listing: Listing, shape: tuple[int, int, int]) -> np.ndarray:
    from PIL import Image
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb check (it raises past twice this)
    pixels = np.empty((len(listing.images), *shape), dtype=np.uint8)
    total = 0
    for i, (_, entry) in enumerate(listing.images):
        data = _read(archive, entry)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                total += width * height
                if width * height > MAX_PIXELS:
                    raise LabError("zip_pixels", name=entry.filename[:80], width=width,
                                   height=height, limit=MAX_PIXELS)
                if total > MAX_TOTAL_PIXELS:
                    raise LabError("zip_total_pixels", limit=MAX_TOTAL_PIXELS)
                pixels[i] = _resized(image, shape)
        except LabError:
            raise
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise LabError("zip_not_image", name=entry.filename[:80]) from None
    return pixels


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, never more than its declared size (a lying header is a bomb)."""
    try:
        with archive.open(entry) as f:
            data = f.read(entry.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise LabError("npz_corrupt", detail=f"{entry.filename[:80]}: {str(exc)[:80]}") from None
    if len(data) != entry.file_size:
        raise LabError("zip_bomb", name=entry.filename[:80], size=len(data), limit=entry.file_size)
    return data


def _resized(image, shape: tuple[int, int, int]) -> np.ndarray:
    """Upright (EXIF), grey or colour, resized to H×W (aspect ratio not kept, as Keras)."""
    from PIL import Image, ImageOps
    image = ImageOps.exif_transpose(image).convert("L" if shape[2] == 1 else "RGB")
    resized = image.resize((shape[1], shape[0]), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.uint8).reshape(shape)


def _split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices: TEST_SHARE of each class to test, both shuffled (seed SEED)."""
    rng = np.random.default_rng(SEED)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        cut = _test_count(len(members))
        test.append(members[:cut])
        train.append(members[cut:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


# ---------------------------------------------------------------- the worker process

def read(content: bytes, size: str) -> bytes:
    """``convert`` run by a worker under the dataset worker's memory cap and timeout."""
    from builder import dataset_summary
    check_zip(content)
    with tempfile.TemporaryDirectory(prefix="layerlab-images-") as folder:
        source, out = Path(folder, "images.zip"), Path(folder, "images.npz")
        source.write_bytes(content)
        dataset_summary.run_worker("builder.image_folder", [str(source), str(out), size], out)
        return out.read_bytes()


def main(source: Path, out: Path, size: str, memory: int) -> None:
    from builder import dataset_summary
    dataset_summary.cap_memory(memory)
    dataset_summary.refusing(out, lambda: out.write_bytes(convert(source.read_bytes(), size)))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
