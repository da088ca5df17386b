"""The model commands: summary, export, templates (none of them imports TensorFlow)."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from builder import templates
from builder.analysis import Report, Row, analyse
from builder.architecture import Architecture
from builder.cli.common import (DEFAULT_LANG, EXIT_OK, EXIT_PROBLEMS, common, dataset_for,
                                printable, write)
from builder.datasets import DATASETS
from builder.keras_graph import node_name
from builder.sources import load_architecture
from builder.text import t


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
    export.add_argument("--format", required=True, choices=("python", "ipynb", "keras-json", "layerlab-json"),
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
    elif args.format == "ipynb":
        from builder.notebook import export_notebook
        text = export_notebook(arch, args.dataset or dataset_for(arch), lang=args.lang)
    else:
        from builder.codegen import export_script
        text = export_script(arch, args.dataset or dataset_for(arch), lang=args.lang)
    write(text, args.output, args.lang)
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


