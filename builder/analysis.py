"""Analysis: shapes, parameters, FLOPs, memory and problems of an architecture.

``analyse`` walks the stack asking each layer type (:mod:`builder.layers`) for its rules;
it never raises. Each problem
names the layer's 1-based position and type, says what is wrong in plain language with
the real numbers, suggests a fix, and, where one edit repairs it, carries that edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import prod
from typing import Any, Mapping

from builder import edits, limits
from builder.architecture import Address, Architecture, Layer, position
from builder.errors import LabError
from builder.layers import CLASSIFIER, FLATTEN, layer_type, shape_text
from builder.rules import Shape, ShapeError
from builder.text import t

BYTES_PER_VALUE = 4  # float32 activations


@dataclass(frozen=True)
class Fix:
    """One edit that repairs a problem: insert, set (params), move (to ``target``) or remove."""

    action: str
    address: Address
    label: str  # text key, e.g. "fix.insert_flatten"
    layer: Layer | None = None
    params: dict[str, Any] = field(default_factory=dict)
    target: Address | None = None

    def apply(self, arch: Architecture) -> Architecture:
        if self.action == "insert":
            return edits.insert(arch, self.address, self.layer)
        if self.action == "set":
            return edits.set_params(arch, self.address, **self.params)
        if self.action == "move":
            return edits.move(arch, self.address, self.target)
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
    fixes: tuple[Fix, ...] = ()  # the one a teacher would pick first comes first

    @property
    def fix(self) -> Fix | None:
        return self.fixes[0] if self.fixes else None

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
                "hint": self.hint(lang), "fix": self.fix.text(lang) if self.fix else None,
                "fixes": [f.text(lang) for f in self.fixes]}


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


def analyse(arch: Architecture, num_classes: int | None = None, *, check_fixes: bool = True) -> Report:
    """Shapes, numbers and problems for every layer; never raises.

    Every fix offered is tried: one that would leave more errors than now is dropped, and a
    fix already offered by an earlier problem (errors first) is not offered twice.
    Memoised: an :class:`Architecture` is a value, so every caller asking about the same
    model (with the same size limits) shares one analysis.
    """
    return _analysed(arch, num_classes, check_fixes, limits.current())


@lru_cache(maxsize=1024)
def _analysed(arch: Architecture, num_classes: int | None, check_fixes: bool,
              _limits: tuple[int, ...]) -> Report:
    return _compute(arch, num_classes, check_fixes)


def _compute(arch: Architecture, num_classes: int | None, check_fixes: bool) -> Report:
    walker = _Walker()
    out = walker.stack(arch.layers, tuple(arch.input_shape), ())
    _dense_fixes(walker, arch)
    if not arch.layers:
        walker.problem(None, "", "empty", severity="warning")
    elif num_classes and walker.rows and not walker.broken:
        _check_classifier(walker, arch, out, num_classes)
    _check_size(walker)
    problems = tuple(walker.problems)
    if check_fixes:
        problems = _checked_fixes(arch, num_classes, problems)
    return Report(tuple(arch.input_shape), tuple(walker.rows), problems, out)


class _Walker:
    """Collects rows and problems while shapes flow through the stack."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.problems: list[Problem] = []
        self.broken = False

    def problem(self, address: Address | None, type_name: str, code: str,
                severity: str = "error", fix: Fix | None = None, **args: Any) -> None:
        fixes = (fix,) if fix is not None else ()
        self.problems.append(Problem(address, type_name, code, args, severity, fixes))
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
        if kind.is_block:
            return self.block(kind, layer, shape, address)
        if shape is None:
            self.rows.append(Row(address, kind.name, shape, None))
            return None
        return self.plain(kind, layer.params, shape, address)

    def plain(self, kind, params: Mapping[str, Any], shape: Shape, address: Address) -> Shape | None:
        try:
            out = kind.shape(shape, params)
        except ShapeError as exc:
            self.shape_problem(exc, kind.name, params, shape, address)
            self.rows.append(Row(address, kind.name, shape, None))
            return None
        trainable, frozen = kind.weights(shape, params)
        self.rows.append(Row(address, kind.name, shape, out, trainable, frozen,
                             kind.flops(shape, out, params)))
        if kind.per_position and len(shape) > 1:  # fixes: _dense_fixes, once the stack is known
            self.problem(address, kind.name, "dense_on_map", severity="warning",
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

    def block(self, kind, layer: Layer, shape: Shape | None, address: Address) -> Shape | None:
        low, high = kind.paths
        fits = low <= len(layer.paths) <= high
        if not fits:
            self.problem(address, kind.name, "path_count", low=low, high=high, got=len(layer.paths))
        params = layer.params
        row_index = len(self.rows)
        outs = [self.stack(path, shape, (*address, k)) for k, path in enumerate(layer.paths)]
        if shape is None or not fits or any(o is None for o in outs):
            self.rows.insert(row_index, Row(address, kind.name, shape, None))
            return None
        row = self.merge(kind, layer, params, shape, outs, address)
        self.rows.insert(row_index, row)
        return row.output_shape

    def merge(self, kind, block: Layer, params: dict, shape: Shape, outs: list[Shape],
              address: Address) -> Row:
        """The block type merges its paths; a merge that does not fit is a problem, with the
        type's repair as its fix."""
        try:
            out, trainable, flops = kind.merge(params, shape, outs)
        except ShapeError as exc:
            repair = kind.repair(block, params, outs)
            fix = Fix("set", (*address, *repair[0]), repair[1], params=repair[2]) if repair else None
            self.problem(address, kind.name, exc.code, fix=fix, **exc.args_)
            return Row(address, kind.name, shape, None)
        return Row(address, kind.name, shape, out, trainable, 0, flops)


def _check_classifier(walker: _Walker, arch: Architecture, out: Shape | None,
                      classes: int) -> None:
    """A classifier ends with one probability per class: Dense(classes, softmax).

    A feature map at the end, or the wrong number of outputs, cannot be trained on the
    dataset's labels (error); outputs that are not probabilities train badly (warning).
    """
    end = len(arch.layers) - 1
    last = arch.layers[end]
    softmax = last.params.get("activation") == "softmax"
    if out is None or (out == (classes,) and softmax):
        return
    if len(out) > 1:
        flatten = next((p.fix for p in walker.problems if p.code == "dense_on_map"
                        and p.fix.action == "insert" and len(p.address) == 1), None)
        walker.problem((end,), last.type, "output_map",
                       fix=flatten or _flatten_at((end + 1,)), shape=out, classes=classes)
        return
    if last.type == CLASSIFIER.name:
        fix = Fix("set", (end,), "fix.set_classifier",
                  params={"units": classes, "activation": "softmax"})
    else:
        fix = Fix("insert", (end + 1,), "fix.add_classifier",
                  edits.new_layer(CLASSIFIER.name, units=classes, activation="softmax"),
                  params={"units": classes})
    severity = "warning" if out == (classes,) else "error"
    walker.problem((end,), last.type, "classifier", severity=severity, fix=fix,
                   classes=classes, shape=out)


def _flatten_at(address: Address) -> Fix:
    return Fix("insert", address, "fix.insert_flatten", edits.new_layer(FLATTEN.name))


def _dense_fixes(walker: _Walker, arch: Architecture) -> None:
    """A Dense on a feature map is misplaced when a later layer of its stack flattens the map
    (move it after that layer, or remove it); otherwise the Flatten is missing, and the one
    fix is to insert it where the feature map ends: before the stack's first such Dense."""
    if not any(p.code == "dense_on_map" for p in walker.problems):
        return
    rows = {r.address: r for r in walker.rows}
    missing: dict[Address, Address] = {}  # stack prefix -> where its Flatten goes
    for n, problem in enumerate(walker.problems):
        if problem.code != "dense_on_map":
            continue
        *prefix, index = problem.address
        stack = edits.stack_of(arch, problem.address)
        flattener = next((j for j in range(index + 1, len(stack))
                          if _flattens(rows.get((*prefix, j)))), None)
        if flattener is not None:
            fixes = (Fix("move", problem.address, "fix.move_after_flatten",
                         target=(*prefix, flattener), params={"layer": stack[flattener].type}),
                     Fix("remove", problem.address, "fix.remove"))
        else:
            fixes = (_flatten_at(missing.setdefault(tuple(prefix), problem.address)),)
        walker.problems[n] = replace(problem, fixes=fixes)


def _flattens(row: Row | None) -> bool:
    """The layer turns a feature map into a vector (Flatten, global pooling)."""
    return bool(row and row.input_shape and row.output_shape
                and len(row.input_shape) > 1 and len(row.output_shape) == 1)


def _check_size(walker: _Walker) -> None:
    """Too many parameters, or training memory beyond what one trainer has, is an error
    naming the biggest layer; a big model (slow to train) is a warning with its forecast."""
    if not walker.rows:
        return
    params = sum(r.params for r in walker.rows)
    memory = limits.training_bytes(params, sum(r.memory for r in walker.rows))
    biggest = max(walker.rows, key=lambda r: r.params)
    args = dict(params=f"{params:,}", memory=limits.size_text(memory), layer=biggest.type,
                layer_params=f"{biggest.params:,}")
    if params > limits.max_params():
        walker.problem(biggest.address, biggest.type, "too_many_params",
                       limit=f"{limits.max_params():,}", **args)
    elif memory > limits.max_train_memory():
        walker.problem(biggest.address, biggest.type, "too_much_memory",
                       limit=limits.size_text(limits.max_train_memory()), **args)
    elif params > limits.warn_params():
        walker.problem(biggest.address, biggest.type, "big_model", severity="warning", **args)


def _checked_fixes(arch: Architecture, num_classes: int | None,
                   problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """Keep the fixes that leave no more errors than now, each offered once (errors first)."""
    errors = sum(p.severity == "error" for p in problems)
    offered: list[Fix] = []
    checked = list(problems)
    for n in sorted(range(len(problems)), key=lambda n: problems[n].severity != "error"):
        kept = [fix for fix in problems[n].fixes
                if fix not in offered and _fix_helps(fix, arch, num_classes, errors)]
        offered += kept
        checked[n] = replace(problems[n], fixes=tuple(kept))
    return tuple(checked)


def _fix_helps(fix: Fix, arch: Architecture, num_classes: int | None, errors: int) -> bool:
    """Applying ``fix`` works and leaves at most ``errors`` errors."""
    try:
        after = analyse(fix.apply(arch), num_classes, check_fixes=False)
    except (LabError, IndexError):
        return False
    return len(after.errors) <= errors


def _one_based(address: Address | None) -> list[int] | int | None:
    """1-based position: an int at the top level, a list inside blocks."""
    if address is None:
        return None
    numbers = [a + 1 for a in address]
    return numbers[0] if len(numbers) == 1 else numbers


def _shown(args: dict[str, Any]) -> dict[str, Any]:
    """Shapes read as 28×28×32 in messages."""
    return {k: shape_text(v) if isinstance(v, tuple) else v for k, v in args.items()}
