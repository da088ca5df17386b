"""A run's default name: who made it and a short signature of its model.

"민준 · 2×Conv · 1×Dense · 44.6k" — the owner, how many layers of each role that shapes a
model (:data:`builder.layers.ROLE_SHORT`, in its order, blocks' insides counted) and the
parameter count, so a teacher tells thirty students' designs apart at a glance. A name
given when the run is created, or a rename later, is kept as it is.
"""
from __future__ import annotations

from collections import Counter

from builder.analysis import analyse
from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.formats import compact
from builder.layers import ROLE_SHORT, layer_type

MAX_NAME = 80


def signature(arch: Architecture, dataset: str) -> str:
    """``"2×Conv · 1×Dense · 44.6k"`` (the parameter count on ``dataset``'s classes)."""
    roles = Counter(kind.role for kind in (layer_type(layer.type) for _, layer in arch.walk())
                    if kind is not None)
    parts = [f"{roles[role]}×{short}" for role, short in ROLE_SHORT.items() if roles[role]]
    info = DATASETS.get(dataset)
    params = analyse(arch, info.classes if info else None, check_fixes=False).total_params
    return " · ".join([*parts, compact(params)])


def default_name(owner: str, arch: Architecture, dataset: str) -> str:
    """The owner (when there is one) and the model's signature."""
    return " · ".join(p for p in (owner, signature(arch, dataset)) if p)[:MAX_NAME]
