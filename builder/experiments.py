"""Experiments: change one thing, train every variant (with repeats), read the effect.

Pure: no Streamlit, no TensorFlow. The variants are ordinary runs of the store, grouped
under one experiment (``Store.create_experiment``; ``Run.experiment``), so they queue,
stop, continue and survive restarts like any run and train in parallel on Ray.

The knob (what varies) is written as text:

* ``N.param`` — parameter ``param`` of layer N (1-based, as the problems panel counts);
  inside a block ``4.1.2.filters`` is layer 2 of path 1 of layer 4;
* ``N.present`` — with / without layer N (values ``with``/``without``, ``yes``/``no``);
* ``depth`` — how many Conv2D+MaxPooling2D pairs: the first run of such pairs at the top
  level is cut to its first D pairs or grown by repeating its last pair (1, 2, 3 …);
  the analysis refuses depths the image is too small for;
* a training setting: ``learning_rate``, ``optimizer``, ``batch_size``, ``epochs``,
  ``limit`` (``all`` for no limit) or ``dataset`` (the input shape follows the dataset,
  as the MNIST-vs-CIFAR-10 pair does: :func:`builder.compare.adapt`).

Values are read to the parameter's type (``3x3`` for a size) and checked by the layer
catalogue / :class:`TrainSettings`; duplicates are dropped. Each variant trains with
``seeds`` seeds (1–5: the base seed, +1, …). Refused before anything is queued, with a
:class:`LabError`: an unknown knob, a value of the wrong type, a variant the analysis
calls impossible (its usual problem text), more than :data:`MAX_RUNS` runs.

The effect (:func:`effect`): per value the parameters, the test accuracy's mean, min,
max and standard deviation over the seeds, the training time and the run ids; the best
value (highest mean); the knee; a one-sentence reading in English or Korean.

The knee rule: for values that have an order (numbers, sizes, depth), the smallest value
whose mean accuracy is within the tolerance of the best's, where the tolerance is the
best value's spread between seeds (max − min) or :data:`KNEE_GAIN` (half a percentage
point), whichever is larger. Above the knee, more stops helping. Values without an order
(optimizer, dataset, with/without) have no knee.
"""
from __future__ import annotations

import json
import math
import re
import statistics
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from builder import checkpoints, edits
from builder.access import SOLO, Actor
from builder.analysis import Problem, Report, analyse
from builder.architecture import Address, Architecture, Layer, position
from builder.layers import Param, layer_type, with_role
from builder.classroom.challenge import enforce, submit_runs
from builder.classroom.visibility import visible
from builder.compare import adapt, csv_cell
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.forecast import Calibration, Wait, estimate, from_click
from builder.settings import OPTIMIZERS, TrainSettings
from builder.store import FINAL, Experiment, Run, Store
from builder.store.runs import continued
from builder.text import TEXT, t

if TYPE_CHECKING:
    from builder.execution.executor import Executor

SETTINGS = ("learning_rate", "optimizer", "batch_size", "epochs", "limit", "dataset")
ORDERED_SETTINGS = ("learning_rate", "batch_size", "epochs", "limit")
MAX_RUNS = 50      # variants × seeds
MAX_SEEDS = 5
MAX_DEPTH = 8
KNEE_GAIN = 0.005  # accuracy: half a percentage point
CONTINUABLE = ("stopped", "completed", "interrupted")  # what Store.extend accepts
RunItem = tuple[Architecture, str, TrainSettings, str]  # what Store.create_runs takes
_LAYER_KNOB = re.compile(r"(\d+(?:\.\d+\.\d+)*)\.(\w+)")
_SIZE = re.compile(r"(\d+)\s*[x×*]\s*(\d+)")
_WORDS = {"true": True, "yes": True, "with": True, "on": True,
          "false": False, "no": False, "without": False, "off": False,
          "none": None, "all": None}


class KnobError(LabError):
    """A value the knob cannot take; the message names the knob, then why."""

    def __init__(self, knob: str, inner: LabError) -> None:
        super().__init__("experiment_value")
        self.knob, self.inner = knob, inner

    def text(self, lang: str = "en") -> str:
        return t("error.experiment_value", lang, knob=self.knob, detail=self.inner.text(lang))


class ImpossibleVariant(LabError):
    """A variant the analysis refuses: the knob's value, then the usual problem text."""

    def __init__(self, knob: str, value: str, problem: Problem) -> None:
        super().__init__("experiment_impossible")
        self.knob, self.value, self.problem = knob, value, problem

    def text(self, lang: str = "en") -> str:
        return t("error.experiment_impossible", lang, knob=self.knob, value=self.value,
                 problem=self.problem.text(lang))


# ---------------------------------------------------------------- the knob

@dataclass(frozen=True)
class Knob:
    """What varies: ``kind`` is ``param``, ``present``, ``depth`` or ``setting``."""

    text: str
    kind: str
    name: str                  # the parameter or setting name; "present"; "depth"
    address: Address = ()      # the layer, for param and present
    ordered: bool = False      # values have an order (numbers, sizes), so a knee

    def label(self, lang: str = "en") -> str:
        """What varies, in words: ``filters``, ``learning rate``, ``layer 2``."""
        if self.kind == "present":
            return position(self.address, "", lang)
        key = f"experiment.knob_{self.name}"  # settings have words; a layer parameter its name
        return t(key, lang) if key in TEXT else self.name


def parse_knob(text: str, arch: Architecture) -> Knob:
    """The knob written as ``text`` for ``arch`` (raises LabError saying what is known)."""
    text = text.strip()
    if text == "depth":
        _pairs(arch)
        return Knob(text, "depth", "depth", ordered=True)
    if text in SETTINGS:
        return Knob(text, "setting", text, ordered=text in ORDERED_SETTINGS)
    match = _LAYER_KNOB.fullmatch(text)
    if match is None:
        raise LabError("experiment_knob", knob=text[:40], settings=", ".join(SETTINGS))
    address = tuple(int(n) - 1 for n in match.group(1).split("."))
    try:
        if min(address) < 0:
            raise IndexError
        layer = edits.get(arch, address)
    except IndexError:
        raise LabError("experiment_layer", knob=text, count=len(arch.layers)) from None
    name = match.group(2)
    if name == "present":
        return Knob(text, "present", name, address)
    kind = layer_type(layer.type)
    names = [p.name for p in kind.params] if kind else []
    if name not in names:
        raise LabError("experiment_param", knob=text, where=position(address, layer.type),
                       name=name, names=", ".join(names) or "—")
    return Knob(text, "param", name, address, kind.param(name).kind in ("int", "float", "size"))


def knob_text(address: Address, name: str) -> str:
    """``1.filters``; ``4.1.2.filters`` inside a block (1-based numbers)."""
    return ".".join(str(n + 1) for n in address) + f".{name}"


def knobs(arch: Architecture) -> list[str]:
    """Every knob ``arch`` offers: each layer's parameters and presence, depth when it has
    a Conv2D+MaxPooling2D pair, then the training settings."""
    found = []
    for address, layer in arch.walk():
        kind = layer_type(layer.type)
        found += [knob_text(address, p.name) for p in (kind.params if kind else ())]
        found.append(knob_text(address, "present"))
    try:
        _pairs(arch)
        found.append("depth")
    except LabError:
        pass
    return found + list(SETTINGS)


SUGGESTED = {"learning_rate": ("0.0001", "0.001", "0.01"), "batch_size": ("32", "64", "128"),
             "epochs": ("1", "2", "4"), "limit": ("1000", "5000", "all"),
             "dataset": ("mnist", "cifar10"), "depth": ("1", "2", "3")}


def suggest_values(knob: Knob, arch: Architecture, settings: TrainSettings) -> list[str]:
    """Values worth trying first, as text: half, current and double of a number, every
    choice, with/without, or typical settings."""
    if knob.kind == "present":
        return ["with", "without"]
    if knob.name == "optimizer":
        return list(OPTIMIZERS)
    if knob.kind != "param":
        return list(SUGGESTED[knob.name])
    param = _param(arch, knob)
    current = edits.get(arch, knob.address).params.get(knob.name)
    if param.kind in ("choice", "bool"):
        return [str(c).lower() for c in (param.choices or (True, False))][:4]
    if param.kind == "size":
        side = current[0] if current else 2
        return [f"{n}x{n}" for n in sorted({max(1, side - 2), side, side + 2})]
    if current is None or current == 0:
        return [str(param.default)]
    numbers = [current / 2, current, current * 2]
    if param.kind == "int":
        numbers = sorted({max(int(param.low), int(n)) for n in numbers})
    return [f"{n:g}" for n in numbers if param.low <= n <= param.high]


def read_values(knob: Knob, raw: Iterable[Any], arch: Architecture,
                settings: TrainSettings) -> list[Any]:
    """Each value in the knob's type, checked, duplicates dropped (raises KnobError).

    ``raw`` holds text (``"3x3"``, ``"all"``, ``"without"``) or values already typed."""
    values: dict[str, Any] = {}
    for item in raw:
        value = _checked(knob, _typed(item) if isinstance(item, str) else item, arch, settings)
        values.setdefault(json.dumps(value), value)
    if not values:
        raise LabError("experiment_no_values", knob=knob.text)
    return list(values.values())


def value_text(knob: Knob, value: Any, lang: str = "en") -> str:
    """A value as people read it: ``3×3``, ``0.001``, ``without``, ``all``, ``CIFAR-10``."""
    if knob.kind == "present":
        return t("experiment.with" if value else "experiment.without", lang)
    if knob.name == "dataset" and value in DATASETS:
        return DATASETS[value].title[lang]
    if value is None:
        return t("experiment.all" if knob.name == "limit" else "experiment.auto", lang)
    if isinstance(value, list):
        return "×".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _typed(text: str) -> Any:
    """Text as the value it means: a word (yes/without/all), a size ``3x3``, a number."""
    word = text.strip()
    if word.lower() in _WORDS:
        return _WORDS[word.lower()]
    size = _SIZE.fullmatch(word)
    if size:
        return [int(size.group(1)), int(size.group(2))]
    for kind in (int, float):
        try:
            return kind(word)
        except ValueError:
            pass
    return word


def _checked(knob: Knob, value: Any, arch: Architecture, settings: TrainSettings) -> Any:
    try:
        if knob.kind == "param":
            return _param(arch, knob).normalize(value)
        if knob.kind == "present":
            return Param("present", "bool", True).normalize(value)
        if knob.kind == "depth":
            return Param("depth", "int", 1, 1, MAX_DEPTH).normalize(value)
        if knob.name == "dataset":
            if value not in DATASETS:
                raise LabError("compare_dataset", name=str(value)[:40], known=", ".join(DATASETS))
            return value
        if knob.name == "learning_rate" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        return getattr(replace(settings, **{knob.name: value}), knob.name)
    except LabError as exc:
        raise KnobError(knob.text, exc) from None


def _param(arch: Architecture, knob: Knob) -> Param:
    return layer_type(edits.get(arch, knob.address).type).param(knob.name)


# ---------------------------------------------------------------- the plan and its variants

@dataclass(frozen=True)
class Plan:
    """An experiment before it runs: the base model and settings, the knob, its values."""

    architecture: Architecture
    dataset: str
    settings: TrainSettings
    knob: Knob
    values: tuple[Any, ...]
    seeds: int = 1

    @classmethod
    def make(cls, arch: Architecture, dataset: str, settings: TrainSettings, knob: str | Knob,
             values: Iterable[Any], seeds: int = 1) -> "Plan":
        """Read and check everything but the variants' analysis (raises LabError)."""
        if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= MAX_SEEDS:
            raise LabError("experiment_seeds", got=str(seeds)[:20], limit=MAX_SEEDS)
        knob = knob if isinstance(knob, Knob) else parse_knob(knob, arch)
        read = read_values(knob, values, arch, settings)
        if len(read) * seeds > MAX_RUNS:
            raise LabError("experiment_too_many", runs=len(read) * seeds, values=len(read),
                           seeds=seeds, limit=MAX_RUNS)
        return cls(arch, dataset, settings, knob, tuple(read), seeds)

    def to_spec(self) -> dict[str, Any]:
        """The JSON the store keeps with the experiment."""
        return {"knob": self.knob.text, "values": list(self.values), "seeds": self.seeds,
                "dataset": self.dataset, "settings": self.settings.to_dict(),
                "architecture": self.architecture.to_dict()}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> "Plan":
        arch = Architecture.from_dict(spec["architecture"])
        return cls.make(arch, spec["dataset"], TrainSettings.from_dict(spec["settings"]),
                        spec["knob"], spec["values"], spec["seeds"])

    def name(self) -> str:
        """The experiment's default name: ``mnist-cnn: 1.filters``."""
        return f"{self.architecture.name or 'model'}: {self.knob.text}"[:80]


@dataclass(frozen=True)
class Variant:
    """One value of the knob: the model, dataset and settings it trains with, analysed."""

    value: Any
    label: str
    architecture: Architecture
    dataset: str
    settings: TrainSettings         # with the first seed
    report: Report
    seeds: tuple[int, ...] = field(default=(0,))

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def params(self) -> int:
        return self.report.total_params

    def items(self, prefix: str) -> list[RunItem]:
        """One run per seed, for ``Store.create_runs``; named ``prefix label · seed N``."""
        return [(self.architecture, self.dataset, replace(self.settings, seed=seed),
                 f"{prefix}{self.label} · seed {seed}"[:80]) for seed in self.seeds]


def variants(arch: Architecture, dataset: str, settings: TrainSettings, knob: str | Knob,
             values: Iterable[Any], seeds: int = 1) -> list[Variant]:
    """Every variant, analysed (problems included, so a preview can show them)."""
    return plan_variants(Plan.make(arch, dataset, settings, knob, values, seeds))


def plan_variants(plan: Plan) -> list[Variant]:
    return [_variant(plan, value) for value in plan.values]


def refuse_impossible(plan: Plan, found: Sequence[Variant]) -> None:
    """Raise ImpossibleVariant for the first variant with an error problem."""
    for variant in found:
        if not variant.ok:
            raise ImpossibleVariant(plan.knob.text, variant.label, variant.report.errors[0])


def run_items(plan: Plan, found: Sequence[Variant]) -> list[RunItem]:
    """Every run of the experiment, variant by variant, seed by seed."""
    prefix = f"{plan.architecture.name or 'model'} · {plan.knob.text} = "
    return [item for variant in found for item in variant.items(prefix)]


def _variant(plan: Plan, value: Any) -> Variant:
    arch, dataset, settings, knob = plan.architecture, plan.dataset, plan.settings, plan.knob
    if knob.kind == "param":
        arch = edits.set_params(arch, knob.address, **{knob.name: value})
    elif knob.kind == "present" and not value:
        arch = edits.remove(arch, knob.address)
    elif knob.kind == "depth":
        arch = with_depth(arch, value)
    elif knob.name == "dataset":
        arch, dataset = adapt(arch, value).architecture, value
    elif knob.kind == "setting":
        settings = replace(settings, **{knob.name: value})
    info = DATASETS.get(dataset)
    seeds = tuple(settings.seed + k for k in range(plan.seeds))
    return Variant(value, value_text(knob, value), arch, dataset, settings,
                   analyse(arch, info.classes if info else None), seeds)


def with_depth(arch: Architecture, depth: int) -> Architecture:
    """``arch`` with ``depth`` Conv2D+MaxPooling2D pairs where its first run of pairs was:
    its first ``depth`` pairs, or all of them and its last pair repeated."""
    start, count = _pairs(arch)
    pairs = [arch.layers[start + 2 * k: start + 2 * k + 2] for k in range(count)]
    chosen = pairs[:depth] + [pairs[-1]] * max(0, depth - count)
    middle: tuple[Layer, ...] = tuple(layer for pair in chosen for layer in pair)
    return replace(arch, layers=(*arch.layers[:start], *middle,
                                 *arch.layers[start + 2 * count:]))


def _pairs(arch: Architecture) -> tuple[int, int]:
    """Where the first run of top-level convolution + pooling pairs (a convolution, then a
    pooling window) starts, and its length."""
    kinds = [layer_type(layer.type) for layer in arch.layers]
    convolutions = ("convolution", "depthwise")
    is_pair = lambda i: (i + 1 < len(kinds) and kinds[i].role in convolutions  # noqa: E731
                         and kinds[i + 1].role == "pooling")
    start = next((i for i in range(len(kinds)) if is_pair(i)), None)
    if start is None:
        raise LabError("experiment_no_pair")
    count = 0
    while is_pair(start + 2 * count):
        count += 1
    return start, count


# ---------------------------------------------------------------- the forecast

@dataclass(frozen=True)
class Cost:
    """The whole experiment's forecast: its runs' own seconds (each after another) and the
    queue ahead of them, from this machine's measured rate."""

    seconds: float
    runs: int
    calibrated: bool
    known: bool  # False when the dataset's size is unknown (then seconds is 0)
    each: tuple[float, ...] = ()  # every run's own forecast
    wait: Wait = Wait(0, 0.0)

    def seconds_with(self, workers: int) -> float:
        """From the click until the last run is done, ``workers`` runs training at once
        (the queue ahead first)."""
        return from_click(list(self.each), self.wait, workers)


def forecast(found: Sequence[Variant], calibration: Calibration | None = None,
             wait: Wait = Wait(0, 0.0)) -> Cost:
    """Each run's forecast (start-up and training), seeds included, behind ``wait``."""
    each, known = [], True
    for variant in found:
        images = train_images(variant.dataset)
        if images is None or not variant.ok:
            known = known and images is not None
            continue
        run = estimate(variant.architecture, images, variant.settings, calibration)
        each += [run.seconds_total] * len(variant.seeds)
    return Cost(sum(each), sum(len(v.seeds) for v in found), calibration is not None, known,
                tuple(each), wait)


def train_images(dataset: str) -> int | None:
    """The registered set's training images, or the count in a ``.npz`` file (else None)."""
    if dataset in DATASETS:
        return DATASETS[dataset].train_images
    try:
        import numpy as np
        with np.load(dataset, allow_pickle=False) as npz:
            return int(npz["y_train"].shape[0])
    except (OSError, KeyError, ValueError):
        return None


# ---------------------------------------------------------------- the effect

@dataclass(frozen=True)
class EffectRow:
    """One value's results so far; accuracy numbers are None until a run is evaluated."""

    value: Any
    label: str
    params: int
    runs: tuple[int, ...]
    accuracies: tuple[float, ...]
    seconds: float | None   # mean training time of the evaluated runs
    finished: int           # runs in a final status

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.accuracies) if self.accuracies else None

    @property
    def low(self) -> float | None:
        return min(self.accuracies, default=None)

    @property
    def high(self) -> float | None:
        return max(self.accuracies, default=None)

    @property
    def std(self) -> float | None:
        """Sample standard deviation over seeds (0 for one run)."""
        if not self.accuracies:
            return None
        return statistics.stdev(self.accuracies) if len(self.accuracies) > 1 else 0.0

    @property
    def spread(self) -> float:
        return (self.high - self.low) if self.accuracies else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "params": self.params,
                "runs": list(self.runs), "finished": self.finished,
                "test_accuracy": {"mean": self.mean, "min": self.low, "max": self.high,
                                  "std": self.std, "n": len(self.accuracies)},
                "seconds": self.seconds}


@dataclass(frozen=True)
class Effect:
    """The experiment's table: rows in the plan's order, best and knee as row indices."""

    knob: Knob
    rows: tuple[EffectRow, ...]
    best: int | None
    knee: int | None

    @property
    def done(self) -> bool:
        return all(r.finished == len(r.runs) for r in self.rows)

    def reading(self, lang: str = "en") -> str:
        """One sentence: the best against the knee (or the runner-up), in ``lang``."""
        pair = self._reading_pair()
        if pair is None:
            return t("experiment.reading_wait", lang)
        ref, other = (self.rows[i] for i in pair)
        change = other.mean - ref.mean
        spread = max(ref.spread, other.spread)
        if len(ref.accuracies) < 2 or len(other.accuracies) < 2:
            verdict = "experiment.verdict_one_seed"
        else:
            verdict = "experiment.verdict_within" if abs(change) <= spread \
                else "experiment.verdict_beyond"
        accuracy = f"{change * 100:+.1f}"
        return t("experiment.reading", lang, new=_label(self.knob, other, lang),
                 old=_label(self.knob, ref, lang), what=self.knob.label(lang),
                 params=f"{other.params - ref.params:+,}", accuracy=accuracy,
                 verdict=t(verdict, lang))

    def _reading_pair(self) -> tuple[int, int] | None:
        if self.best is None:
            return None
        if self.knee is not None and self.knee != self.best:
            return self.knee, self.best
        scored = sorted((i for i, r in enumerate(self.rows) if r.mean is not None),
                        key=lambda i: -self.rows[i].mean)
        return (scored[1], self.best) if len(scored) > 1 else None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        pick = lambda i: None if i is None else self.rows[i].value  # noqa: E731
        return {"knob": self.knob.text, "variants": [r.to_dict() for r in self.rows],
                "best": pick(self.best), "knee": pick(self.knee), "reading": self.reading(lang)}


def effect(plan: Plan, runs: Sequence[Run], found: Sequence[Variant] | None = None) -> Effect:
    """The effect table of ``plan`` from its runs (each matched to its variant by model,
    dataset and settings other than the seed — and the epochs, which Continue changes,
    unless the epochs are what varies)."""
    found = plan_variants(plan) if found is None else found
    keys = [_key(plan.knob, v.architecture, v.dataset, v.settings) for v in found]
    members: list[list[Run]] = [[] for _ in found]
    for run in sorted(runs, key=lambda r: r.id):
        key = _key(plan.knob, run.architecture, run.dataset, run.settings)
        if key in keys:
            members[keys.index(key)].append(run)
    rows = tuple(_row(v, m) for v, m in zip(found, members))
    best = max((i for i, r in enumerate(rows) if r.mean is not None),
               key=lambda i: rows[i].mean, default=None)
    return Effect(plan.knob, rows, best, knee(plan.knob, rows, best))


def knee(knob: Knob, rows: Sequence[EffectRow], best: int | None) -> int | None:
    """The smallest value doing as well as the best within tolerance (module docstring)."""
    if best is None or not knob.ordered:
        return None
    tolerance = max(rows[best].spread, KNEE_GAIN)
    close = [i for i, r in enumerate(rows) if r.mean is not None
             and r.mean >= rows[best].mean - tolerance]
    return min(close, key=lambda i: _order(rows[i].value))


def effect_csv(found: Effect, lang: str = "en") -> str:
    """The effect table as CSV; text cells that a spreadsheet would run as a formula
    (starting with = + - @, tab or CR) are quoted with a leading ' (OWASP)."""
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)  # cells: csv_cell
    writer.writerow([csv_cell(found.knob.text), "params", "test_accuracy_mean", "test_accuracy_min",
                     "test_accuracy_max", "test_accuracy_std", "seconds", "runs", "finished",
                     "best", "knee"])
    for i, r in enumerate(found.rows):
        writer.writerow([csv_cell(value_text(found.knob, r.value, lang)), r.params, r.mean, r.low,
                         r.high, r.std, r.seconds, " ".join(map(str, r.runs)),
                         f"{r.finished}/{len(r.runs)}", i == found.best, i == found.knee])
    return out.getvalue()


def _row(variant: Variant, runs: list[Run]) -> EffectRow:
    scored = [r for r in runs if (r.results or {}).get("test_accuracy") is not None]
    seconds = statistics.fmean(r.train_seconds for r in scored) if scored else None
    return EffectRow(variant.value, variant.label, variant.params, tuple(r.id for r in runs),
                     tuple(float(r.results["test_accuracy"]) for r in scored), seconds,
                     sum(r.status in FINAL for r in runs))


def _key(knob: Knob, arch: Architecture, dataset: str, settings: TrainSettings) -> tuple:
    ignored = {"seed"} | ({"epochs"} if knob.name != "epochs" else set())
    kept = {k: v for k, v in settings.to_dict().items() if k not in ignored}
    return arch, dataset, json.dumps(kept, sort_keys=True)


def _order(value: Any) -> float:
    """Where a value sorts: numbers as they are, sizes by area, no limit as infinite."""
    if value is None:
        return math.inf
    return math.prod(value) if isinstance(value, list) else float(value)


def _label(knob: Knob, row: EffectRow, lang: str) -> str:
    return value_text(knob, row.value, lang)


# ---------------------------------------------------------------- queueing

def start_experiment(store: Store, executor: "Executor", plan: Plan, *, actor: Actor,
                     name: str = "") -> int:
    """Queue every variant × seed as ordinary runs grouped under a new experiment and hand
    them to the executor; returns the experiment's id. A student's runs must meet the
    class challenge. All or nothing: an impossible variant, a broken challenge rule or a
    full queue raises LabError and leaves no experiment and no run behind."""
    found = plan_variants(plan)
    refuse_impossible(plan, found)
    experiment = store.create_experiment(name or plan.name(), plan.to_spec(), actor=actor)
    try:
        ids = submit_runs(store, actor, run_items(plan, found), experiment=experiment)
    except LabError:
        store.delete_experiment(experiment, actor=SOLO)  # our own record, still empty
        raise
    for run_id in ids:
        executor.submit(run_id)
    return experiment


def stop_experiment(store: Store, experiment: int, *, actor: Actor) -> list[int]:
    """Stop every queued or training run of the experiment; returns their ids."""
    waiting = [r.id for r in store.runs(experiment=experiment) if r.status in ("queued", "running")]
    for run_id in waiting:
        store.request_stop(run_id, actor=actor)
    return waiting


def continue_experiment(store: Store, executor: "Executor", experiment: int, epochs: int, *,
                        actor: Actor) -> list[int]:
    """Continue every ended run of the experiment that kept a model for ``epochs`` more
    epochs (each is the same run, trained on from its saved state); returns their ids.
    Not when the epochs are what varies: the runs would stop differing."""
    if Plan.from_spec(store.experiment(experiment).spec).knob.name == "epochs":
        raise LabError("experiment_continue_epochs")
    ids = [r.id for r in store.runs(experiment=experiment) if r.status in CONTINUABLE
           and (checkpoints.usable(store.artifact(r.id, "last"))
                or checkpoints.usable(store.artifact(r.id, "best")))]
    if not actor.teacher:  # all or none: every run meets the challenge before one goes on
        enforce(store, actor, [(r.architecture, r.dataset, continued(r, epochs))
                               for r in map(store.run, ids)])
    for run_id in ids:
        store.extend(run_id, epochs, actor=actor)
    for run_id in ids:
        executor.submit(run_id)
    return ids


@dataclass(frozen=True)
class Stored:
    """An experiment of the store with its plan, variants, runs and effect."""

    experiment: Experiment
    plan: Plan
    variants: tuple[Variant, ...]
    runs: tuple[Run, ...]
    effect: Effect

    @property
    def active(self) -> bool:
        return any(r.status not in FINAL for r in self.runs)

    @property
    def continuable(self) -> bool:
        """Whether Continue applies: nothing is training and the epochs do not vary."""
        return bool(self.runs) and not self.active and self.plan.knob.name != "epochs"


def load(store: Store, experiment: int, actor: Actor = SOLO) -> Stored:
    """The stored experiment ``experiment`` read back (LabError when there is none), its
    runs and results as ``actor`` may see them (builder.classroom.visibility)."""
    record = store.experiment(experiment)
    plan = Plan.from_spec(record.spec)
    found = tuple(plan_variants(plan))
    seen = visible(store, store.runs(experiment=experiment), actor)
    runs = tuple(sorted(seen, key=lambda r: r.id))
    return Stored(record, plan, found, runs, effect(plan, runs, found))


# ---------------------------------------------------------------- teacher presets

@dataclass(frozen=True)
class Preset:
    """A ready-made experiment on a seed model; title and about are text keys
    ``experiment.preset_<name>`` and ``experiment.preset_<name>_about``."""

    name: str
    architecture: Architecture
    dataset: str
    knob: str
    values: tuple[Any, ...]
    seeds: int = 2
    settings: TrainSettings = TrainSettings(epochs=2, limit=5000)

    def plan(self, settings: TrainSettings | None = None) -> Plan:
        return Plan.make(self.architecture, self.dataset, settings or self.settings, self.knob,
                         self.values, self.seeds)


def _presets() -> dict[str, Preset]:
    from builder.templates import TEMPLATES
    mnist = TEMPLATES["mnist-cnn"].architecture
    dense = next(i for i, layer in enumerate(mnist.layers) if layer_type(layer.type).role == "dense")
    dropout_type, = with_role("dropout")
    dropout = replace(edits.insert(mnist, (dense + 1,), Layer.make(dropout_type.name, rate=0.5)),
                      name="mnist-cnn-dropout")
    return {p.name: p for p in (
        Preset("filters", mnist, "mnist", "1.filters", (8, 16, 32, 64)),
        Preset("pooling", mnist, "mnist", "2.present", (True, False)),
        Preset("dropout", dropout, "mnist", f"{dense + 2}.rate", (0.0, 0.25, 0.5),
               settings=TrainSettings(epochs=8, limit=2000)),
        Preset("kernel", mnist, "mnist", "1.kernel_size", (3, 5, 7)),
        Preset("datasets", mnist, "mnist", "dataset", ("mnist", "cifar10")),
        Preset("learning_rate", mnist, "mnist", "learning_rate", (1e-5, 1e-3, 0.1)),
    )}


PRESETS: dict[str, Preset] = _presets()
