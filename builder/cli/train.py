"""``python -m builder train`` and ``python -m builder runs``: the Train page's engine in a shell.

``train ARCH --dataset NAME|PATH.npz [--epochs N] [--batch-size N] [--limit N]
[--validation-split F] [--optimizer adam|sgd|rmsprop] [--learning-rate F] [--seed N] [--json]``
records a run in the store (``$LAYERLAB_STORE``) and trains it in this process, in the
foreground (it does not wait for the executor's slots). Progress goes to stderr
("Epoch 3/10 · batch 15/15"); Ctrl-C stops the run and keeps what it learned. ``--json``
prints the outcome on stdout: run_id, status, test_accuracy, test_loss, best_epoch,
tested ("best_epoch", or "as_stopped" for a run stopped inside its first epoch: no best
epoch, its model as stopped was tested), stopped_at ({epoch, batch, batches} of a
mid-epoch Stop), seconds, epochs (one object per epoch). Exit code 0 for completed or stopped runs, 2 otherwise.

``runs list [--json]``, ``runs show ID``, ``runs export ID -o FILE.keras [--which best|last]``,
``runs continue ID [--epochs N] [--json]`` (Continue in the foreground: the rest of the
run's plan, or N more epochs; a run stopped mid-epoch resumes at the next batch).
A diverged run exits 2 with the reason and a smaller learning rate to retry with.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
from dataclasses import replace
from typing import Any, Callable

from builder import checkpoints, formats, readiness
from builder.access import SOLO
from builder.analysis import analyse
from builder.classroom.challenge import continue_run, submit_run
from builder.cli.classroom import actor_for, viewer
from builder.classroom.visibility import results_of, visible
from builder.cli.common import EXIT_OK, EXIT_PROBLEMS, common, settings_from, training
from builder.errors import LabError
from builder.store import Run, Store, epoch_rows
from builder.text import t



def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    """Add ``train`` and ``runs`` (``list``, ``show``, ``export``)."""

    def add(parent: Any, name: str, run: Callable[[argparse.Namespace], int],
            *more: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, parents=[common(lang), *more], help=t(f"cli.train.{name}", lang),
                                description=t(f"cli.train.{name}", lang))
        sub.set_defaults(run=run, lang=lang)
        return sub

    train = add(subparsers, "train", run_train, training(lang))
    train.add_argument("arch", metavar="ARCH", help=t("cli.arch", lang))
    train.add_argument("--dataset", required=True, help=t("cli.dataset", lang))

    runs = add(subparsers, "runs", run_list)
    actions = runs.add_subparsers(metavar="ACTION", required=True)
    listing = add(actions, "list", run_list)
    listing.add_argument("--json", action="store_true", help=t("cli.json", lang))
    show = add(actions, "show", run_show)
    show.add_argument("id", type=int, metavar="ID")
    export = add(actions, "export", run_export)
    export.add_argument("id", type=int, metavar="ID")
    export.add_argument("-o", "--output", required=True, metavar="FILE.keras")
    export.add_argument("--which", choices=("best", "last"), default="best",
                        help=t("cli.train.which", lang))
    resume = add(actions, "continue", run_continue)
    resume.add_argument("id", type=int, metavar="ID")
    resume.add_argument("--epochs", type=int, default=None, help=t("cli.train.more", lang))
    resume.add_argument("--json", action="store_true", help=t("cli.train.json", lang))


# ---------------------------------------------------------------- train

def run_train(args: argparse.Namespace) -> int:
    from builder.sources import load_architecture
    arch = load_architecture(args.arch)
    report = analyse(arch)
    if not report.ok:
        for problem in report.errors:
            print(problem.text(args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    settings = settings_from(args)
    if (data := readiness.target(args.dataset)) is not None:  # before TensorFlow loads
        readiness.check(arch, data, settings=settings)
    store = Store.open()
    run_id = submit_run(store, actor_for(store, args.owner), arch, args.dataset, settings,
                        args.name, status="running")  # leased at once: no warm trainer takes it
    store.set_worker(run_id, os.getpid())
    return _train_here(store, run_id, args)


def run_continue(args: argparse.Namespace) -> int:
    """``runs continue ID [--epochs N]``: the rest of the plan (or N more) in the foreground."""
    store = Store.open()
    continue_run(store, actor_for(store, getattr(args, "as_", None)), args.id, args.epochs)
    if store.claim(sys.maxsize, os.getpid(), args.id) is None:  # a warm trainer took it first
        print(t("cli.continue.queued", args.lang, id=args.id), file=sys.stderr)
        return EXIT_OK
    return _train_here(store, args.id, args)


def _train_here(store: Store, run_id: int, args: argparse.Namespace) -> int:
    """Train the run ``run_id``, leased to this process, here; Ctrl-C stops it."""
    from builder import trainer
    from builder.execution import tf_env
    tf_env.apply()
    previous = signal.signal(signal.SIGINT, _stop_on_interrupt(store, run_id))
    try:
        trainer.train(store, run_id, listener=ProgressBar(args.lang))
    finally:
        signal.signal(signal.SIGINT, previous)
    run = store.run(run_id)   # its own trainer's run: shown whoever may see others' runs
    run = replace(run, results=results_of(store, run, viewer(store)))
    if run.error:
        print(run.error_text(args.lang), file=sys.stderr)
    if args.json:
        print(json.dumps(outcome(store, run), ensure_ascii=False, indent=2))
    return EXIT_OK if run.status in ("completed", "stopped") else EXIT_PROBLEMS


def _stop_on_interrupt(store: Store, run_id: int) -> Callable[..., None]:
    """First Ctrl-C: ask the trainer to stop (it keeps the model); second: quit."""
    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        store.request_stop(run_id, actor=SOLO)
    return handler


class ProgressBar:
    """Trainer listener: a live line on a terminal, one line per finished epoch."""

    def __init__(self, lang: str, stream: Any = None) -> None:
        self.lang, self.stream = lang, stream or sys.stderr
        self.live = self.stream.isatty()

    def __call__(self, progress: dict[str, Any], rows: list[tuple]) -> None:
        for row in rows:
            if row[2] == "epoch":
                values = dict(zip(("loss", "accuracy", "val_loss", "val_accuracy"), row[3:7]))
                shown = " · ".join(f"{k} {v:.4f}" for k, v in values.items() if v is not None)
                line = t("cli.train.progress", self.lang, epoch=row[0], batch=progress.get("batches"),
                         epochs=progress.get("epochs"), batches=progress.get("batches"))
                self._write(f"{line} · {shown}\n")
        if self.live and progress.get("phase") == "training":
            self._write(t("cli.train.progress", self.lang, **progress), end="")

    def _write(self, text: str, end: str = "\n") -> None:
        if self.live:
            text = "\r\033[K" + text.rstrip("\n") + ("" if end == "" else "\n")
        self.stream.write(text)
        self.stream.flush()


def outcome(store: Store, run: Run) -> dict[str, Any]:
    """What ``train --json`` prints and ``runs show`` includes."""
    results = run.results or {}
    epochs = [{"epoch": m.epoch, "loss": m.loss, "accuracy": m.accuracy, "val_loss": m.val_loss,
               "val_accuracy": m.val_accuracy, "seconds": round(m.time, 3)}
              for m in epoch_rows(store.metrics(run.id, kind="epoch"))]
    return {"run_id": run.id, "status": run.status, "test_accuracy": results.get("test_accuracy"),
            "test_loss": results.get("test_loss"), "best_epoch": results.get("best_epoch"),
            "tested": model_tested(results), "stopped_at": results.get("stopped_at"),
            "seconds": round(run.train_seconds, 3), "epochs": epochs,
            "error": run.error_text("en") or None}


def model_tested(results: dict[str, Any]) -> str | None:
    """Which model the test scores describe: "best_epoch", or "as_stopped" for a run
    stopped before any epoch ended (no best epoch; ``stopped_at`` says where); None before
    an evaluation."""
    if not results:
        return None
    return "as_stopped" if checkpoints.stopped_early(results) else "best_epoch"


# ---------------------------------------------------------------- runs

def run_list(args: argparse.Namespace) -> int:
    store = Store.open()
    runs = visible(store, store.runs(), viewer(store))
    if args.json:
        print(json.dumps([_row(r) for r in runs], ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in map(_row, runs):
        accuracy = formats.percent(r["test_accuracy"])
        status = formats.status(r["status"], getattr(args, "lang", "en"))
        print(f"{r['id']:>5}  {status:<11} {r['epochs']:>9}  {accuracy:>8}  "
              f"{r['dataset'][:24]:<24} {r['name']}")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    store = Store.open()
    run = _seen(store, args.id)
    doc = {**_row(run), **outcome(store, run), "settings": run.settings.to_dict(),
           "note": run.note, "results": run.results, "architecture": json.loads(run.architecture_json)}
    print(json.dumps(doc, ensure_ascii=False, indent=2))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    store = Store.open()
    store.run(args.id)  # "there is no run N" before "no model saved"
    path = store.artifact(args.id, args.which)
    if path is None:
        raise LabError("no_checkpoint", id=args.id, which=args.which)
    try:
        shutil.copyfile(path, args.output)
    except OSError as exc:
        raise LabError("file_unwritable", path=args.output, reason=exc.strerror or type(exc).__name__) from None
    print(t("cli.written", args.lang, path=args.output), file=sys.stderr)
    return EXIT_OK


def _seen(store: Store, run_id: int) -> Run:
    """The run as the CLI's reader may see it (in a class: results of the public half
    before Reveal), or ``run_missing``."""
    shown = visible(store, [store.run(run_id)], viewer(store))
    if not shown:
        raise LabError("run_missing", id=run_id)
    return shown[0]


def _row(run: Run) -> dict[str, Any]:
    return {"id": run.id, "name": run.name, "owner": run.owner, "status": run.status,
            "dataset": run.dataset,
            "epochs": f"{run.epochs_done}/{run.settings.epochs}", "pinned": run.pinned,
            "test_accuracy": (run.results or {}).get("test_accuracy"), "created": run.created}
