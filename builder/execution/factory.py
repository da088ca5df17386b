"""Which executor this server uses: :func:`get_executor` reads ``$LAYERLAB_EXECUTOR``."""
from __future__ import annotations

import importlib.util
import os

from builder.errors import LabError
from builder.execution.executor import EXECUTOR_ENV, LOCAL, RAY_ADDRESS, Executor, RayExecutor
from builder.execution.pool import PoolExecutor
from builder.store import Store


def get_executor(store: Store) -> Executor:
    """The executor named by ``$LAYERLAB_EXECUTOR``: ``local`` (default: the warm pool of
    ``builder.execution.pool``) or a Ray address."""
    kind = os.environ.get(EXECUTOR_ENV, LOCAL) or LOCAL
    if kind == LOCAL:
        return PoolExecutor(store)
    if not RAY_ADDRESS.fullmatch(kind):
        raise LabError("executor_unknown", got=kind, env=EXECUTOR_ENV)
    if importlib.util.find_spec("ray") is None:  # checked without importing it here
        raise LabError("ray_missing")
    return RayExecutor(store, kind)
