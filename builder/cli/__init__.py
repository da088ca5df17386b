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
import os
import sys
from typing import Sequence

from builder.cli.common import DEFAULT_LANG, EXIT_FAILED, EXIT_PROBLEMS, common, printable
from builder.errors import LabError
from builder.text import LANGUAGES, t

COMMAND_MODULES = ["builder.cli.models", "builder.cli.train", "builder.cli.classroom",
                   "builder.cli.experiment", "builder.cli.inside", "builder.cli.serve"]  # add further command modules here


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


def _language(argv: list[str]) -> str:
    """``--lang`` read before parsing, so help and errors speak it too."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", default=DEFAULT_LANG)
    known, _ = pre.parse_known_args(argv)
    return known.lang if known.lang in LANGUAGES else DEFAULT_LANG
