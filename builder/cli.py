"""``python -m builder``: summarise, export and list architectures from the command line.

Subcommands come from the modules in :data:`COMMAND_MODULES`; each has
``register(subparsers, lang)`` that adds its parsers (with ``parents=[common(lang)]``)
and sets ``run=function(args) -> exit code`` on them. To add commands, write such a
module and add its name to the list.

Expected failures are LabError: one line on stderr, exit code 2. Anything else is also
one line (exit 1), never a traceback. summary, export and templates never import
TensorFlow.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from builder import templates
from builder.analysis import Report, Row, analyse
from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.keras_graph import node_name
from builder.settings import OPTIMIZERS, TrainSettings
from builder.sources import load_architecture
from builder.text import LANGUAGES, default_language, t

COMMAND_MODULES = ["builder.cli", "builder.cli_train", "builder.cli_class",
                   "builder.cli_experiment", "builder.cli_inside"]  # add further command modules here
DEFAULT_LANG = default_language()
EXIT_OK, EXIT_FAILED, EXIT_PROBLEMS = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    try:
        args = build_parser(lang).parse_args(argv)
        return args.run(args)
    except LabError as exc:
        print(printable(exc.text(lang)), file=sys.stderr)
        return EXIT_PROBLEMS
    except SystemExit as exc:  # argparse: --help, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:  # the promise: one line, never a traceback
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        print(printable(t("error.internal", lang, detail=detail)), file=sys.stderr)
        return EXIT_FAILED


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m builder", description=t("cli.about", lang),
                                     parents=[common(lang)])
    subparsers = parser.add_subparsers(required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, lang)
    return parser


def common(lang: str) -> argparse.ArgumentParser:
    """Options every subcommand takes (use as ``parents=[common(lang)]``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=t("cli.lang", lang))
    return parent


def training(lang: str) -> argparse.ArgumentParser:
    """The training settings ``train`` and ``experiment`` take (``parents=[training(lang)]``);
    :func:`settings_from` reads them back."""
    defaults = TrainSettings()
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--epochs", type=int, default=defaults.epochs)
    parent.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parent.add_argument("--limit", type=int, default=None, help=t("cli.train.limit", lang))
    parent.add_argument("--validation-split", type=float, default=defaults.validation_split)
    parent.add_argument("--optimizer", choices=OPTIMIZERS, default=defaults.optimizer)
    parent.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parent.add_argument("--seed", type=int, default=defaults.seed)
    parent.add_argument("--name", default="", help=t("cli.train.name", lang))
    parent.add_argument("--json", action="store_true", help=t("cli.train.json", lang))
    return parent


def settings_from(args: argparse.Namespace) -> TrainSettings:
    """The :class:`TrainSettings` of arguments added by :func:`training` (checked)."""
    return TrainSettings(optimizer=args.optimizer, learning_rate=args.learning_rate,
                         batch_size=args.batch_size, epochs=args.epochs,
                         validation_split=args.validation_split, limit=args.limit,
                         seed=args.seed)


def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    """The core commands: summary, export, templates."""
    def add(name: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = subparsers.add_parser(name, parents=[common(lang)], help=t(f"cli.{name}", lang),
                                    description=t(f"cli.{name}", lang))
        sub.set_defaults(run=run, lang=lang)
        return sub

    summary = add("summary", run_summary)
    summary.add_argument("arch", metavar="ARCH", help=t("cli.arch", lang))
    summary.add_argument("--json", action="store_true", help=t("cli.json", lang))
    summary.add_argument("--dataset", choices=list(DATASETS), help=t("cli.classes_of", lang))

    export = add("export", run_export)
    export.add_argument("arch", metavar="ARCH", help=t("cli.arch", lang))
    export.add_argument("--format", required=True, choices=("python", "keras-json", "layerlab-json"),
                        help=t("cli.format", lang))
    export.add_argument("-o", "--output", metavar="FILE", help=t("cli.output", lang))
    export.add_argument("--dataset", help=t("cli.dataset", lang))

    listing = add("templates", run_templates)
    show = listing.add_subparsers(metavar="show").add_parser(
        "show", parents=[common(lang)], help=t("cli.show", lang))
    show.add_argument("name", metavar="NAME", help=t("cli.template_name", lang))
    show.set_defaults(run=run_show_template)


# ---------------------------------------------------------------- commands

def run_summary(args: argparse.Namespace) -> int:
    arch = load_architecture(args.arch)
    report = analyse(arch, DATASETS[args.dataset].classes if args.dataset else None)
    if args.json:
        print(json.dumps(report.to_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        print(summary_table(arch, report, args.lang))
    return _problems_exit(report, args.lang)


def run_export(args: argparse.Namespace) -> int:
    arch = load_architecture(args.arch)
    report = analyse(arch)
    if args.format == "layerlab-json":
        text = arch.to_json() + "\n"
    elif not report.ok:
        return _problems_exit(report, args.lang)
    elif args.format == "keras-json":
        from builder.keras_json import to_keras_json
        text = to_keras_json(arch, indent=2) + "\n"
    else:
        from builder.codegen import export_script
        text = export_script(arch, args.dataset or _dataset_for(arch), lang=args.lang)
    _write(text, args.output, args.lang)
    return EXIT_OK


def run_templates(args: argparse.Namespace) -> int:
    for template in templates.TEMPLATES.values():
        params = analyse(template.architecture).total_params
        print(f"{template.name:<18} {template.dataset:<9} {params:>9,}  "
              f"{template.title.get(args.lang, template.title['en'])}")
    return EXIT_OK


def run_show_template(args: argparse.Namespace) -> int:
    print(templates.get(args.name).architecture.to_json())
    return EXIT_OK


# ---------------------------------------------------------------- output

def summary_table(arch: Architecture, report: Report, lang: str = DEFAULT_LANG) -> str:
    """A table like Keras's ``model.summary()``: layer, output shape, parameters, totals."""
    head = (t("summary.layer", lang), t("summary.output", lang), t("summary.params", lang))
    rows = [(_label(row), _shape(row), f"{row.params:,}") for row in report.rows]
    widths = [max(len(r[i]) for r in [head, *rows]) + 2 for i in range(3)]

    def line(cells: tuple[str, str, str]) -> str:
        return cells[0].ljust(widths[0]) + cells[1].ljust(widths[1]) + cells[2].rjust(widths[2])

    rule = "─" * sum(widths)
    out = [f'{t("cli.model", lang)}: "{printable(arch.name or "model")}"', rule, line(head), rule,
           *map(line, rows), rule,
           f"{t('summary.total', lang)}: {report.total_params:,}",
           f"{t('summary.trainable', lang)}: {report.trainable:,}",
           f"{t('summary.non_trainable', lang)}: {report.non_trainable:,}",
           f"{t('summary.flops', lang)}: {report.flops:,}",
           f"{t('summary.memory', lang)}: {report.memory:,} B"]
    warnings = [p for p in report.problems if p.severity == "warning"]
    if warnings:  # errors go to stderr (see _problems_exit)
        out += ["", f"{t('cli.problems', lang)}:", *(f"  {p.text(lang)}" for p in warnings)]
    return "\n".join(out)


def _label(row: Row) -> str:
    indent = "  " * (len(row.address) // 2)
    return f"{indent}{node_name(row.address, row.type)} ({row.type})"


def _shape(row: Row) -> str:
    return "?" if row.output_shape is None else str((None, *row.output_shape))


def _problems_exit(report: Report, lang: str) -> int:
    """Exit 2 with every error on stderr (position and type first) when there are errors."""
    for problem in report.errors:
        print(printable(problem.text(lang)), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def printable(text: str) -> str:
    """``text`` with control characters (line breaks, terminal escapes) shown escaped, so
    that a value quoted from a user's file keeps a message on one harmless line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _dataset_for(arch: Architecture) -> str:
    """The first registered dataset whose images fit the model, else mnist."""
    return next((d.name for d in DATASETS.values() if d.input_shape == arch.input_shape), "mnist")


def _write(text: str, output: str | None, lang: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LabError("file_unwritable", path=output, reason=exc.strerror or type(exc).__name__) from None
    print(t("cli.written", lang, path=output), file=sys.stderr)


def _language(argv: list[str]) -> str:
    """``--lang`` read before parsing, so help and errors speak it too."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", default=DEFAULT_LANG)
    known, _ = pre.parse_known_args(argv)
    return known.lang if known.lang in LANGUAGES else DEFAULT_LANG
