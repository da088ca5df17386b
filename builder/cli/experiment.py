"""``python -m builder experiment``: vary one thing, train every variant, print the effect.

``experiment ARCH --vary KNOB=V1,V2,… [--seeds K] [--dataset NAME|PATH.npz] [--epochs N]
[--limit N] [--batch-size N] [--optimizer O] [--learning-rate F] [--name TEXT] [--json]``
checks every variant (an unknown knob, a wrong value or an impossible model exits 2 with
the problem text and queues nothing), queues them as one experiment through the executor
(``$LAYERLAB_EXECUTOR``, ``$LAYERLAB_WORKERS``), prints progress on stderr while they
train, then the effect table. Ctrl-C stops the experiment's runs. ``--json`` prints one
object: ``experiment``, ``name``, ``knob``, ``seeds``, ``variants`` (each ``value``,
``label``, ``params``, ``runs``, ``test_accuracy`` ``{mean, min, max, std, n}``,
``seconds``, ``finished``), ``best``, ``knee``, ``reading``.

``experiment show ID [--json]`` prints the same for a stored experiment; ``experiment list``
lists them. Exit 0 when every run ended with a result (completed, stopped, diverged), 2
when one failed or was interrupted.

A registered ``--dataset`` adapts the model's input shape, as the Compare page's pair does.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from builder import experiments as ex
from builder import formats
from builder.cli.classroom import actor_for, viewer
from builder.cli.common import EXIT_OK, EXIT_PROBLEMS, common, dataset_for, settings_from, training
from builder.errors import LabError
from builder.store import Store
from builder.text import t

EXIT_INTERRUPTED = 130
POLL_SECONDS = 1.0
BAD_ENDS = ("failed", "interrupted")


def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    """Add ``experiment`` (``ARCH --vary …``, ``show ID``, ``list``)."""
    sub = subparsers.add_parser("experiment", parents=[common(lang), training(lang)],
                                help=t("cli.experiment", lang),
                                description=t("cli.experiment", lang))
    sub.set_defaults(run=run_experiment, lang=lang)
    sub.add_argument("arch", metavar="ARCH|show|list", help=t("cli.experiment.arch", lang))
    sub.add_argument("id", nargs="?", type=int, metavar="ID", help=t("cli.experiment.id", lang))
    sub.add_argument("--vary", metavar="KNOB=V1,V2,…", help=t("cli.experiment.vary", lang))
    sub.add_argument("--seeds", type=int, default=1, help=t("cli.experiment.seeds", lang))
    sub.add_argument("--dataset", help=t("cli.dataset", lang))
    sub.add_argument("--as", dest="as_", metavar="NAME", help=t("cli.class.as", lang))


def run_experiment(args: argparse.Namespace) -> int:
    if args.arch == "list":
        return _list(Store.open())
    if args.arch == "show":
        if args.id is None:
            raise LabError("cli_experiment_usage")
        store = Store.open()
        return _print(ex.load(store, args.id, viewer(store)), args)   # a class: public half
    if not args.vary or "=" not in args.vary:
        raise LabError("cli_experiment_usage")
    plan = _plan(args)
    found = ex.plan_variants(plan)
    ex.refuse_impossible(plan, found)
    _preview(plan, found, args.lang)
    from builder.execution.factory import get_executor
    store = Store.open()
    executor = get_executor(store)
    actor = actor_for(store, args.as_)
    experiment = ex.start_experiment(store, executor, plan, actor=actor, name=args.name)
    try:
        _wait(store, executor, experiment, args.lang)
    except KeyboardInterrupt:
        ex.stop_experiment(store, experiment, actor=actor)
        print(t("cli.experiment.stopped", args.lang, id=experiment), file=sys.stderr)
        _print(ex.load(store, experiment, viewer(store)), args)
        return EXIT_INTERRUPTED
    return _print(ex.load(store, experiment, viewer(store)), args)


def _plan(args: argparse.Namespace) -> ex.Plan:
    from builder.compare import adapt
    from builder.datasets import DATASETS
    from builder.sources import load_architecture
    from builder.templates import TEMPLATES
    arch = load_architecture(args.arch)
    dataset = args.dataset or (TEMPLATES[args.arch].dataset if args.arch in TEMPLATES
                               else dataset_for(arch))
    if dataset in DATASETS:
        arch = adapt(arch, dataset).architecture
    knob, values = args.vary.split("=", 1)
    return ex.Plan.make(arch, dataset, settings_from(args), knob, values.split(","), args.seeds)


def _preview(plan: ex.Plan, found: list[ex.Variant], lang: str) -> None:
    """Every variant's parameters and the forecast, on stderr, before queueing."""
    from builder.forecast import cached_calibration
    for variant in found:
        print(t("cli.experiment.variant", lang, knob=plan.knob.text, value=variant.label,
                params=f"{variant.params:,}", seeds=len(variant.seeds)), file=sys.stderr)
    cost = ex.forecast(found, cached_calibration())
    if cost.known:
        print(t("cli.experiment.forecast", lang, runs=cost.runs,
                minutes=f"{cost.seconds / 60:.1f}"), file=sys.stderr)


def _wait(store: Store, executor: Any, experiment: int, lang: str) -> None:
    """Poll until every run has ended, printing each run's progress when it changes."""
    seen: dict[int, str] = {}
    while True:
        executor.poll()
        runs = sorted(store.runs(experiment=experiment), key=lambda r: r.id)
        for run in runs:
            progress = run.progress or {}
            line = t("cli.experiment.progress", lang, id=run.id, name=run.name,
                     run_status=run.status, epoch=progress.get("epoch", 0),
                     epochs=run.settings.epochs)
            if seen.get(run.id) != line:
                print(line, file=sys.stderr, flush=True)
                seen[run.id] = line
        if all(not r.active and r.status != "queued" for r in runs):
            return
        time.sleep(POLL_SECONDS)


def _print(stored: ex.Stored, args: argparse.Namespace) -> int:
    lang = args.lang
    for run in stored.runs:
        if run.status in BAD_ENDS and run.error:
            print(f"#{run.id}: {run.error_text(lang)}", file=sys.stderr)
    if args.json:
        doc = {"experiment": stored.experiment.id, "name": stored.experiment.name,
               "seeds": stored.plan.seeds, **stored.effect.to_dict(lang)}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(table(stored, lang))
    return EXIT_PROBLEMS if any(r.status in BAD_ENDS for r in stored.runs) else EXIT_OK


def table(stored: ex.Stored, lang: str) -> str:
    """The effect table as text: value, parameters, accuracy mean (min–max), time, runs."""
    effect = stored.effect
    head = (effect.knob.text, t("cli.experiment.params", lang), t("cli.experiment.accuracy", lang),
            t("cli.experiment.time", lang), t("cli.experiment.runs", lang))
    rows = [(ex.value_text(effect.knob, r.value, lang) + _mark(effect, i, lang),
             f"{r.params:,}", _accuracy(r), f"{r.seconds:.1f} s" if r.seconds is not None else "-",
             " ".join(f"#{n}" for n in r.runs)) for i, r in enumerate(effect.rows)]
    widths = [max(len(row[i]) for row in [head, *rows]) + 2 for i in range(len(head))]
    line = lambda cells: "".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    title = t("cli.experiment.title", lang, id=stored.experiment.id, name=stored.experiment.name,
              seeds=stored.plan.seeds)
    return "\n".join([title, line(head), *map(line, rows), "", effect.reading(lang)])


def _mark(effect: ex.Effect, index: int, lang: str) -> str:
    marks = [t(f"cli.experiment.{name}", lang) for name, at in (("best", effect.best),
                                                                 ("knee", effect.knee))
             if at == index]
    return f" ({', '.join(marks)})" if marks else ""


def _accuracy(row: ex.EffectRow) -> str:
    if row.mean is None or len(row.accuracies) == 1:
        return formats.percent(row.mean)
    return f"{formats.percent(row.mean)} ({formats.percent(row.low)}–{formats.percent(row.high)})"


def _list(store: Store) -> int:
    for record in store.experiments():
        runs = store.runs(experiment=record.id)
        done = sum(not r.active and r.status != "queued" for r in runs)
        print(f"{record.id:>5}  {done:>3}/{len(runs):<3} {record.name}")
    return EXIT_OK
