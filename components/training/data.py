"""The dataset picker: a registered set, an uploaded .npz or a .zip of image folders (one
per class, turned into a .npz by a worker: :mod:`builder.image_folder`), its facts and a
sample grid.

The server never decodes a dataset itself: a worker process reads it under a memory cap
and hands back a small :class:`~builder.dataset_summary.Summary` (labels, a preview, a
few test images), which is all the page keeps — at most CACHED summaries, each a few MB
even for the largest images allowed. An upload's zip and array headers are checked here
first (no decompression), so a zip bomb is refused before any process starts. A
registered set that would need ``keras.datasets`` to download is fetched by a separate
process (:mod:`components.training.fetch`) when the person asks for a preview; otherwise
the trainer downloads it when the run starts.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from builder import dataset_summary, datasets, image_folder
from builder.dataset_summary import Summary
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.text import t
from components import safe, services, state
from components.canvas.view import shape_text
from components.training import fetch, images
from components.training.words import duration

KEY, UPLOAD_KEY, MEMO_KEY = "train_dataset", "train_upload", "train_upload_memo"
SIZE_KEY = "train_image_size"
UPLOAD = "upload"
CACHED = 4  # summaries kept by the server


@dataclass(frozen=True)
class Choice:
    """The chosen dataset: ``spec`` is what a run stores (a registered name or the path of
    a kept upload); ``data`` is loaded when the server can read it without Keras;
    ``unavailable`` when its download failed (Start waits until it is on this computer)."""

    spec: str
    title: str
    input_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    data: Summary | None
    unavailable: bool = False

    @property
    def classes(self) -> int:
        return len(self.class_names)


def picker(lang: str) -> Choice | None:
    """The dataset select box (defaulting to the Build page's), its facts and preview."""
    st.session_state.setdefault(KEY, state.dataset().name)
    name = st.selectbox(t("train.dataset", lang), [*DATASETS, UPLOAD], key=KEY,
                        format_func=lambda n: t("train.upload_option", lang) if n == UPLOAD
                        else DATASETS[n].title[lang])
    choice = _uploaded(lang) if name == UPLOAD else _registered(name, lang)
    if choice is not None:
        _describe(choice, lang)
    return choice


def use_offline() -> None:
    """Switch the picker to the set that needs no network."""
    st.session_state[KEY] = datasets.OFFLINE


def offline_button(lang: str, key: str) -> None:
    st.button(t("train.use_offline", lang, title=DATASETS[datasets.OFFLINE].title[lang]),
              key=key, icon=":material/cloud_off:", on_click=use_offline)


def download_failure(name: str, detail: str, lang: str, key: str) -> None:
    """A failed download in one plain sentence (what to do), the technical detail folded
    away, and the button that switches to the offline set."""
    title = DATASETS[name].title[lang] if name in DATASETS else name
    folder = datasets.keras_folder().replace(os.path.expanduser("~"), "~", 1)
    st.error(t("train.download_failed", lang, title=title, folder=folder,
               offline=DATASETS[datasets.OFFLINE].title[lang]), icon=":material/cloud_off:")
    with st.expander(t("train.download_detail", lang)):
        st.caption(safe.escape(detail))
    offline_button(lang, key)


# ---------------------------------------------------------------- registered sets

def _registered(name: str, lang: str) -> Choice:
    info = DATASETS[name]
    data = None
    try:
        data = readable(name)
    except LabError as exc:
        st.error(safe.error(exc, lang), icon=":material/block:")
    failed = data is None and not _fetching(name) and "error" in (_fetch_status(name) or {})
    return Choice(name, info.title[lang], info.input_shape, info.class_names, data, failed)


def readable(spec: str) -> Summary | None:
    """The summary of ``spec`` when it can be read without Keras, else None.

    Raises LabError for a broken file. A registered set that would need Keras to download
    is readable once the fetch process saved it.
    """
    if spec not in DATASETS:
        return _load(spec) if Path(spec).is_file() else None
    if not datasets.needs_keras(spec):
        return _load(spec, os.environ.get(datasets.OVERRIDE_ENV, ""))
    fetched = fetch.data_path(_fetch_folder(), spec)
    return _load(str(fetched)) if fetched.is_file() else None


@st.cache_resource(max_entries=CACHED, show_spinner=False)
def _load(source: str, override_dir: str = "") -> Summary:
    """A dataset's summary read by a worker, kept per source (and override folder, which
    can replace it)."""
    return dataset_summary.read(source)


# ---------------------------------------------------------------- uploads

def _uploaded(lang: str) -> Choice | None:
    file = st.file_uploader(t("train.upload", lang), type=["npz", "zip"], key=UPLOAD_KEY,
                            help=t("train.upload_help", lang))
    if file is None:
        st.caption(t("train.upload_help", lang))
        st.caption(t("train.upload_folder_help", lang))
        return None
    size = _image_size(lang) if image_folder.is_image_folder(file.name) else None
    memo = st.session_state.setdefault(MEMO_KEY, {})
    if (file.file_id, size) not in memo:
        with st.spinner(t("train.upload_reading", lang)):
            memo[(file.file_id, size)] = _keep(file.getvalue(), size)
    kept = memo[(file.file_id, size)]
    if isinstance(kept, LabError):
        st.error(t("train.upload_bad", lang, error=safe.error(kept, lang)), icon=":material/block:")
        return None
    data = _load(kept)
    return Choice(kept, file.name, data.input_shape, data.class_names, data)


def _image_size(lang: str) -> str:
    """The size a folder of images is made into (28×28 grey or 32×32 colour)."""
    return st.radio(t("train.image_size", lang), list(image_folder.SIZES), key=SIZE_KEY,
                    horizontal=True, format_func=lambda s: t(f"train.image_size_{s}", lang))


def _keep(content: bytes, size: str | None = None) -> str | LabError:
    """Check an upload's headers, keep it in the store and have a worker read it (a file
    the worker refuses is removed again); the path is the run's dataset spec. A zip of
    image folders (``size`` given) is first turned into a ``.npz`` by a worker."""
    path = None
    try:
        if size is None:
            datasets.check_archive(content)
        else:
            content = image_folder.read(content, size)
        path = services.store().keep_upload(content)
        _load(path)
    except LabError as exc:
        if path is not None:
            Path(path).unlink(missing_ok=True)
        return exc
    return path


# ---------------------------------------------------------------- facts and preview

def _describe(choice: Choice, lang: str) -> None:
    """The counts of the images that will be used (when loaded), then the set as published."""
    shape = shape_text(choice.input_shape)
    info = DATASETS.get(choice.spec)
    if choice.data is not None:
        counts = len(choice.data.y_train), len(choice.data.y_test)
        st.caption(t("train.info", lang, train=counts[0], test=counts[1], shape=shape,
                     classes=choice.classes))
        if info is not None and counts != (info.train_images, info.test_images):
            st.caption(t("train.info_copy", lang))
    if info is not None:
        st.caption(datasets.description(choice.spec, lang))
    st.caption(t("train.class_list", lang, names=", ".join(map(safe.escape, choice.class_names))))
    if info is None and choice.data is not None:
        st.caption(t("train.class_counts", lang, counts=_class_counts(choice)))
    if choice.data is not None:
        grid = choice.data.preview
        with st.expander(t("train.preview", lang), expanded=True):
            images.gallery(grid.images, [grid.class_names[label] for label in grid.labels])
    elif info is not None:
        _download(choice.spec, choice.title, lang)


def _class_counts(choice: Choice) -> str:
    """``cats 40/10 · dogs 38/9``: training and test images of each class."""
    train = np.bincount(choice.data.y_train, minlength=choice.classes)
    test = np.bincount(choice.data.y_test, minlength=choice.classes)
    return " · ".join(f"{safe.escape(name)} {a:,}/{b:,}"
                      for name, a, b in zip(choice.class_names, train, test))


def _download(name: str, title: str, lang: str) -> None:
    """"Download now" and, while the fetch process runs, its progress; after a failure,
    what to do instead and "Try again"."""
    if _fetching(name):
        st.fragment(run_every=0.5)(_download_progress)(name, title, lang)
        return
    status = _fetch_status(name)
    if status and "error" in status:
        download_failure(name, status["error"].get(lang) or status["error"]["en"], lang,
                         "train_offline_fetch")
        st.button(t("train.download_retry", lang), key="train_download", icon=":material/refresh:",
                  on_click=_start_fetch, args=(name,))
        return
    st.info(t("train.not_downloaded", lang, title=title), icon=":material/info:")
    st.button(t("train.download", lang), key="train_download", icon=":material/download:",
              on_click=_start_fetch, args=(name,))


def _download_progress(name: str, title: str, lang: str) -> None:
    if not _fetching(name):
        st.rerun()
    status = _fetch_status(name) or {}
    done, total = status.get("done", 0), status.get("total")
    if done:
        text = t("train.downloading", lang, title=title, done=megabytes(done, total))
    else:
        waited = time.monotonic() - _fetchers()[name][1]
        text = t("train.connecting", lang, title=title, elapsed=duration(waited, lang))
    st.progress(min(done / total, 1.0) if total else 0.0, text=text)


def megabytes(done: int, total: int | None) -> str:
    """``3.2 / 11.5 MB`` (or ``3.2 MB`` when the size is unknown)."""
    return f"{done / 1e6:.1f} / {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"


@st.cache_resource(show_spinner=False)
def _fetchers() -> dict[str, tuple[subprocess.Popen, float]]:
    """The fetch process of each dataset and when it started (``time.monotonic``)."""
    return {}


def _fetching(name: str) -> bool:
    process, _ = _fetchers().get(name, (None, 0.0))
    return process is not None and process.poll() is None


def _start_fetch(name: str) -> None:
    if _fetching(name):
        return
    folder = _fetch_folder()
    folder.mkdir(parents=True, exist_ok=True)
    fetch.status_path(folder, name).unlink(missing_ok=True)
    process = services.start_worker("components.training.fetch", name, str(folder))
    _fetchers()[name] = (process, time.monotonic())


def _fetch_status(name: str) -> dict | None:
    try:
        return json.loads(fetch.status_path(_fetch_folder(), name).read_text())
    except (OSError, ValueError):
        return None


def _fetch_folder() -> Path:
    return services.store().files / "datasets"
