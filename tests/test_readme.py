"""The README's way in: the two set-up commands first, then a class server in one command
that really starts (in class mode, its key out of ``ps``); and ``python -m builder serve``'s
rules (strong keys, workers sized to the machine)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from builder import cli
from builder.cli import serve
from builder.classroom import keys
from builder.classroom.keys import KEY_ENV
from builder.errors import LabError
from bench.harness import kill_group
from tests.e2e.conftest import _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL_AND_START = ("python3 -m venv .venv && .venv/bin/pip install -r requirements.txt "
                     "&& .venv/bin/streamlit run app.py")
QUICK = 'bash tests/run.sh -m "not slow and not e2e"'
KEY_LINE = re.compile(r"Teacher key \(shown only now; write it down\): (\S+)")


def code_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S)]


def test_the_first_two_blocks_install_start_and_test():
    blocks = code_blocks(README)
    assert blocks[0] == INSTALL_AND_START
    assert blocks[1] == "bash tests/run.sh"
    top = README.split("\n## ")[0]
    assert QUICK in top and "another terminal" in top  # named next to the full run


def class_command() -> list[str]:
    """The README's third block, as an argument list."""
    argv = shlex.split(code_blocks(README)[2])
    assert argv[:5] == [".venv/bin/python", "-m", "builder", "serve", "--class"]
    return argv


def test_the_readme_class_command_starts_a_healthy_class_server(tmp_path):
    argv = class_command()
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    args = [sys.executable, *argv[1:]]
    if "--datasets" in args:
        args[args.index("--datasets") + 1] = str(datasets)
    port = _free_port()
    args += ["--port", str(port), "--address", "127.0.0.1"]
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env["LAYERLAB_STORE"] = str(tmp_path / "runs.sqlite")
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc)
        key = KEY_LINE.search(log.read_text()).group(1)
        assert keys.key_problem(key) is None and log.read_text().count(key) == 1  # shown once
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()
        assert f"{KEY_ENV}={key}".encode() in environ          # class mode, by environment
        assert key not in cmdline                              # never where `ps` shows it
        assert "fileWatcherType\0none" in cmdline and "runOnSave\0false" in cmdline
        assert f"LAYERLAB_DATASET_DIR={datasets}".encode() in environ
        assert b"LAYERLAB_WARM_SECONDS=3600" in environ or "LAYERLAB_WARM_SECONDS" in env
    finally:
        kill_group(proc)


@pytest.mark.parametrize("weak", ["1234", "aaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabcabc"])
def test_a_weak_teacher_key_is_refused_with_how_to_make_one(monkeypatch, capsys, weak):
    monkeypatch.setenv(KEY_ENV, weak)
    assert cli.main(["serve", "--class", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "will not start" in err and "python -m builder key new" in err and weak not in err


def test_a_strong_key_is_kept_and_none_is_generated():
    assert serve.class_key("  correct-Horse-battery-9  ") == ("correct-Horse-battery-9", False)
    key, generated = serve.class_key("")
    assert generated and keys.key_problem(key) is None and key != serve.class_key("")[0]


@pytest.mark.parametrize("cores, ram, workers", [(2, 8 << 30, 1), (1, None, 1), (16, 8 << 30, 5),
                                                 (16, 64 << 30, 8), (8, 1 << 30, 1)])
def test_workers_are_sized_to_cores_and_memory(cores, ram, workers):
    assert serve.default_workers(cores, ram) == workers


@pytest.mark.parametrize("argv, words", [(["--datasets", "/no/such/folder"], "does not exist"),
                                         (["--workers", "0"], "at least 1"),
                                         (["--workers", "-2"], "at least 1"),
                                         (["--port", "70000"], "between 1 and 65535")])
def test_bad_settings_are_refused_before_anything_starts(monkeypatch, capsys, argv, words):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv("LAYERLAB_WORKERS", raising=False)
    assert cli.main(["serve", "--class", *argv, "--lang", "en"]) == 2
    assert words in capsys.readouterr().err


def test_the_streamlit_command_has_the_class_flags_and_no_secret():
    command = serve.streamlit_command("0.0.0.0", 8501)
    assert command[1:4] == ["-m", "streamlit", "run"]
    flags = dict(zip(command[5::2], command[6::2]))
    assert flags["--server.fileWatcherType"] == "none" and flags["--server.runOnSave"] == "false"
    assert flags["--server.address"] == "0.0.0.0" and not any("KEY" in c for c in command)


@pytest.mark.parametrize("flag, variable, workers", [(None, "", serve.default_workers(
    os.cpu_count(), serve._ram())), (None, "3", 3), (2, "3", 2)])
def test_the_workers_flag_wins_then_the_variable(flag, variable, workers):
    assert serve._workers(flag, variable) == workers


def test_a_workers_variable_that_is_no_number_is_refused():
    with pytest.raises(LabError) as refused:
        serve._workers(None, "many")
    assert refused.value.code == "serve_workers" and "many" in refused.value.text("en")
