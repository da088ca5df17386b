"""Block types: layers whose paths hold small stacks of their own (Residual, Branch).

A :class:`BlockType` owns what makes it a block: how its paths' outputs merge (shape,
parameters, FLOPs), the one edit that repairs a merge that does not fit, its Keras graph
(the helper nodes after its paths), how those helper nodes read back from Keras JSON, the
paths a fresh block gets, and how the canvas and diagram draw it.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any, Callable

from builder.layers.base import (ACTIVATIONS, LayerType, Lines, choice_param, params_text,
                                 shape_text, text)
from builder.rules import Shape, ShapeError, merge_shape, projection_strides
from builder.text import t

Merged = tuple[Shape, int, int]  # output shape, trainable parameters, FLOPs
Repair = tuple[tuple[int, ...], str, dict]  # address inside the block, fix text key, params
Spec = tuple[str, dict]  # a layer type's name and parameters


class Builder:
    """What a block's Keras plan may ask of the planner (see :mod:`builder.keras_graph`)."""

    def stack(self, layers: tuple, source: str, prefix: tuple[int, ...]) -> str: ...

    def helper(self, address: tuple[int, ...], helper: str, class_name: str,
               kwargs: dict[str, Any], inputs: tuple[str, ...]) -> str: ...


@dataclass(frozen=True)
class BlockType(LayerType):
    """A block: ``paths`` (min, max) and the callables below instead of a shape rule."""

    merge: Callable[[dict, Shape, list[Shape]], Merged] = None
    repair: Callable[[Any, dict, list[Shape]], Repair | None] = lambda block, p, outs: None
    plan: Callable[[Builder, Any, dict, str, tuple, Any], str] = None
    read_helper: Callable[[dict, str, dict, int], None] = None  # Keras JSON helper node → params
    default_paths: tuple[tuple[Spec, ...], ...] = ()
    helpers: tuple[str, ...] = ()  # suffixes of its helper nodes' names
    shortcut: bool = False  # drawn with a shortcut column beside its paths
    path_label: str = "canvas.path"  # text key; numbered when the block has several paths


# ---------------------------------------------------------------- Residual

def projection(row: Any) -> dict[str, Any] | None:
    """The 1×1 Conv2D that maps a Residual block's input onto its main path's output
    (None: the shortcut is the input itself, or no stride can match the shapes)."""
    if row.input_shape is None or row.output_shape is None or row.input_shape == row.output_shape:
        return None
    strides = projection_strides(row.input_shape, row.output_shape)
    if strides is None:
        return None
    return {"filters": row.output_shape[-1], "kernel_size": (1, 1), "strides": strides,
            "padding": "same"}


def _residual_merge(p: dict, shape: Shape, outs: list[Shape]) -> Merged:
    main = outs[0]
    if main == shape:
        return main, 0, prod(main)
    if projection_strides(shape, main) is None:
        raise ShapeError("residual_mismatch", main=main, shortcut=shape)
    return main, (shape[-1] + 1) * main[-1], prod(main) * shape[-1] + prod(main)


def _residual_repair(block: Any, p: dict, outs: list[Shape]) -> Repair | None:
    """Set padding='same' on the first 'valid' window layer of the main path."""
    from builder.layers import layer_type
    for j, inner in enumerate(block.paths[0]):
        kind = layer_type(inner.type)
        if kind is not None and kind.pads and inner.params.get("padding") == "valid":
            return (0, j), "fix.padding_same", {"padding": "same"}
    return None


def _residual_plan(graph: Builder, block: Any, p: dict, source: str, address: tuple, row: Any) -> str:
    main = graph.stack(block.paths[0], source, (*address, 0))
    conv = projection(row)
    shortcut = graph.helper(address, "projection", "Conv2D", conv, (source,)) if conv else source
    out = graph.helper(address, "add", "Add", {}, (main, shortcut))
    if p["activation"] == "linear":
        return out
    return graph.helper(address, "activation", "Activation", {"activation": p["activation"]}, (out,))


def _residual_read(doc: dict, helper: str, config: dict, sources: int) -> None:
    if helper == "activation":
        doc["params"]["activation"] = config.get("activation")
    elif helper == "add":
        doc["params"].setdefault("activation", "linear")


def _residual_worked(p: dict, row: Any, lang: str, outs: list[Shape]) -> Lines:
    if not row.params:
        return [t("arith.identity", lang)]
    c_in, c_out = row.input_shape[-1], row.output_shape[-1]
    return [f"({c_in} + 1)·{c_out} = {params_text(row.params, lang)} " + t("arith.projection", lang)]


def shortcut_text(row: Any, lang: str = "en") -> str:
    """What a Residual block's shortcut is and why, e.g. "shortcut: 1×1 Conv2D projection,
    1,056 params — added because the main path changes 26×26×32 into 13×13×32"
    (empty while the block's shapes are unknown)."""
    if row.input_shape is None or row.output_shape is None:
        return ""
    shapes = {"inp": shape_text(row.input_shape), "out": shape_text(row.output_shape)}
    if not row.params:
        return t("arith.shortcut_identity", lang, **shapes)
    return t("arith.shortcut_projection", lang, n=f"{row.params:,}", **shapes)


RESIDUAL = BlockType(
    "Residual", "blocks", (choice_param("activation", "relu", ACTIVATIONS),),
    shape=lambda s, p: s, paths=(1, 1), key_params=("activation",),
    merge=_residual_merge, repair=_residual_repair, plan=_residual_plan,
    read_helper=_residual_read, worked=_residual_worked,
    default_paths=((("Conv2D", {"padding": "same"}),
                    ("Conv2D", {"padding": "same", "activation": "linear"})),),
    helpers=("projection", "add", "activation"), shortcut=True, path_label="canvas.main_path",
    explain=text(
        "A main path of layers plus a shortcut that carries the input around it; the two are "
        "added. If the shapes differ, the shortcut gets a 1×1 Conv2D projection. Skip "
        "connections let gradients flow straight back, so deep networks still train.",
        "여러 레이어로 된 주 경로와, 입력을 그대로 건너 보내는 지름길(shortcut)을 더합니다. 형태가 다르면 "
        "지름길에 1×1 Conv2D 투영을 넣습니다. 기울기가 지름길로 곧장 흐르므로 깊은 신경망도 잘 학습됩니다."),
    formula=text("out = activation(main(x) + shortcut(x)); projection params = (C_in + 1)·C_out",
                 "출력 = 활성화(주경로(x) + 지름길(x)); 투영 파라미터 = (C_입력 + 1)·C_출력"),
                 role="residual",
)


# ---------------------------------------------------------------- Branch

def _branch_merge(p: dict, shape: Shape, outs: list[Shape]) -> Merged:
    out = merge_shape(outs, p["merge"])
    return out, 0, prod(out) if p["merge"] == "add" else 0


def _branch_repair(block: Any, p: dict, outs: list[Shape]) -> Repair | None:
    """Adding paths of different channels: concatenating them fits when H×W agree."""
    if p["merge"] != "add":
        return None
    try:
        merge_shape(outs, "concatenate")
    except ShapeError:
        return None
    return (), "fix.concatenate", {"merge": "concatenate"}


def _branch_plan(graph: Builder, block: Any, p: dict, source: str, address: tuple, row: Any) -> str:
    ends = tuple(graph.stack(path, source, (*address, k)) for k, path in enumerate(block.paths))
    merge = p["merge"]
    return graph.helper(address, merge, merge.capitalize(),
                        {"axis": -1} if merge == "concatenate" else {}, ends)


def _branch_read(doc: dict, helper: str, config: dict, sources: int) -> None:
    if helper in ("concatenate", "add"):
        doc["params"]["merge"], doc["paths"] = helper, sources


def _branch_worked(p: dict, row: Any, lang: str, outs: list[Shape]) -> Lines:
    if p["merge"] == "add" or len(row.output_shape) != len(outs[0]):
        return []
    channels = " + ".join(str(o[-1]) for o in outs)
    return [f"{channels} = " + t("arith.channels", lang, n=row.output_shape[-1])]


BRANCH = BlockType(
    "Branch", "blocks", (choice_param("merge", "concatenate", ("concatenate", "add")),),
    shape=lambda s, p: s, paths=(2, 4), key_params=("merge",),
    merge=_branch_merge, repair=_branch_repair, plan=_branch_plan, read_helper=_branch_read,
    worked=_branch_worked,
    default_paths=((("Conv2D", {"kernel_size": 1}),), (("Conv2D", {"padding": "same"}),)),
    helpers=("concatenate", "add"),
    explain=text(
        "Two to four parallel paths see the same input (e.g. 1×1, 3×3 and 5×5 convolutions, "
        "as in Inception); their outputs are joined channel-wise or added.",
        "2–4개의 병렬 경로가 같은 입력을 봅니다(예: Inception처럼 1×1, 3×3, 5×5 합성곱). "
        "출력은 채널 방향으로 이어 붙이거나 더합니다."),
    formula=text("concatenate: C = C₁ + C₂ + …; add: all shapes equal",
                 "이어 붙이기: C = C₁ + C₂ + …; 더하기: 모든 형태가 같아야 함"),
                 role="branch",
)

TYPES = (RESIDUAL, BRANCH)
