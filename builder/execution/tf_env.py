"""The environment of every process of ours that loads TensorFlow: trainers, the warm pool,
the inference, calibration and download workers, Ray jobs and the CLI's own training.

Two variables, each only where the user has not set it already:

* ``TF_CPP_MIN_LOG_LEVEL`` = 2: TensorFlow's C++ start-up chatter stays out of logs.
* ``TF_ENABLE_ONEDNN_OPTS`` = 1: TensorFlow's oneDNN CPU kernels. TensorFlow turns them on
  by itself only on CPUs with AVX-512 VNNI/BF16 or AMX; on others (e.g. an AVX2 AMD EPYC)
  they train the seed MNIST CNN with about 20 % less CPU time per step, learning the same
  (``bench/training_overhead.py``, ``bench/real_data.py``).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "1"}


def tf_variables() -> dict[str, str]:
    """:data:`DEFAULTS`, with the values already in ``os.environ`` winning."""
    return {name: os.environ.get(name, value) for name, value in DEFAULTS.items()}


def child_environment() -> dict[str, str]:
    """``os.environ`` for a ``python -m builder.…`` child: this project on ``PYTHONPATH``
    and :func:`tf_variables`."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **tf_variables()}


def apply() -> None:
    """Set :func:`tf_variables` in this process; call before TensorFlow is imported."""
    os.environ.update(tf_variables())
