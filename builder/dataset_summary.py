"""What the Streamlit server knows of a dataset: its shapes, labels and a few images, read
by a short-lived worker process so that the server never decodes a dataset itself.

A hostile or damaged upload can at worst fail that worker: it runs under a memory cap
(``RLIMIT_AS``, :func:`worker_memory`), reads the archive with ``datasets.load`` (headers
checked first, no array decompressed past its declared size) and hands back a small
summary file — labels, PREVIEW images per preview and SAMPLE test images — never the arrays.

* ``read(source) -> Summary`` — run the worker on a registered name or a ``.npz`` path;
  every failure, a killed worker included, is a LabError.
* ``summarize(dataset) -> Summary`` — the same summary of a loaded dataset (in the worker).
* ``run_worker(module, args, out)`` — any such worker (also :mod:`builder.image_folder`).

The worker: ``python -m builder.dataset_summary SOURCE OUT.npz MEMORY_BYTES``.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from builder import datasets
from builder.datasets import Dataset, Grid
from builder.errors import LabError

PREVIEW = 20       # images in the picker's preview grid
SAMPLE = 24        # test images kept for a run's gallery (evaluation shows up to this many)
TIMEOUT = 180.0    # seconds a worker may take (a 2 GB set decodes in well under a minute)
BASE_MEMORY = 1 << 30  # the worker's own address space besides the data: Python, NumPy, zlib
ROOT = Path(__file__).resolve().parents[1]
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


@dataclass(frozen=True)
class Summary:
    """A dataset without its pixels: its labels, a preview grid and SAMPLE test images.

    ``sample_index`` holds the first SAMPLE entries of a seed-0 permutation of the test
    indices (sorted), so ``np.sort(rng(0).permutation(n)[:k])`` for any k ≤ SAMPLE — the
    Train page's gallery picks — are all kept.
    """

    name: str
    class_names: tuple[str, ...]
    input_shape: tuple[int, int, int]
    y_train: np.ndarray
    y_test: np.ndarray
    preview: Grid
    sample_index: np.ndarray
    sample_images: np.ndarray

    @property
    def classes(self) -> int:
        return len(self.class_names)

    def test_images(self, indices: np.ndarray) -> np.ndarray:
        """The test images at ``indices``, which must be among ``sample_index``."""
        where = np.searchsorted(self.sample_index, indices)
        if np.any(where >= len(self.sample_index)) or np.any(self.sample_index[where] != indices):
            raise KeyError("test images outside the kept sample")
        return self.sample_images[where]


def summarize(data: Dataset, preview: int = PREVIEW, sample: int = SAMPLE) -> Summary:
    """The summary of a loaded dataset (the worker's side)."""
    labels = np.uint16 if data.classes <= np.iinfo(np.uint16).max else np.int64
    index = np.sort(np.random.default_rng(0).permutation(len(data.y_test))[:sample])
    return Summary(data.name, data.class_names, data.input_shape, data.y_train.astype(labels),
                   data.y_test.astype(labels), datasets.sample_grid(data, preview), index,
                   data.x_test[index])


def worker_memory() -> int:
    """The worker's address-space cap: room for the arrays twice (a conversion's copy)."""
    return 2 * datasets.max_dataset_bytes() + BASE_MEMORY


def read(source: str, timeout: float = TIMEOUT) -> Summary:
    """The summary of ``source`` (a registered name or a ``.npz`` path), read by a worker.

    Raises the worker's LabError, or ``dataset_worker`` when it died (memory cap, signal)
    or ran past ``timeout`` seconds.
    """
    with tempfile.TemporaryDirectory(prefix="layerlab-summary-") as folder:
        out = Path(folder, "summary.npz")
        run_worker("builder.dataset_summary", [os.fspath(source), str(out)], out, timeout)
        return _load(out)


def run_worker(module: str, args: list[str], out: Path, timeout: float = TIMEOUT) -> None:
    """Run ``python -m module *args MEMORY`` under the worker memory cap; it leaves ``out``,
    or its refusal in ``out`` with ``.json`` (raised here as that LabError)."""
    command = [sys.executable, "-m", module, *args, str(worker_memory())]
    try:
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, **THREADS},
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LabError("dataset_worker", reason=f"> {timeout:.0f} s") from None
    refused = out.with_suffix(".json")
    if refused.is_file():
        doc = json.loads(refused.read_text())
        raise LabError(doc["code"], **doc["values"])
    if done.returncode != 0 or not out.is_file():
        raise LabError("dataset_worker", reason=_exit_reason(done.returncode))


def _exit_reason(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"{name}, probably out of memory" if name == "SIGKILL" else name
    return f"exit {code}"


def _save(summary: Summary, out: Path) -> None:
    np.savez(out, name=np.array(summary.name), class_names=np.array(summary.class_names),
             input_shape=np.array(summary.input_shape), y_train=summary.y_train,
             y_test=summary.y_test, preview_images=summary.preview.images,
             preview_labels=summary.preview.labels, sample_index=summary.sample_index,
             sample_images=summary.sample_images)


def _load(path: Path) -> Summary:
    with np.load(path, allow_pickle=False) as doc:
        names = tuple(str(n) for n in doc["class_names"])
        h, w, c = (int(v) for v in doc["input_shape"])
        return Summary(str(doc["name"]), names, (h, w, c), doc["y_train"], doc["y_test"],
                       Grid(doc["preview_images"], doc["preview_labels"], names),
                       doc["sample_index"], doc["sample_images"])


def cap_memory(limit: int) -> None:
    """Lower this process's address-space limit to ``limit`` bytes (Unix only)."""
    try:
        import resource
    except ImportError:  # not on Unix: the worker still keeps the data out of the server
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    capped = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (capped, hard))


def refusing(out: Path, work: Callable[[], object]) -> None:
    """Run a worker's ``work``; a LabError is written to ``out`` with ``.json`` instead."""
    try:
        work()
    except LabError as exc:
        refusal = {"code": exc.code, "values": exc.args_}
        out.with_suffix(".json").write_text(json.dumps(refusal, default=str))


def main(source: str, out: Path, memory: int) -> None:
    """The worker: the summary in ``out``, or the refusal in ``out`` with ``.json``."""
    cap_memory(memory)
    refusing(out, lambda: _save(summarize(datasets.load(source)), out))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))
