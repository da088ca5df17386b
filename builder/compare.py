"""Comparing runs: the runs table, settings and architecture diffs, trade-offs and one
architecture adapted to another dataset.

Pure: reads :class:`builder.store.Run` records and their metrics; no Streamlit, no Keras.

* ``run_labels(runs, lang)`` — a label per run that tells it apart from the others
  (``#7 mnist-cnn · MNIST digits · 2 ep · 3k img · lr 0.01``).
* ``run_row(run, metrics, label) -> RunRow`` and ``filter_rows(rows, ...)`` — the run
  history table.
* ``csv_cell(value)`` — a table cell made safe for a CSV export (no live formulas).
* ``curve_points(metrics, kind)`` and ``per_batch_first(runs)`` — loss/accuracy points
  for overlaid curves, per batch first for short runs; ``own_values(rows)`` (``own_value`` of one row) — batch rows
  as each batch's own loss and accuracy, not Keras's running mean of the epoch.
* ``settings_diff(runs)`` and ``architecture_diff(a, b)`` — what differs between runs.
* ``pareto_front(points)``, ``tradeoff(rows, cost)`` and ``log_ticks(low, high)`` — the
  best runs for their cost, on a readable log axis.
* ``adapt(arch, dataset)`` and ``queue_pair(store, arch, settings)`` — one architecture on
  MNIST and CIFAR-10, with how the input shape changes every layer's shape and parameters.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Iterable, Sequence

from builder.access import SOLO, Actor
from builder.analysis import Report, Row, analyse
from builder.architecture import Address, Architecture, Layer
from builder.classroom.challenge import submit_runs
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.formats import compact  # labels use it; charts and tests import it from here
from builder.layers import layer_type, shape_text
from builder.settings import TrainSettings
from builder.store import Metric, Run, Store, best_epoch
from builder.text import t

PAIR = ("mnist", "cifar10")  # the seed's two exercises
COSTS = ("params", "seconds")
SHORT_EPOCHS = 2  # runs this short show per-batch curves first
Walked = list[tuple[Address, Layer]]  # an architecture's layers, as Architecture.walk gives them


# ---------------------------------------------------------------- the runs table

@dataclass(frozen=True)
class RunRow:
    """One line of the run history; test numbers are None until the run is evaluated."""

    id: int
    name: str
    label: str
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


def run_row(run: Run, metrics: Sequence[Metric] = (), label: str | None = None) -> RunRow:
    """The table line of ``run``; the best epoch comes from its results, else ``metrics``.
    ``label`` is its entry of :func:`run_labels` (by default, its label on its own)."""
    report = analyse(run.architecture)
    results = run.results or {}
    best = results.get("best_epoch") or best_epoch(metrics)
    label = run_labels([run])[run.id] if label is None else label
    return RunRow(run.id, run.name, label, run.dataset, summary(run.architecture),
                  report.total_params,
                  report.flops, run.epochs_done, best, results.get("test_accuracy"),
                  results.get("test_loss"), run.train_seconds, run.status,
                  datetime.fromtimestamp(run.created), run.pinned, run.note)


def summary(arch: Architecture) -> str:
    """``Conv2D 32 › MaxPooling2D 2×2 › Flatten › Dense 10``: each top-level layer with its
    first key parameter; a block shows how many layers it holds."""
    return " › ".join(_layer_summary(layer) for layer in arch.layers) or "—"


def filter_rows(rows: Iterable[RunRow], text: str = "", datasets: Sequence[str] = (),
                statuses: Sequence[str] = (), pinned_only: bool = False) -> list[RunRow]:
    """Rows whose label, note or summary contains ``text`` (any case), in the chosen
    datasets and statuses (empty: all), pinned ones only when asked."""
    needle = text.strip().lower()
    return [r for r in rows
            if (not needle or needle in f"{r.label}\n{r.note}\n{r.summary}".lower())
            and (not datasets or r.dataset in datasets)
            and (not statuses or r.status in statuses)
            and (r.pinned or not pinned_only)]


def _layer_summary(layer: Layer) -> str:
    if layer.paths:
        return f"{layer.type}[{sum(len(p) for p in layer.paths)}]"
    kind = layer_type(layer.type)
    first = kind.key_params[0] if kind and kind.key_params else None
    value = layer.params.get(first) if first else None
    if value is None:
        return layer.type
    return f"{layer.type} {'×'.join(map(str, value)) if isinstance(value, list) else value}"


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet run a cell


def csv_cell(value: Any) -> Any:
    """A value safe for a CSV export (OWASP's CSV-injection rule): text starting with
    ``= + - @``, a tab or a carriage return gets a leading ``'`` so spreadsheets show it
    instead of evaluating it; numbers and everything else stay as they are."""
    return f"'{value}" if isinstance(value, str) and value.startswith(CSV_TRIGGERS) else value


# ---------------------------------------------------------------- labels

LABELLED_SETTINGS = ("optimizer", "learning_rate", "batch_size", "validation_split", "seed")
LAYER_CHANGES_SHOWN = 2


def run_labels(runs: Sequence[Run], lang: str = "en") -> dict[int, str]:
    """Each run's label, by id, telling apart runs that share a name.

    ``#7 mnist-cnn · MNIST digits · 2 ep · 3k img`` (the dataset left out when the name
    already says it, the images only when limited), then where the run departs from what
    most of ``runs`` use (the oldest run's choice on a tie): other settings (``lr 0.01``)
    and other layers (``Dense units 128→256``, ``+Dropout``).
    """
    ordered = sorted(runs, key=lambda r: r.id)
    usual_settings = {name: _most_common(getattr(r.settings, name) for r in ordered)
                      for name in LABELLED_SETTINGS}
    usual_layers = _most_common(_layers_key(r.architecture) for r in ordered)
    usual = next((r.architecture for r in ordered if _layers_key(r.architecture) == usual_layers),
                 None)
    return {r.id: " · ".join([
        *_own_parts(r, lang),
        *(t(f"compare.label_{name}", lang, value=_setting_text(name, getattr(r.settings, name)))
          for name, value in usual_settings.items() if getattr(r.settings, name) != value),
        *_layer_parts(usual, r.architecture, lang)]) for r in runs}


def _own_parts(run: Run, lang: str) -> list[str]:
    info = DATASETS.get(run.dataset)
    dataset = info.title[lang] if info else run.dataset
    parts = [f"#{run.id} {run.name}".strip()]
    if dataset.lower() not in run.name.lower():
        parts.append(dataset)
    parts.append(t("compare.label_epochs", lang, n=run.settings.epochs))
    if run.settings.limit:
        parts.append(t("compare.label_images", lang, n=compact(run.settings.limit)))
    return parts


def _setting_text(name: str, value: Any) -> str:
    if name == "learning_rate":
        return f"{value:g}"
    return f"{value:.0%}" if name == "validation_split" else str(value)


def _most_common(values: Iterable[Any]) -> Any:
    """The value seen most often (the first seen on a tie); None when there are none."""
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


@lru_cache(maxsize=512)
def _layers_key(arch: Architecture) -> tuple[str, ...]:
    """The layers with their parameters, blocks' insides included; not the input shape."""
    return tuple(_identity(a, layer) for a, layer in arch.walk())


@lru_cache(maxsize=512)
def _layer_parts(usual: Architecture, arch: Architecture, lang: str) -> tuple[str, ...]:
    if _layers_key(usual) == _layers_key(arch):
        return ()
    changes = [c for c in architecture_diff(usual, arch) if c.kind != "same"]
    parts = tuple(map(_change_text, changes[:LAYER_CHANGES_SHOWN]))
    hidden = len(changes) - LAYER_CHANGES_SHOWN
    return parts + ((t("compare.label_more", lang, n=hidden),) if hidden > 0 else ())


def _change_text(change: LayerChange) -> str:
    if change.kind != "changed":
        return f"{'+' if change.kind == 'added' else '−'}{change.type}"
    return " ".join([change.type, *(f"{name} {_value(a)}→{_value(b)}"
                                    for name, (a, b) in change.params.items())])


def _value(value: Any) -> str:
    return "×".join(map(str, value)) if isinstance(value, list) else str(value)


# ---------------------------------------------------------------- curves

@dataclass(frozen=True)
class Point:
    """One value of a curve: ``x`` in epochs (batches fall between whole epochs)."""

    x: float
    metric: str  # "loss" | "accuracy"
    split: str   # "train" | "validation"
    value: float


def curve_points(metrics: Sequence[Metric], kind: str = "epoch") -> list[Point]:
    """Training and validation loss and accuracy of ``kind`` rows ("epoch" or "batch"; batch
    rows as the batches' own values, :func:`own_values`).

    Batch ``b`` of epoch ``e`` sits at ``e - 1 + b / batches`` so both kinds share an axis.
    """
    rows = [m for m in metrics if m.kind == kind]
    if kind == "batch":
        rows = own_values(rows)
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


def own_values(rows: list[Metric]) -> list[Metric]:
    """Undo the running mean of each epoch (:func:`own_value` of each row after the one before)."""
    out = []
    for i, row in enumerate(rows):
        loss, accuracy = own_value(row, rows[i - 1] if i else None)
        out.append(replace(row, loss=loss, accuracy=accuracy))
    return out


def own_value(row: Metric, before: Metric | None) -> tuple[float | None, float | None]:
    """A batch row's loss and accuracy as its own batches' mean: a row at batch ``b`` that
    follows one at batch ``a`` of the same epoch holds the mean of batches a+1…b,
    ``(b·mean_b − a·mean_a)/(b − a)`` (several batches when the trainer reports every few
    steps). Accuracy stays in 0…1."""
    b = row.batch or 0
    a = (before.batch or 0) if before is not None and before.epoch == row.epoch else 0
    if b <= a:
        a = 0  # a restarted epoch (Continue after a stop wrote it anew)
    loss = _window_mean(row.loss, before.loss if a else 0.0, a, b)
    accuracy = _window_mean(row.accuracy, before.accuracy if a else 0.0, a, b)
    return (None if loss is None else max(loss, 0.0),
            None if accuracy is None else min(max(accuracy, 0.0), 1.0))


def _window_mean(mean_b: float | None, mean_a: float | None, a: int, b: int) -> float | None:
    if mean_b is None or mean_a is None or b <= 0 or not math.isfinite(mean_b):
        return mean_b
    return (b * mean_b - a * mean_a) / (b - a)


def per_batch_first(runs: Sequence[Run]) -> bool:
    """True when no run has trained more than ``SHORT_EPOCHS`` epochs: per-batch curves
    then say more than one or two dots per line."""
    return max((r.epochs_done for r in runs), default=0) <= SHORT_EPOCHS


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
            Difference("input_shape", tuple(shape_text(r.architecture.input_shape) for r in runs))]
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


def log_ticks(low: float, high: float) -> list[float]:
    """Tick values for a log axis from ``low`` to ``high`` (both > 0): 1-2-5 steps
    (10k, 20k, 50k, 100k) when they span under two decades, else powers of ten only;
    from the last step at or below ``low`` to the first at or above ``high``."""
    multiples = (1, 2, 5) if high < 100 * low else (1,)
    decade = 10.0 ** math.floor(math.log10(low))
    steps = [decade * m * 10 ** k for k in range(math.ceil(math.log10(high / decade)) + 1)
             for m in multiples]
    first = max(i for i, v in enumerate(steps) if v <= low * (1 + 1e-9))
    last = min(i for i, v in enumerate(steps) if v >= high * (1 - 1e-9))
    return steps[first:last + 1]


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
               datasets: Sequence[str] = PAIR, *, actor: Actor = SOLO) -> list[int]:
    """Queue ``arch`` once per dataset with the same settings and the store's default
    name (their labels tell them apart), owned by ``actor``; returns the run ids.

    Raises LabError (and queues nothing) when the model does not fit one of them, or
    when a student's runs would break the class's challenge or queue cap.
    """
    adaptations = [adapt(arch, name) for name in datasets]
    broken = next((a for a in adaptations if not a.ok), None)
    if broken is not None:
        raise LabError("compare_unfit", dataset=broken.dataset,
                       count=len(broken.after.errors))
    items = [(a.architecture, a.dataset, settings, "") for a in adaptations]
    return submit_runs(store, actor, items)

