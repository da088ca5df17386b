"""Datasets: what each one is (shape, classes) — readable without loading any data —
and how to load, check and sample them.

Public API (NumPy only; Keras is imported lazily, and only to download a registered set):

* ``DATASETS[name]`` — :class:`DatasetInfo` (title, input shape, class names, about text).
* ``load(source, progress=None) -> Dataset`` — a registered name, a ``.npz`` path or the
  bytes of an upload. Every failure is a :class:`LabError` with a plain message.
* ``needs_keras(source)`` — True when ``load`` would import Keras to download. The Streamlit
  server must never do that; the trainer process loads such sets.
* ``to_float(x)``, ``stratified_sample(labels, limit, seed)`` — the trainer's preprocessing.
* ``sample_grid(dataset, count)`` — a few images per class for a preview.

Overrides: ``$LAYERLAB_DATASET_DIR/<name>.npz`` (Keras layout) replaces the registered set
``name``, so tests, browser tests and offline machines never download.
"""
from __future__ import annotations

import contextlib
import io
import math
import os
import socket
import urllib.parse
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Mapping, Union

import numpy as np

from builder.errors import LabError
from builder.layers import shape_text


@dataclass(frozen=True)
class DatasetInfo:
    """A registered set as published: ``about`` and the image counts describe the full set
    (a ``$LAYERLAB_DATASET_DIR`` copy or an image limit may use fewer)."""

    name: str
    title: Mapping[str, str]
    input_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    about: Mapping[str, str]
    train_images: int
    test_images: int
    download_mb: int | None = None  # the size of its one-time download (None: ships with LayerLab)

    @property
    def classes(self) -> int:
        return len(self.class_names)


DIGITS = tuple(str(d) for d in range(10))

DATASETS: dict[str, DatasetInfo] = {d.name: d for d in (
    DatasetInfo("mnist", {"en": "MNIST digits", "ko": "MNIST 손글씨 숫자"}, (28, 28, 1), DIGITS,
                {"en": "Handwritten digits, 28×28 grey. The full set has 70,000 images.",
                 "ko": "손글씨 숫자, 28×28 흑백. 전체 데이터셋은 70,000장입니다."},
                60_000, 10_000, download_mb=11),
    DatasetInfo("fashion_mnist", {"en": "Fashion-MNIST", "ko": "패션 MNIST"}, (28, 28, 1),
                ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"),
                {"en": "Clothing images, 28×28 grey. The full set has 70,000 images.",
                 "ko": "옷 이미지, 28×28 흑백. 전체 데이터셋은 70,000장입니다."},
                60_000, 10_000, download_mb=30),
    DatasetInfo("cifar10", {"en": "CIFAR-10", "ko": "CIFAR-10"}, (32, 32, 3),
                ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                 "ship", "truck"),
                {"en": "Colour photos in 10 classes, 32×32. The full set has 60,000 images.",
                 "ko": "10개 클래스의 컬러 사진, 32×32. 전체 데이터셋은 60,000장입니다."},
                50_000, 10_000, download_mb=170),
    DatasetInfo("digits", {"en": "Digits 8×8 (offline)", "ko": "숫자 8×8 (오프라인)"}, (8, 8, 1),
                DIGITS,
                {"en": "1,797 small scanned digits shipped with scikit-learn: works with no network.",
                 "ko": "scikit-learn에 들어 있는 작은 숫자 이미지 1,797장: 인터넷 없이 동작합니다."},
                1_500, 297),
)}


# ---------------------------------------------------------------- loading

OVERRIDE_ENV = "LAYERLAB_DATASET_DIR"  # folder of <name>.npz files used instead of downloads
OFFLINE = "digits"
REQUIRED_KEYS = ("x_train", "y_train", "x_test", "y_test")
OPTIONAL_KEYS = ("class_names",)
MAX_FILE_BYTES = 600_000_000
MAX_NPZ_ENTRIES = 64       # a Keras-layout .npz holds 4–5 arrays: room for extras, never millions
MAX_ENTRY_BYTES = 256      # zip directory bytes per entry (a name, its header and extras)
MAX_BYTES_ENV = "LAYERLAB_MAX_DATASET_BYTES"  # decoded size of a .npz's arrays, all together
DEFAULT_MAX_BYTES = 2_000_000_000  # 10× CIFAR-10 (184 MB decoded); MNIST is 55 MB
CHUNK = 1 << 20  # bytes decompressed at a time while reading an array
MAX_IMAGES = 200_000          # per split
MAX_SIDE = 512
MAX_CHANNELS = 4
MAX_CLASSES = 1000
MIN_TRAIN = 10
KERAS_FILES = {"mnist": "mnist.npz", "fashion_mnist": "fashion-mnist/",
               "cifar10": "cifar-10-batches-py-target_archive"}
ORIGINS = {"mnist": "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
           "fashion_mnist": "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
           "cifar10": "https://www.cs.toronto.edu/~kriz/"}
CONNECT_TIMEOUT = 10.0  # seconds to reach the download server; a slow download is never cut

Progress = Callable[[int, "int | None"], None]  # (bytes done, bytes total or None)
Source = Union[str, os.PathLike, bytes]


@dataclass(frozen=True)
class Dataset:
    """Validated images in Keras layout plus channel axis.

    ``x_*`` are uint8 pixels 0–255 shaped (N, H, W, C); ``y_*`` are int64 labels (N,)
    in ``0..classes-1``. Turn pixels into model input with :func:`to_float`.
    """

    name: str
    class_names: tuple[str, ...]
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def input_shape(self) -> tuple[int, int, int]:
        h, w, c = self.x_train.shape[1:]
        return int(h), int(w), int(c)

    @property
    def classes(self) -> int:
        return len(self.class_names)


@dataclass(frozen=True)
class Grid:
    """A preview sample: uint8 images (n, H, W, C), their labels and the class names."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]


def needs_keras(source: Source) -> bool:
    """True when loading ``source`` imports Keras (a registered download with no override).

    The Streamlit server must not do that: load such sets in the trainer process.
    """
    return isinstance(source, str) and source in KERAS_FILES and _override(source) is None


def load(source: Source, progress: Progress | None = None) -> Dataset:
    """Load and validate a dataset; raises LabError with a plain message.

    ``source`` is a registered name (``mnist``, ``fashion_mnist``, ``cifar10``, ``digits``),
    a path to a Keras-layout ``.npz`` (``x_train, y_train, x_test, y_test``, optional
    ``class_names``) or the bytes of one (an upload). If ``$LAYERLAB_DATASET_DIR/<name>.npz``
    exists it replaces the registered set (tests, offline machines). Otherwise downloads go
    through ``keras.datasets`` (cached in ``~/.keras/datasets``) reporting ``progress``.
    """
    if isinstance(source, bytes):
        return _from_npz(source, "upload", None)
    name = os.fspath(source)
    info = DATASETS.get(name)
    if info is None:
        return _from_npz(name, Path(name).name, None)
    override = _override(name)
    if override is not None:
        return _from_npz(str(override), name, info.class_names)
    arrays = _digits() if name == OFFLINE else _keras_download(name, progress)
    return _validated(dict(zip(REQUIRED_KEYS, arrays)), name, info.class_names)


def to_float(x: np.ndarray) -> np.ndarray:
    """Model input: float32 pixels divided by 255 (the seed's preprocessing)."""
    return x.astype("float32") / 255.0


def stratified_sample(labels: np.ndarray, limit: int | None, seed: int = 0) -> np.ndarray:
    """Indices of at most ``limit`` items keeping each class's share, in shuffled order.

    ``None`` or a limit ≥ the size keeps every index in the original order (as the seed).
    """
    n = len(labels)
    if limit is None or limit >= n:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    quota = np.floor(counts * limit / n).astype(int)
    leftover = np.argsort(-(counts * limit / n - quota), kind="stable")[: limit - quota.sum()]
    quota[leftover] += 1
    picked = [rng.permutation(np.flatnonzero(labels == c))[:q] for c, q in zip(classes, quota)]
    return rng.permutation(np.concatenate(picked))


def sample_grid(data: Dataset, count: int = 20, split: str = "train", seed: int = 0) -> Grid:
    """Up to ``count`` images for a preview, classes taking turns (0, 1, 2, …, 0, 1, …)."""
    x, y = (data.x_train, data.y_train) if split == "train" else (data.x_test, data.y_test)
    rng = np.random.default_rng(seed)
    pools = [list(rng.permutation(np.flatnonzero(y == c))) for c in range(data.classes)]
    chosen: list[int] = []
    while len(chosen) < count and any(pools):
        chosen += [pool.pop() for pool in pools if pool][: count - len(chosen)]
    index = np.array(chosen, dtype=int)
    return Grid(x[index], y[index], data.class_names)


def description(name: str, lang: str) -> str:
    """The registered set ``name`` as published, and its download size only when training
    would download it (not when ``$LAYERLAB_DATASET_DIR`` or Keras's cache holds it)."""
    from builder.text import t
    info = DATASETS[name]
    if info.download_mb is None or _override(name) is not None or _keras_cached(name):
        return info.about[lang]
    return f"{info.about[lang]} {t('train.downloads_once', lang, size=info.download_mb)}"


def _override(name: str) -> Path | None:
    folder = os.environ.get(OVERRIDE_ENV)
    path = Path(folder) / f"{name}.npz" if folder else None
    return path if path is not None and path.is_file() else None


def _digits() -> tuple[np.ndarray, ...]:
    """scikit-learn's 8×8 digits scaled 0–16 → 0–255; a fixed shuffle, 1,500 train / 297 test."""
    from sklearn.datasets import load_digits
    bunch = load_digits()
    x = np.round(bunch.images * (255 / 16)).astype("uint8")
    order = np.random.default_rng(1797).permutation(len(x))
    train, test = order[:1500], order[1500:]
    return x[train], bunch.target[train], x[test], bunch.target[test]


def _keras_download(name: str, progress: Progress | None) -> tuple[np.ndarray, ...]:
    """``keras.datasets.<name>.load_data()``, forwarding download progress to ``progress``.

    When the set is not in Keras's cache yet, the download server must answer within
    CONNECT_TIMEOUT first, so an offline machine fails in seconds, before Keras loads.
    """
    if not _keras_cached(name):
        _check_reachable(name)
    import keras
    from keras.src.utils import file_utils
    original = file_utils.urlretrieve

    def reporting(url, filename, reporthook=None, data=None):
        def hook(blocks: int, block_size: int, total: int) -> None:
            if reporthook:
                reporthook(blocks, block_size, total)
            if progress:
                progress(blocks * block_size, total if total > 0 else None)
        return original(url, filename, hook, data)

    file_utils.urlretrieve = reporting
    try:
        (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    except Exception as exc:  # keras raises bare Exception for network failures
        raise _download_failed(name, exc) from None
    finally:
        file_utils.urlretrieve = original
    return x_train, y_train, x_test, y_test


def keras_folder() -> str:
    """Where Keras keeps downloaded sets (``~/.keras/datasets`` unless ``$KERAS_HOME``)."""
    return os.path.join(os.environ.get("KERAS_HOME", os.path.expanduser("~/.keras")), "datasets")


def _keras_cached(name: str) -> bool:
    """True when Keras's cache holds the set's file (or a non-empty folder for it)."""
    path = Path(keras_folder(), KERAS_FILES[name])
    return path.is_file() or (path.is_dir() and any(path.iterdir()))


def _check_reachable(name: str) -> None:
    """Open (and close) a connection to the download server, or the proxy that reaches it."""
    url = urllib.parse.urlsplit(ORIGINS[name])
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(url.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        via = urllib.parse.urlsplit(proxy if "//" in proxy else f"//{proxy}")
        host, port = via.hostname or host, via.port or 80
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise _download_failed(name, exc) from None


def _download_failed(name: str, exc: Exception) -> LabError:
    return LabError("download_failed", dataset=name, name=name,
                    reason=str(exc)[:160] or type(exc).__name__, folder=keras_folder(),
                    file=KERAS_FILES[name], env=OVERRIDE_ENV, offline_dataset=OFFLINE)


def max_dataset_bytes() -> int:
    """The most bytes a dataset's arrays may decode to: ``$LAYERLAB_MAX_DATASET_BYTES``
    (a positive whole number), else DEFAULT_MAX_BYTES."""
    value = os.environ.get(MAX_BYTES_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BYTES


def check_archive(source: str | bytes) -> None:
    """Refuse a ``.npz`` whose zip directory or array headers promise too much; decompresses
    only the headers, so the server can run it on an upload before anything else."""
    _from_npz(source, "", None, headers_only=True)


def _from_npz(source: str | bytes, name: str, class_names: tuple[str, ...] | None,
              headers_only: bool = False) -> Dataset | None:
    """Read a Keras-layout archive: headers checked before any array is decompressed, and
    no array decompressed beyond the size its header declares (zip bombs lie)."""
    size = len(source) if isinstance(source, bytes) else _file_size(source)
    if size > MAX_FILE_BYTES:
        raise LabError("too_big", size=size, limit=MAX_FILE_BYTES)
    opened = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
    with _plain_errors(), opened, _checked_zip(opened, MAX_NPZ_ENTRIES) as archive:
        headers = _headers(archive)
        _check_headers(headers)
        if headers_only:
            return None
        arrays = {key: _read_array(archive, header) for key, header in headers.items()}
    with _plain_errors():
        if "class_names" in arrays:
            class_names = _class_names(arrays.pop("class_names"))
        return _validated(arrays, name, class_names)


def peek(source: str) -> tuple[tuple[int, int, int], int]:
    """The input shape and the number of training images of ``source``, read from headers
    only (a registered set not on this computer: its published figures)."""
    info = DATASETS.get(source)
    path = _override(source) if info else Path(source)
    if path is None:
        return info.input_shape, info.train_images
    _file_size(str(path))
    with _plain_errors(), open(path, "rb") as opened, _checked_zip(opened, MAX_NPZ_ENTRIES) as archive:
        headers = _headers(archive)
        _check_headers(headers)
        shape = headers["x_train"].shape
        return (shape[1], shape[2], _channels(shape)), shape[0]


def train_images(source: str) -> int:
    """How many training images ``source`` holds (:func:`peek`)."""
    return peek(source)[1]


@contextlib.contextmanager
def _plain_errors() -> Iterator[None]:
    """A damaged archive or too little memory as a LabError, never a traceback."""
    try:
        yield
    except LabError:
        raise
    except MemoryError:
        raise LabError("npz_memory", limit=max_dataset_bytes(), env=MAX_BYTES_ENV) from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError, zlib.error,
            NotImplementedError) as exc:
        raise LabError("npz_corrupt", detail=str(exc)[:120] or type(exc).__name__) from None


def check_directory(data: BinaryIO, max_entries: int, too_many: str = "zip_too_many",
                    entry_bytes: int = MAX_ENTRY_BYTES) -> None:
    """Refuse a zip whose end record declares more than ``max_entries`` entries (or a
    directory bigger than ``entry_bytes`` per entry), before the directory is parsed:
    ``zipfile`` would build an object per entry, and millions of them would take the
    server's memory. Raises ``zipfile.BadZipFile`` when there is no end record."""
    end = zipfile._EndRecData(data)  # the standard library's reader of that record
    if end is None:
        raise zipfile.BadZipFile("no zip end record")
    count = end[zipfile._ECD_ENTRIES_TOTAL]
    if count > max_entries or end[zipfile._ECD_SIZE] > max_entries * entry_bytes:
        raise LabError(too_many, count=max(count, max_entries + 1), limit=max_entries)


def _checked_zip(data: BinaryIO, max_entries: int) -> zipfile.ZipFile:
    check_directory(data, max_entries, "npz_entries")
    return zipfile.ZipFile(data)


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        raise LabError("file_missing", path=path) from None


@dataclass(frozen=True)
class _Header:
    """One array's member in the archive and what its .npy header declares."""

    member: zipfile.ZipInfo
    shape: tuple[int, ...]
    fortran: bool
    dtype: np.dtype

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def _headers(archive: zipfile.ZipFile) -> dict[str, _Header]:
    """Each wanted array's header, read without decompressing its data; refuses archives
    whose directory or headers declare more than :func:`max_dataset_bytes` in all."""
    members = {i.filename[:-4]: i for i in archive.infolist() if i.filename.endswith(".npy")}
    missing = [k for k in REQUIRED_KEYS if k not in members]
    if missing:
        raise LabError("npz_keys", missing=", ".join(missing), found=", ".join(sorted(members)) or "-")
    wanted = [members[k] for k in (*REQUIRED_KEYS, *(k for k in OPTIONAL_KEYS if k in members))]
    _check_size(sum(i.file_size for i in wanted))
    headers = {}
    for info in wanted:
        with archive.open(info) as f:
            shape, fortran, dtype = _npy_header(f)
        key = info.filename[:-4]
        if dtype.hasobject:
            raise LabError("npz_pickle", array=key)
        headers[key] = _Header(info, shape, fortran, dtype)
    _check_size(sum(h.nbytes for h in headers.values()))
    return headers


def _npy_header(f) -> tuple[tuple[int, ...], bool, np.dtype]:
    version = np.lib.format.read_magic(f)
    reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
              else np.lib.format.read_array_header_2_0)
    return reader(f)


def _check_size(declared: int) -> None:
    limit = max_dataset_bytes()
    if declared > limit:
        raise LabError("npz_too_big", size=declared, limit=limit, env=MAX_BYTES_ENV)


def _read_array(archive: zipfile.ZipFile, header: _Header) -> np.ndarray:
    """The array as its header declares it, decompressed a chunk at a time into its final
    buffer: fewer bytes, or a single byte more, than declared is a damaged archive."""
    array = np.empty(header.shape, header.dtype, order="F" if header.fortran else "C")
    target = array.reshape(-1, order="A").view(np.uint8) if array.size else np.empty(0, np.uint8)
    with archive.open(header.member) as f:
        _npy_header(f)
        done = 0
        while done < header.nbytes:
            chunk = f.read(min(CHUNK, header.nbytes - done))
            if not chunk:
                raise LabError("npz_corrupt", detail=f"{header.member.filename}: data ends early")
            target[done:done + len(chunk)] = np.frombuffer(chunk, np.uint8)
            done += len(chunk)
        if f.read(1):
            raise LabError("npz_corrupt", detail=f"{header.member.filename}: more data than declared")
    return array


def _check_headers(headers: dict[str, _Header]) -> None:
    for split in ("train", "test"):
        x, y = headers[f"x_{split}"], headers[f"y_{split}"]
        _check_images(f"x_{split}", x.shape, x.dtype)
        n = x.shape[0]
        if y.shape not in ((n,), (n, 1)):
            raise LabError("npz_labels_shape", array=f"y_{split}", n=n, got=_shape(y.shape))
    train, test = headers["x_train"].shape, headers["x_test"].shape
    if train[1:3] != test[1:3] or _channels(train) != _channels(test):
        raise LabError("npz_split_shapes", train=_shape(train[1:]), test=_shape(test[1:]))
    if train[0] < MIN_TRAIN or test[0] < 1:
        raise LabError("npz_too_few", minimum=MIN_TRAIN)


def _check_images(key: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
    ok_rank = len(shape) in (3, 4) and (len(shape) == 3 or 1 <= shape[3] <= MAX_CHANNELS)
    if not ok_rank or not all(1 <= s <= MAX_SIDE for s in shape[1:3]):
        raise LabError("npz_images_shape", array=key, got=_shape(shape), side=MAX_SIDE,
                       channels=MAX_CHANNELS)
    if shape[0] > MAX_IMAGES:
        raise LabError("npz_too_many", array=key, count=shape[0], limit=MAX_IMAGES)
    if dtype.kind not in "uif":
        raise LabError("npz_dtype", array=key, got=str(dtype), expected="uint8 (0–255)")


def _validated(arrays: dict[str, np.ndarray], name: str,
               class_names: tuple[str, ...] | None) -> Dataset:
    x_train, x_test = (_pixels(k, arrays[k]) for k in ("x_train", "x_test"))
    y_train, y_test = (_labels(k, arrays[k]) for k in ("y_train", "y_test"))
    classes = len(class_names) if class_names else int(y_train.max()) + 1
    if not 2 <= classes <= MAX_CLASSES:
        raise LabError("npz_classes", got=classes, limit=MAX_CLASSES)
    for key, y in (("y_train", y_train), ("y_test", y_test)):
        if y.min() < 0 or y.max() >= classes:
            raise LabError("npz_label_range", array=key, low=int(y.min()), high=int(y.max()),
                           classes_max=classes - 1)
    names = class_names or tuple(str(c) for c in range(classes))
    return Dataset(name, names, x_train, y_train, x_test, y_test)


def _pixels(key: str, x: np.ndarray) -> np.ndarray:
    """uint8 (N, H, W, C): adds the channel axis; other dtypes must hold values 0–255."""
    if x.ndim == 3:
        x = x[..., np.newaxis]
    if x.dtype == np.uint8:
        return x
    in_range = x.dtype.kind in "uif" and (x.size == 0 or (
        np.isfinite(x).all() and x.min() >= 0 and x.max() <= 255))
    if not in_range:
        raise LabError("npz_dtype", array=key, got=str(x.dtype), expected="uint8 (0–255)")
    return (np.rint(x, out=x) if x.dtype.kind == "f" else x).astype("uint8")


def _labels(key: str, y: np.ndarray) -> np.ndarray:
    if y.dtype.kind not in "iu":
        raise LabError("npz_dtype", array=key, got=str(y.dtype), expected="integer class indices")
    return y.reshape(-1).astype("int64")


def _class_names(value: np.ndarray) -> tuple[str, ...]:
    if value.dtype.kind != "U" or value.ndim != 1:
        raise LabError("npz_dtype", array="class_names", got=str(value.dtype),
                       expected="a 1-D array of text")
    return tuple(str(v) for v in value)


def _channels(shape: tuple[int, ...]) -> int:
    return shape[3] if len(shape) == 4 else 1


def _shape(shape: tuple[int, ...]) -> str:
    """A file's array shape; ``()`` for a single number."""
    return shape_text(shape) if shape else "()"
