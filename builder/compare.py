"""Comparing runs: the runs table, settings and architecture diffs, trade-offs and one
architecture adapted to another dataset.

Pure: reads :class:`builder.store.Run` records and their metrics; no Streamlit, no Keras.

* ``run_row(run) -> RunRow`` and ``filter_rows(rows, ...)`` — the run history table.
* ``curve_points(metrics, kind)`` — loss/accuracy points for overlaid curves.
* ``settings_diff(runs)`` and ``architecture_diff(a, b)`` — what differs between runs.
* ``pareto_front(points)`` and ``tradeoff(rows, cost)`` — the best runs for their cost.
* ``adapt(arch, dataset)`` and ``queue_pair(store, arch, settings)`` — one architecture on
  MNIST and CIFAR-10, with how the input shape changes every layer's shape and parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Iterable, Sequence

from builder.analysis import Report, Row, analyse
from builder.architecture import Address, Architecture, Layer
from builder.catalogue import layer_type
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Metric, Run, Store, best_epoch

PAIR = ("mnist", "cifar10")  # the seed's two exercises
COSTS = ("params", "seconds")
Walked = list[tuple[Address, Layer]]  # an architecture's layers, as Architecture.walk gives them


# ---------------------------------------------------------------- the runs table

@dataclass(frozen=True)
class RunRow:
    """One line of the run history; test numbers are None until the run is evaluated."""

    id: int
    name: str
    dataset: str
    summary: str
    params: int
    flops: int
    epochs: int
    best_epoch: int | None
    test_accuracy: float | None
    test_loss: float | None
    seconds: float
    status: str
    created: datetime
    pinned: bool
    note: str


def run_row(run: Run, metrics: Sequence[Metric] = ()) -> RunRow:
    """The table line of ``run``; the best epoch comes from its results, else ``metrics``."""
    report = _report(run.architecture_json)
    results = run.results or {}
    best = results.get("best_epoch") or best_epoch(metrics)
    return RunRow(run.id, run.name, run.dataset, summary(run.architecture), report.total_params,
                  report.flops, run.epochs_done, best, results.get("test_accuracy"),
                  results.get("test_loss"), run.train_seconds, run.status,
                  datetime.fromtimestamp(run.created), run.pinned, run.note)


def summary(arch: Architecture) -> str:
    """``Conv2D 32 › MaxPooling2D 2×2 › Flatten › Dense 10``: each top-level layer with its
    first key parameter; a block shows how many layers it holds."""
    return " › ".join(_layer_summary(layer) for layer in arch.layers) or "—"


def filter_rows(rows: Iterable[RunRow], text: str = "", datasets: Sequence[str] = (),
                statuses: Sequence[str] = (), pinned_only: bool = False) -> list[RunRow]:
    """Rows whose name, note or summary contains ``text`` (any case), in the chosen
    datasets and statuses (empty: all), pinned ones only when asked."""
    needle = text.strip().lower()
    return [r for r in rows
            if (not needle or needle in f"{r.name}\n{r.note}\n{r.summary}".lower())
            and (not datasets or r.dataset in datasets)
            and (not statuses or r.status in statuses)
            and (r.pinned or not pinned_only)]


@lru_cache(maxsize=512)
def _report(architecture_json: str) -> Report:
    return analyse(Architecture.from_json(architecture_json))


def _layer_summary(layer: Layer) -> str:
    if layer.paths:
        return f"{layer.type}[{sum(len(p) for p in layer.paths)}]"
    kind = layer_type(layer.type)
    first = kind.key_params[0] if kind and kind.key_params else None
    value = layer.params.get(first) if first else None
    if value is None:
        return layer.type
    return f"{layer.type} {'×'.join(map(str, value)) if isinstance(value, list) else value}"


# ---------------------------------------------------------------- curves

@dataclass(frozen=True)
class Point:
    """One value of a curve: ``x`` in epochs (batches fall between whole epochs)."""

    x: float
    metric: str  # "loss" | "accuracy"
    split: str   # "train" | "validation"
    value: float


def curve_points(metrics: Sequence[Metric], kind: str = "epoch") -> list[Point]:
    """Training and validation loss and accuracy of ``kind`` rows ("epoch" or "batch").

    Batch ``b`` of epoch ``e`` sits at ``e - 1 + b / batches`` so both kinds share an axis.
    """
    rows = [m for m in metrics if m.kind == kind]
    batches: dict[int, int] = {}
    for m in rows:
        batches[m.epoch] = max(batches.get(m.epoch, 0), m.batch or 0)
    points = []
    for m in rows:
        x = float(m.epoch) if kind == "epoch" else m.epoch - 1 + (m.batch or 0) / batches[m.epoch]
        for metric, split, value in (("loss", "train", m.loss), ("accuracy", "train", m.accuracy),
                                     ("loss", "validation", m.val_loss),
                                     ("accuracy", "validation", m.val_accuracy)):
            if value is not None and value == value:
                points.append(Point(x, metric, split, value))
    return points


# ---------------------------------------------------------------- diffs

@dataclass(frozen=True)
class Difference:
    """One setting across the compared runs, in their order."""

    name: str
    values: tuple[Any, ...]

    @property
    def differs(self) -> bool:
        return len(set(map(repr, self.values))) > 1


def settings_diff(runs: Sequence[Run]) -> list[Difference]:
    """Dataset, input shape, every training setting and the epochs run, side by side."""
    rows = [Difference("dataset", tuple(r.dataset for r in runs)),
            Difference("input_shape", tuple(_shape(r.architecture.input_shape) for r in runs))]
    rows += [Difference(f.name, tuple(getattr(r.settings, f.name) for r in runs))
             for f in fields(TrainSettings)]
    return rows + [Difference("epochs_done", tuple(r.epochs_done for r in runs))]


@dataclass(frozen=True)
class LayerChange:
    """How one layer differs from ``a`` to ``b``.

    ``kind``: ``same``, ``changed`` (``params`` maps each differing name to its two
    values), ``removed`` (only in ``a``) or ``added`` (only in ``b``).
    """

    kind: str
    type: str
    before: Address | None
    after: Address | None
    params: dict[str, tuple[Any, Any]]


def architecture_diff(a: Architecture, b: Architecture) -> list[LayerChange]:
    """Layers of ``a`` and ``b`` lined up, blocks' insides included: identical layers
    first (longest common runs), then, between them, layers of the same type as changed."""
    left, right = list(a.walk()), list(b.walk())
    changes: list[LayerChange] = []
    for op, i1, i2, j1, j2 in _opcodes(left, right, _identity):
        if op == "equal":
            changes += [_paired(x, y) for x, y in zip(left[i1:i2], right[j1:j2])]
        else:
            changes += _by_type(left[i1:i2], right[j1:j2])
    return changes


def _by_type(left: Walked, right: Walked) -> list[LayerChange]:
    changes: list[LayerChange] = []
    for op, i1, i2, j1, j2 in _opcodes(left, right, _kind):
        if op == "equal":
            changes += [_paired(x, y) for x, y in zip(left[i1:i2], right[j1:j2])]
            continue
        changes += [LayerChange("removed", layer.type, address, None, {})
                    for address, layer in left[i1:i2]]
        changes += [LayerChange("added", layer.type, None, address, {})
                    for address, layer in right[j1:j2]]
    return changes


def _opcodes(left: Walked, right: Walked, key) -> list[tuple[str, int, int, int, int]]:
    keys = [[key(address, layer) for address, layer in side] for side in (left, right)]
    return SequenceMatcher(None, keys[0], keys[1], autojunk=False).get_opcodes()


def _kind(address: Address, layer: Layer) -> str:
    return f"{len(address)}:{layer.type}"


def _identity(address: Address, layer: Layer) -> str:
    return f"{_kind(address, layer)}:{sorted(layer.params.items())}"


def _paired(x: tuple[Address, Layer], y: tuple[Address, Layer]) -> LayerChange:
    (before, la), (after, lb) = x, y
    params = {name: (la.params.get(name), lb.params.get(name))
              for name in dict.fromkeys([*la.params, *lb.params])
              if la.params.get(name) != lb.params.get(name)}
    return LayerChange("changed" if params else "same", la.type, before, after, params)


# ---------------------------------------------------------------- trade-offs

def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """For each ``(cost, score)``: True when no other point costs no more and scores no
    less while being better in one of the two (the best runs for what they cost)."""
    return [not any(c <= cost and s >= score and (c < cost or s > score) for c, s in points)
            for cost, score in points]


@dataclass(frozen=True)
class TradePoint:
    row: RunRow
    cost: float
    score: float
    best: bool


def tradeoff(rows: Sequence[RunRow], cost: str = "params") -> list[TradePoint]:
    """Evaluated runs as (``cost``: "params" or "seconds", test accuracy), front marked."""
    if cost not in COSTS:
        raise LabError("bad_setting", name="cost", allowed=", ".join(COSTS), got=repr(cost))
    scored = [r for r in rows if r.test_accuracy is not None]
    points = [(float(getattr(r, cost)), float(r.test_accuracy)) for r in scored]
    return [TradePoint(r, c, s, best)
            for r, (c, s), best in zip(scored, points, pareto_front(points))]


# ---------------------------------------------------------------- one model, two datasets

@dataclass(frozen=True)
class ShapeChange:
    """One layer before and after the input shape changed (shapes None where unknown)."""

    address: Address
    type: str
    input_before: tuple[int, ...] | None
    input_after: tuple[int, ...] | None
    output_before: tuple[int, ...] | None
    output_after: tuple[int, ...] | None
    params_before: int
    params_after: int

    @property
    def params_change(self) -> int:
        return self.params_after - self.params_before


@dataclass(frozen=True)
class Adaptation:
    """``architecture`` is the original with ``dataset``'s input shape; ``before`` and
    ``after`` analyse the original and the adapted model for that dataset's classes."""

    dataset: str
    original: Architecture
    architecture: Architecture
    before: Report
    after: Report

    @property
    def ok(self) -> bool:
        return self.after.ok

    @property
    def params_change(self) -> int:
        return self.after.total_params - self.before.total_params

    def changes(self) -> list[ShapeChange]:
        """Every layer, with its shapes and parameters before and after."""
        old = {row.address: row for row in self.before.rows}
        return [ShapeChange(row.address, row.type, _at(old, row).input_shape, row.input_shape,
                            _at(old, row).output_shape, row.output_shape, _at(old, row).params,
                            row.params)
                for row in self.after.rows]

    def biggest_change(self) -> ShapeChange | None:
        """The layer whose parameter count changed most (None when none changed)."""
        moved = [c for c in self.changes() if c.params_change]
        return max(moved, key=lambda c: abs(c.params_change), default=None)


def _at(rows: dict[Address, Row], row: Row) -> Row:
    """The row at ``row``'s address, or an empty one (an earlier error hid it)."""
    return rows.get(row.address) or Row(row.address, row.type, None, None)


def adapt(arch: Architecture, dataset: str) -> Adaptation:
    """``arch`` with the input shape of the registered ``dataset`` (28×28×1, 32×32×3, …)."""
    info = DATASETS.get(dataset)
    if info is None:
        raise LabError("compare_dataset", name=dataset, known=", ".join(DATASETS))
    adapted = replace(arch, input_shape=info.input_shape)
    return Adaptation(dataset, arch, adapted, analyse(arch, info.classes),
                      analyse(adapted, info.classes))


def queue_pair(store: Store, arch: Architecture, settings: TrainSettings,
               datasets: Sequence[str] = PAIR) -> list[int]:
    """Queue ``arch`` once per dataset with the same settings; returns the run ids.

    Raises LabError (and queues nothing) when the model does not fit one of them.
    """
    adaptations = [adapt(arch, name) for name in datasets]
    broken = next((a for a in adaptations if not a.ok), None)
    if broken is not None:
        raise LabError("compare_unfit", dataset=broken.dataset,
                       count=len(broken.after.errors))
    stem = arch.name or "model"
    return [store.create_run(a.architecture, a.dataset, settings, name=f"{stem} · {a.dataset}")
            for a in adaptations]


def _shape(shape: Sequence[int]) -> str:
    return "×".join(map(str, shape))
