"""What every command shares: the common and training options, exit codes, safe printing."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.architecture import Architecture
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import OPTIMIZERS, TrainSettings
from builder.text import LANGUAGES, default_language, t

DEFAULT_LANG = default_language()
EXIT_OK, EXIT_FAILED, EXIT_PROBLEMS = 0, 1, 2


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


def printable(text: str) -> str:
    """``text`` with control characters (line breaks, terminal escapes) shown escaped, so
    that a value quoted from a user's file keeps a message on one harmless line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def dataset_for(arch: Architecture) -> str:
    """The first registered dataset whose images fit the model, else mnist."""
    return next((d.name for d in DATASETS.values() if d.input_shape == arch.input_shape), "mnist")


def write(text: str, output: str | None, lang: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LabError("file_unwritable", path=output, reason=exc.strerror or type(exc).__name__) from None
    print(t("cli.written", lang, path=output), file=sys.stderr)


