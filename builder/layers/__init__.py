"""Every layer type LayerLab knows, one module per family; ``base`` says what a type is.

    base.py            Param, LayerType (parameters, shape/param/FLOPs rules, worked formula,
                       Keras mapping both ways, code line, palette group, explanation)
    convolution.py     Conv2D
    pooling.py         MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D
    core.py            Flatten, Dense, Activation, Rescaling
    regularization.py  Dropout, BatchNormalization
    augmentation.py    RandomFlip, RandomRotation, RandomZoom, RandomTranslation
    blocks.py          BlockType: Residual, Branch (merge rule, shortcut, Keras plan, defaults)

Adding a layer type means adding it to its family module (and its words to the
translation table); the palette, editor, analysis, Keras builder, code export, JSON
loaders, canvas and diagram all ask the type. Nothing outside this package and
``builder/text/`` names a layer type (tests/test_layers.py checks).
"""
from __future__ import annotations

from builder.layers import augmentation, blocks, convolution, core, pooling, regularization
from builder.layers.base import (ACTIVATIONS, ROLE_SHORT, ROLES, LayerType, Param, ParamError,
                                 shape_text)
from builder.layers.blocks import BlockType

FAMILIES = (convolution, pooling, core, regularization, augmentation, blocks)
GROUPS = tuple(family.__name__.rsplit(".", 1)[1] for family in FAMILIES)
LAYER_TYPES: tuple[LayerType, ...] = tuple(kind for family in FAMILIES for kind in family.TYPES)
CATALOGUE: dict[str, LayerType] = {kind.name: kind for kind in LAYER_TYPES}
FLATTEN = core.FLATTEN  # what the analysis inserts where a feature map must become a vector
CLASSIFIER = core.DENSE  # the head a classifier ends with: one unit per class, softmax

__all__ = ["ACTIVATIONS", "BlockType", "CATALOGUE", "CLASSIFIER", "FLATTEN", "GROUPS",
           "LAYER_TYPES", "ROLE_SHORT", "ROLES", "LayerType", "Param", "ParamError",
           "block_type", "by_group", "layer_type", "shape_text", "with_role"]


def layer_type(name: str) -> LayerType | None:
    """The entry for ``name``, or None for an unknown type."""
    return CATALOGUE.get(name)


def with_role(role: str) -> tuple[LayerType, ...]:
    """The types declared with ``role`` (one of :data:`ROLES`), in palette order."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return tuple(kind for kind in LAYER_TYPES if kind.role == role)


def block_type(name: str) -> BlockType | None:
    """The entry for ``name`` when it is a block type, else None."""
    kind = CATALOGUE.get(name)
    return kind if isinstance(kind, BlockType) else None


def by_group() -> dict[str, list[LayerType]]:
    """Entries grouped for the palette, in family order."""
    return {g: [k for k in LAYER_TYPES if k.group == g] for g in GROUPS}
