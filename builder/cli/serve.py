"""``python -m builder serve [--class]``: start the app with the settings a class needs.

* ``--class`` — class mode: the teacher key is ``$LAYERLAB_TEACHER_KEY`` when set (it must
  be strong: :func:`builder.classroom.keys.key_problem`), else a fresh
  :func:`~builder.classroom.keys.new_key`, printed once. The key reaches Streamlit
  through its environment only, never its command line (which ``ps`` shows anyone).
  The server listens on every address (``0.0.0.0``) so the room can reach it, and an idle
  trainer stays warm for an hour (``$LAYERLAB_WARM_SECONDS``, unless set).
* without ``--class`` — one user, ``localhost`` only, as ``streamlit run app.py``.
* ``--datasets DIR`` — ``$LAYERLAB_DATASET_DIR``: Keras-layout ``mnist.npz``, ``cifar10.npz`` …
* ``--workers N`` — ``$LAYERLAB_WORKERS`` (the flag wins, then the variable); by default
  one trainer per two cores, at most one per 1.5 GB of memory.

Always: no file watcher and no rerun on save (a class server's files do not change;
a watcher on a big folder floods the log), headless, no usage statistics.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from builder.classroom.keys import KEY_ENV, key_problem, new_key
from builder.cli.common import EXIT_FAILED, common
from builder.datasets import DATASETS, OVERRIDE_ENV
from builder.errors import LabError
from builder.execution.pool import DEFAULT_WARM_SECONDS, WARM_ENV
from builder.text import t

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8501
TRAINER_BYTES = 1_500_000_000       # a trainer's peak (bench/RESULTS.md: 1.2–1.3 GB on MNIST)
CORES_PER_TRAINER = 2               # TensorFlow uses at least two threads per trainer
WORKERS_ENV = "LAYERLAB_WORKERS"
CLASS_WARM_SECONDS = "3600"         # a warm trainer outlasts a lesson's quiet minutes


def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    sub = subparsers.add_parser("serve", parents=[common(lang)], help=t("cli.serve", lang),
                                description=t("cli.serve", lang))
    sub.add_argument("--class", dest="classroom", action="store_true",
                     help=t("cli.serve.class", lang))
    sub.add_argument("--datasets", metavar="DIR", help=t("cli.serve.datasets", lang))
    sub.add_argument("--port", type=int, default=DEFAULT_PORT)
    sub.add_argument("--workers", type=int, help=t("cli.serve.workers", lang))
    sub.add_argument("--address", help=t("cli.serve.address", lang))
    sub.set_defaults(run=run_serve, lang=lang)


def run_serve(args: argparse.Namespace) -> int:
    """Check the settings, print how to open the app (and the key once), exec Streamlit."""
    lang = args.lang
    env = dict(os.environ)
    env[WORKERS_ENV] = str(_workers(args.workers, env.get(WORKERS_ENV, "")))
    datasets = args.datasets or env.get(OVERRIDE_ENV, "")
    if datasets:
        env[OVERRIDE_ENV] = str(_dataset_dir(datasets))
    address = args.address or ("0.0.0.0" if args.classroom else "localhost")
    generated = False
    if args.classroom:
        env[KEY_ENV], generated = class_key(env.get(KEY_ENV, ""))
        env.setdefault(WARM_ENV, CLASS_WARM_SECONDS)
    command = streamlit_command(address, args.port)
    print(_banner(args, env, address, lang, generated=generated), flush=True)
    os.chdir(ROOT)                  # Streamlit reads .streamlit/config.toml from here
    try:
        os.execve(command[0], command, env)
    except OSError as exc:
        print(t("cli.serve.exec_failed", lang, reason=exc.strerror or exc), file=sys.stderr)
        return EXIT_FAILED


def class_key(given: str) -> tuple[str, bool]:
    """(key, generated): the given key if strong, a fresh one if none; a weak one is refused."""
    given = given.strip()
    if not given:
        return new_key(), True
    problem = key_problem(given)
    if problem:
        raise problem
    return given, False


def streamlit_command(address: str, port: int) -> list[str]:
    """``streamlit run app.py`` with a class server's flags (nothing secret in it)."""
    if not 1 <= port <= 65535:
        raise LabError("serve_port", port=port)
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.address", address, "--server.port", str(port),
            "--server.headless", "true", "--server.fileWatcherType", "none",
            "--server.runOnSave", "false", "--browser.gatherUsageStats", "false"]


def default_workers(cores: int | None, ram: int | None) -> int:
    """One trainer per two cores, at most one per 1.5 GB of memory, at least one."""
    by_cores = (cores or 1) // CORES_PER_TRAINER
    by_ram = ram // TRAINER_BYTES if ram else by_cores
    return max(1, min(by_cores, by_ram))


def _workers(asked: int | None, set_: str) -> int:
    """``--workers``, else ``$LAYERLAB_WORKERS``, else :func:`default_workers`."""
    if asked is None and set_.strip():
        try:
            asked = int(set_)
        except ValueError:
            raise LabError("serve_workers", workers=set_) from None
    if asked is not None:
        if asked < 1:
            raise LabError("serve_workers", workers=asked)
        return asked
    return default_workers(os.cpu_count(), _ram())


def _ram() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _dataset_dir(folder: str) -> Path:
    path = Path(folder).expanduser().resolve()
    if not path.is_dir():
        raise LabError("serve_datasets", path=str(path))
    return path


def _banner(args: argparse.Namespace, env: dict[str, str], address: str, lang: str,
            generated: bool) -> str:
    """What the teacher reads: where to open the app, the key (once), workers, datasets."""
    lines = [t("cli.serve.open", lang, url=f"http://localhost:{args.port}")]
    if address not in ("localhost", "127.0.0.1"):
        lines.append(t("cli.serve.students", lang,
                       url=f"http://{_room_address(address)}:{args.port}"))
    if args.classroom:
        lines.append(t("cli.serve.key_generated" if generated else "cli.serve.key_given",
                       lang, secret=env[KEY_ENV], env=KEY_ENV))
    lines.append(t("cli.serve.workers_line", lang, workers=env[WORKERS_ENV],
                   warm=round(float(env.get(WARM_ENV, DEFAULT_WARM_SECONDS)) / 60)))
    lines.append(_datasets_line(env.get(OVERRIDE_ENV, ""), lang))
    lines.append(t("cli.serve.stop", lang))
    return "\n".join(lines)


def _datasets_line(folder: str, lang: str) -> str:
    if not folder:
        return t("cli.serve.no_datasets", lang, env=OVERRIDE_ENV)
    found = [name for name in DATASETS if (Path(folder) / f"{name}.npz").is_file()]
    return t("cli.serve.datasets_line", lang, path=folder, found=", ".join(found) or "—")


def _room_address(address: str) -> str:
    """The address students type: this computer's address on the room's network."""
    if address != "0.0.0.0":
        return address
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))      # no packet is sent: picks the route only
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()
