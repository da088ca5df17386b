"""Class-mode commands: who acts, the leaderboard and the challenge.

* ``train … --owner NAME`` — the run belongs to NAME (checked like a student's name) and
  keeps the challenge's rules and NAME's queue cap.
* ``runs delete|rename|stop ID [--as NAME]`` — as NAME (outside a class the default is
  the one local user, who may do everything; in a class ``--as`` is required, or the
  teacher key in ``$LAYERLAB_TEACHER_KEY``); refused with exit 2 unless NAME owns the run
  or is ``teacher``, and ``--as teacher`` needs the class's key in ``$LAYERLAB_TEACHER_KEY``.
* ``leaderboard [--reveal] [--json]`` — each student's best run, public accuracy and
  (after Reveal) private accuracy; ``--reveal`` is the teacher's Reveal (needs the key).
* ``challenge show|clear|set [--dataset …] [--limit N] [--epochs N] [--layers A,B]
  [--params N] [--minutes N] [--text …]`` — the challenge (set/clear need the key).
* ``key new`` — print a strong teacher key; ``key reset`` — forget every client's wrong
  keys, so nobody waits (needs the key).
"""
from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any, Callable

from builder.cli.common import EXIT_OK, common
from builder import formats
from builder.access import SOLO, Actor
from builder.classroom import TEACHER, TEACHER_ACTOR, keys, roster
from builder.classroom.challenge import Challenge, current, set_challenge
from builder.classroom.leaderboard import REVEALED, leaderboard, not_ranked
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.store import Store
from builder.text import t



def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    """``--owner`` on ``train``; ``delete/rename/stop`` under ``runs``; ``leaderboard``;
    ``challenge``."""
    subparsers.choices["train"].add_argument("--owner", metavar="NAME",
                                             help=t("cli.class.owner", lang))
    runs = _actions(subparsers.choices["runs"])
    runs.choices["continue"].add_argument("--as", dest="as_", metavar="NAME",
                                          help=t("cli.class.as", lang))

    def add(parent: Any, name: str,
            run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, parents=[common(lang)], help=t(f"cli.class.{name}", lang),
                                description=t(f"cli.class.{name}", lang))
        sub.set_defaults(run=run, lang=lang)
        return sub

    for name, run in (("delete", run_delete), ("rename", run_rename), ("stop", run_stop)):
        sub = add(runs, name, run)
        sub.add_argument("id", type=int, metavar="ID")
        if name == "rename":
            sub.add_argument("name", metavar="NAME")
        sub.add_argument("--as", dest="as_", metavar="NAME", help=t("cli.class.as", lang))

    board = add(subparsers, "leaderboard", run_leaderboard)
    board.add_argument("--reveal", action="store_true", help=t("cli.class.reveal", lang))
    board.add_argument("--json", action="store_true", help=t("cli.json", lang))

    challenge = add(subparsers, "challenge", run_challenge_show)
    actions = challenge.add_subparsers(metavar="ACTION", required=True)
    add(actions, "show", run_challenge_show)
    add(actions, "clear", run_challenge_clear)
    setting = add(actions, "set", run_challenge_set)
    setting.add_argument("--dataset", choices=list(DATASETS))
    setting.add_argument("--limit", type=int)
    setting.add_argument("--epochs", type=int)
    setting.add_argument("--layers", help=t("cli.class.layers", lang))
    setting.add_argument("--params", type=int)
    setting.add_argument("--minutes", type=float, help=t("cli.class.minutes", lang))
    setting.add_argument("--text", default="")

    key = add(subparsers, "key", run_key_new)
    key_actions = key.add_subparsers(metavar="ACTION", required=True)
    add(key_actions, "new", run_key_new)
    add(key_actions, "reset", run_key_reset)


def _actions(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


# ---------------------------------------------------------------- who acts

def actor_for(store: Store, name: str | None) -> Actor:
    """``--as``/``--owner``: the teacher after the key check; else NAME. Absent: SOLO
    outside a class; in a class the teacher when ``$LAYERLAB_TEACHER_KEY`` holds the
    class's key, else ``cli_needs_as``."""
    if name is None:
        if not keys.cli_class_mode(store):
            return SOLO
        if not os.environ.get(keys.KEY_ENV, "").strip():
            raise LabError("cli_needs_as")
        name = TEACHER
    if name.strip().casefold() == TEACHER:
        keys.check_cli_key(store, os.environ.get(keys.KEY_ENV, ""))
        return TEACHER_ACTOR
    return Actor(roster.clean_name(name))


def viewer(store: Store) -> Actor:
    """Who reads runs and results: SOLO outside a class; the teacher when
    ``$LAYERLAB_TEACHER_KEY`` holds the class's key; else a student who sees what every
    student sees (before Reveal: results on the public half only)."""
    if not keys.cli_class_mode(store):
        return SOLO
    if os.environ.get(keys.KEY_ENV, "").strip():
        return actor_for(store, TEACHER)
    return Actor("")


def run_delete(args: argparse.Namespace) -> int:
    store = Store.open()
    store.delete(args.id, actor=actor_for(store, args.as_))
    return EXIT_OK


def run_rename(args: argparse.Namespace) -> int:
    store = Store.open()
    store.rename(args.id, args.name, actor=actor_for(store, args.as_))
    return EXIT_OK


def run_stop(args: argparse.Namespace) -> int:
    store = Store.open()
    store.request_stop(args.id, actor=actor_for(store, args.as_))
    return EXIT_OK


# ---------------------------------------------------------------- leaderboard

def run_leaderboard(args: argparse.Namespace) -> int:
    store = Store.open()
    if args.reveal:
        store.set_setting(REVEALED, True, actor=actor_for(store, TEACHER))
    entries, left = leaderboard(store), not_ranked(store)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        final = ("" if e.private_accuracy is None else
                 f"  {formats.percent(e.private_accuracy):>8} #{e.final_rank} "
                 f"{formats.moved(e.moved):>3}")
        print(f"{e.rank:>3}  {formats.percent(e.public_accuracy):>8}{final}  {e.owner:<40} "
              f"{e.run_id:>5} {e.run_name}")
    if left:
        print(f"\n{t('class.not_ranked', args.lang)}:")
    for n in left:
        print(f"  {n.owner:<40} {n.run_id:>5} {n.run_name}: {t(n.reason, args.lang)}")
    return EXIT_OK


# ---------------------------------------------------------------- challenge

def run_challenge_show(args: argparse.Namespace) -> int:
    challenge = current(Store.open())
    print(json.dumps(challenge.to_dict() if challenge else None, ensure_ascii=False, indent=2))
    return EXIT_OK


def run_challenge_clear(args: argparse.Namespace) -> int:
    store = Store.open()
    set_challenge(store, None, actor=actor_for(store, TEACHER))
    return EXIT_OK


def run_challenge_set(args: argparse.Namespace) -> int:
    store = Store.open()
    layers = tuple(x.strip() for x in (args.layers or "").split(",") if x.strip())
    challenge = Challenge(dataset=args.dataset, limit=args.limit, max_epochs=args.epochs,
                          layer_types=layers, max_params=args.params,
                          deadline=None if args.minutes is None
                          else time.time() + 60 * args.minutes,
                          text=args.text)
    set_challenge(store, challenge, actor=actor_for(store, TEACHER))
    return run_challenge_show(args)


# ---------------------------------------------------------------- the teacher key

def run_key_new(args: argparse.Namespace) -> int:
    print(keys.new_key())
    return EXIT_OK


def run_key_reset(args: argparse.Namespace) -> int:
    count = keys.reset_failures(Store.open(), os.environ.get(keys.KEY_ENV, "").strip())
    print(t("cli.class.reset_done", args.lang, count=count))
    return EXIT_OK
