"""Analysis: shapes, parameters, FLOPs, memory and problems of an architecture.

``analyse`` walks the stack with the catalogue's rules; it never raises. Each problem
names the layer's 1-based position and type, says what is wrong in plain language with
the real numbers, suggests a fix, and, where one edit repairs it, carries that edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import prod
from typing import Any

from builder import edits
from builder.architecture import Address, Architecture, Layer, position
from builder.catalogue import layer_type
from builder.errors import LabError
from builder.rules import Shape, ShapeError, merge_shape, projection_strides
from builder.text import t

BYTES_PER_VALUE = 4  # float32 activations
WINDOW_TYPES = ("Conv2D", "MaxPooling2D", "AveragePooling2D")


@dataclass(frozen=True)
class Fix:
    """One edit that repairs a problem: insert, set (params) or remove at an address."""

    action: str
    address: Address
    label: str  # text key, e.g. "fix.insert_flatten"
    layer: Layer | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def apply(self, arch: Architecture) -> Architecture:
        if self.action == "insert":
            return edits.insert(arch, self.address, self.layer)
        if self.action == "set":
            return edits.set_params(arch, self.address, **self.params)
        return edits.remove(arch, self.address)

    def text(self, lang: str = "en") -> str:
        return t(self.label, lang, **self.params)


@dataclass(frozen=True)
class Problem:
    """Something wrong (``error``: cannot build or train) or suspicious (``warning``)."""

    address: Address | None  # None: the model as a whole
    layer_type: str
    code: str
    args: dict[str, Any]
    severity: str = "error"
    fix: Fix | None = None

    def where(self, lang: str = "en") -> str:
        if self.address is None:
            return t("pos.model", lang)
        return position(self.address, self.layer_type, lang)

    def message(self, lang: str = "en") -> str:
        return t(f"problem.{self.code}", lang, **_shown(self.args))

    def hint(self, lang: str = "en") -> str:
        return t(f"hint.{self.code}", lang, **_shown(self.args))

    def text(self, lang: str = "en") -> str:
        return f"{self.where(lang)}: {self.message(lang)} — {self.hint(lang)}"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"position": _one_based(self.address), "type": self.layer_type,
                "severity": self.severity, "code": self.code, "message": self.message(lang),
                "hint": self.hint(lang), "fix": self.fix.text(lang) if self.fix else None}


@dataclass(frozen=True)
class Row:
    """One layer's numbers; shapes are None after an earlier error made them unknown."""

    address: Address
    type: str
    input_shape: Shape | None
    output_shape: Shape | None
    trainable: int = 0
    non_trainable: int = 0
    flops: int = 0

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def memory(self) -> int:
        """Bytes of this layer's output for one sample."""
        return prod(self.output_shape) * BYTES_PER_VALUE if self.output_shape else 0


@dataclass(frozen=True)
class Report:
    input_shape: Shape
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]
    output_shape: Shape | None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def trainable(self) -> int:
        return sum(r.trainable for r in self.rows)

    @property
    def non_trainable(self) -> int:
        return sum(r.non_trainable for r in self.rows)

    @property
    def total_params(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def flops(self) -> int:
        return sum(r.flops for r in self.rows)

    @property
    def memory(self) -> int:
        return sum(r.memory for r in self.rows)

    def share(self, row: Row) -> float:
        """Percent of all parameters held by ``row``."""
        return 100.0 * row.params / self.total_params if self.total_params else 0.0

    def row(self, address: Address) -> Row | None:
        return next((r for r in self.rows if r.address == address), None)

    def problems_at(self, address: Address) -> list[Problem]:
        return [p for p in self.problems if p.address == address]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape) if self.output_shape else None,
            "layers": [{"index": _one_based(r.address), "type": r.type,
                        "output_shape": list(r.output_shape) if r.output_shape else None,
                        "params": r.params, "trainable_params": r.trainable,
                        "non_trainable_params": r.non_trainable, "flops": r.flops,
                        "memory_bytes": r.memory} for r in self.rows],
            "total_params": self.total_params, "trainable_params": self.trainable,
            "non_trainable_params": self.non_trainable, "flops": self.flops,
            "memory_bytes": self.memory, "ok": self.ok,
            "problems": [p.to_dict(lang) for p in self.problems],
        }


def analyse(arch: Architecture, num_classes: int | None = None) -> Report:
    """Shapes, numbers and problems for every layer; never raises."""
    walker = _Walker()
    out = walker.stack(arch.layers, tuple(arch.input_shape), ())
    if not arch.layers:
        walker.problem(None, "", "empty", severity="warning")
    elif num_classes and walker.rows and not walker.broken:
        _check_classifier(walker, arch, out, num_classes)
    return Report(tuple(arch.input_shape), tuple(walker.rows), tuple(walker.problems), out)


class _Walker:
    """Collects rows and problems while shapes flow through the stack."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.problems: list[Problem] = []
        self.broken = False

    def problem(self, address: Address | None, type_name: str, code: str,
                severity: str = "error", fix: Fix | None = None, **args: Any) -> None:
        self.problems.append(Problem(address, type_name, code, args, severity, fix))
        self.broken |= severity == "error"

    def stack(self, layers: tuple[Layer, ...], shape: Shape | None, prefix: Address) -> Shape | None:
        for i, layer in enumerate(layers):
            shape = self.layer(layer, shape, (*prefix, i))
        return shape

    def layer(self, layer: Layer, shape: Shape | None, address: Address) -> Shape | None:
        kind = layer_type(layer.type)
        if kind is None:
            self.problem(address, str(layer.type)[:30], "unknown_type",
                         fix=Fix("remove", address, "fix.remove"), type=str(layer.type)[:30])
            self.rows.append(Row(address, str(layer.type)[:30], shape, None))
            return None
        try:
            params = kind.normalize(layer.params)
        except LabError as exc:
            self.problem(address, kind.name, "bad_param", detail=exc.text("en"), detail_ko=exc.text("ko"))
            params = None
        if kind.is_block:
            return self.block(layer, kind.name, params, shape, address)
        if shape is None or params is None:
            self.rows.append(Row(address, kind.name, shape, None))
            return None
        return self.plain(kind, params, shape, address)

    def plain(self, kind, params: dict, shape: Shape, address: Address) -> Shape | None:
        try:
            out = kind.shape(shape, params)
        except ShapeError as exc:
            self.shape_problem(exc, kind.name, params, shape, address)
            self.rows.append(Row(address, kind.name, shape, None))
            return None
        trainable, frozen = kind.weights(shape, params)
        self.rows.append(Row(address, kind.name, shape, out, trainable, frozen,
                             kind.flops(shape, out, params)))
        if kind.name == "Dense" and len(shape) > 1:
            self.problem(address, kind.name, "dense_on_map", severity="warning",
                         fix=Fix("insert", address, "fix.insert_flatten", edits.new_layer("Flatten")),
                         shape=shape, rank=len(shape))
        return out

    def shape_problem(self, exc: ShapeError, type_name: str, params: dict, shape: Shape,
                      address: Address) -> None:
        fix = None
        if exc.code == "kernel_too_big" and params.get("padding") == "valid":
            fix = Fix("set", address, "fix.padding_same", params={"padding": "same"})
        elif exc.code == "needs_image":
            fix = Fix("remove", address, "fix.remove")
        self.problem(address, type_name, exc.code, fix=fix, layer=type_name, **exc.args_)

    def block(self, layer: Layer, type_name: str, params: dict | None, shape: Shape | None,
              address: Address) -> Shape | None:
        kind = layer_type(type_name)
        low, high = kind.paths
        if not low <= len(layer.paths) <= high:
            self.problem(address, type_name, "path_count", low=low, high=high, got=len(layer.paths))
            params = None
        row_index = len(self.rows)
        outs = [self.stack(path, shape, (*address, k)) for k, path in enumerate(layer.paths)]
        if shape is None or params is None or any(o is None for o in outs):
            self.rows.insert(row_index, Row(address, type_name, shape, None))
            return None
        merge = _residual if type_name == "Residual" else _branch
        row = merge(self, address, type_name, params, shape, outs, layer)
        self.rows.insert(row_index, row)
        return row.output_shape


def _residual(walker: _Walker, address: Address, type_name: str, params: dict, shape: Shape,
              outs: list[Shape], layer: Layer) -> Row:
    """Add the main path to the shortcut; a 1×1 projection makes the shapes meet."""
    main = outs[0]
    if main == shape:
        return Row(address, type_name, shape, main, flops=prod(main))
    strides = projection_strides(shape, main)
    if strides is None:
        fix = _padding_fix(layer, address)
        walker.problem(address, type_name, "residual_mismatch", fix=fix, main=main, shortcut=shape)
        return Row(address, type_name, shape, None)
    trainable = (shape[-1] + 1) * main[-1]
    flops = prod(main) * shape[-1] + prod(main)
    return Row(address, type_name, shape, main, trainable, 0, flops)


def _branch(walker: _Walker, address: Address, type_name: str, params: dict, shape: Shape,
            outs: list[Shape], layer: Layer) -> Row:
    """Concatenate channels (equal H×W) or add (equal shapes) the parallel paths."""
    try:
        out = merge_shape(outs, params["merge"])
    except ShapeError as exc:
        fix = None
        if params["merge"] == "add":
            try:
                merge_shape(outs, "concatenate")
                fix = Fix("set", address, "fix.concatenate", params={"merge": "concatenate"})
            except ShapeError:
                pass
        walker.problem(address, type_name, exc.code, fix=fix, **exc.args_)
        return Row(address, type_name, shape, None)
    return Row(address, type_name, shape, out, flops=prod(out) if params["merge"] == "add" else 0)


def _padding_fix(block: Layer, address: Address) -> Fix | None:
    """Set padding='same' on the first 'valid' window layer of the block's main path."""
    for j, inner in enumerate(block.paths[0]):
        if inner.type in WINDOW_TYPES and inner.params.get("padding") == "valid":
            return Fix("set", (*address, 0, j), "fix.padding_same", params={"padding": "same"})
    return None


def _check_classifier(walker: _Walker, arch: Architecture, out: Shape | None,
                      classes: int) -> None:
    """A classifier ends with one probability per class: Dense(classes, softmax).

    A feature map at the end, or the wrong number of outputs, cannot be trained on the
    dataset's labels (error); outputs that are not probabilities train badly (warning).
    """
    end = len(arch.layers) - 1
    last = arch.layers[end]
    softmax = last.type in ("Dense", "Activation") and last.params.get("activation") == "softmax"
    if out is None or (out == (classes,) and softmax):
        return
    if len(out) > 1:
        flatten = next((p.fix for p in walker.problems if p.code == "dense_on_map"),
                       Fix("insert", (end + 1,), "fix.insert_flatten", edits.new_layer("Flatten")))
        walker.problem((end,), last.type, "output_map", fix=flatten, shape=out, classes=classes)
        return
    if last.type == "Dense":
        fix = Fix("set", (end,), "fix.set_classifier",
                  params={"units": classes, "activation": "softmax"})
    else:
        fix = Fix("insert", (end + 1,), "fix.add_classifier",
                  edits.new_layer("Dense", units=classes, activation="softmax"),
                  params={"units": classes})
    severity = "warning" if out == (classes,) else "error"
    walker.problem((end,), last.type, "classifier", severity=severity, fix=fix,
                   classes=classes, shape=out)


def _one_based(address: Address | None) -> list[int] | int | None:
    """1-based position: an int at the top level, a list inside blocks."""
    if address is None:
        return None
    numbers = [a + 1 for a in address]
    return numbers[0] if len(numbers) == 1 else numbers


def _shown(args: dict[str, Any]) -> dict[str, Any]:
    """Shapes read as 28×28×32 in messages."""
    return {k: "×".join(map(str, v)) if isinstance(v, tuple) else v for k, v in args.items()}
