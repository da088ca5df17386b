"""Size limits of a model: what the analysis refuses (error) or warns about before Start.

* ``$LAYERLAB_MAX_PARAMS`` (default 50,000,000): total parameters allowed.
* ``$LAYERLAB_MAX_TRAIN_MEMORY`` (bytes, ``K``/``M``/``G`` suffixes allowed): memory one
  trainer may use for the model's training state; by default this machine's RAM divided by
  ``$LAYERLAB_WORKERS`` (trainers run side by side).
* ``$LAYERLAB_WARN_PARAMS`` (default 10,000,000): above this a model gets a warning.

The training state counted is the forecast's model part (:mod:`builder.forecast`): four
float32 copies of the weights (weights, gradients, two Adam slots) plus three copies of a
default batch's activations. The dataset and the process itself come on top.
"""
from __future__ import annotations

import os
from functools import cache

BYTES_PER_VALUE = 4
DEFAULT_MAX_PARAMS = 50_000_000
DEFAULT_WARN_PARAMS = 10_000_000
DEFAULT_BATCH = 64  # TrainSettings().batch_size
FALLBACK_RAM = 8 * 2 ** 30  # when the machine does not say
_SUFFIX = {"K": 2 ** 10, "M": 2 ** 20, "G": 2 ** 30, "T": 2 ** 40}


def training_bytes(params: int, activations_bytes: int, batch_size: int = DEFAULT_BATCH) -> int:
    """Weights ×4 (weights, gradients, two Adam slots) plus a batch's activations ×3."""
    return 4 * params * BYTES_PER_VALUE + 3 * batch_size * activations_bytes


def size_text(n: int) -> str:
    """Bytes for people: ``1.5 GB`` from a gibibyte up, else ``300 MB``."""
    return f"{n / 2 ** 30:,.1f} GB" if n >= 2 ** 30 else f"{n / 2 ** 20:,.0f} MB"


def max_params() -> int:
    return _env_size("LAYERLAB_MAX_PARAMS", DEFAULT_MAX_PARAMS)


def warn_params() -> int:
    return _env_size("LAYERLAB_WARN_PARAMS", DEFAULT_WARN_PARAMS)


def current() -> tuple[int, int, int]:
    """(max params, warn params, max train memory) as the environment sets them now."""
    return max_params(), warn_params(), max_train_memory()


def max_train_memory() -> int:
    """Bytes one trainer may use: $LAYERLAB_MAX_TRAIN_MEMORY, else RAM ÷ workers."""
    return _env_size("LAYERLAB_MAX_TRAIN_MEMORY", _ram() // _workers())


@cache
def _ram() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return FALLBACK_RAM


def _workers() -> int:
    try:
        return max(1, int(os.environ.get("LAYERLAB_WORKERS", "1")))
    except ValueError:
        return 1


def _env_size(name: str, default: int) -> int:
    """A positive whole number from the environment (``8G``, ``500M``, ``50_000_000``)."""
    text = os.environ.get(name, "").strip().upper().replace("_", "").replace(",", "")
    scale = _SUFFIX.get(text[-1:], 1)
    try:
        value = int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        return default
    return value if value > 0 else default
