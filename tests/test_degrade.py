"""Store failures degrade (issue 11 §4): pages still read a read-only store or one on a full
disk and writes say why; a damaged store is one clear error and never written; a trainer
killed by the system is seen at once, as out of memory when the OOM killer struck."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from builder.execution import exits
from builder.access import SOLO
from builder.errors import LabError
from builder.execution.executor import LocalExecutor
from builder.settings import TrainSettings
from builder.store import Store
from tests import tiny


def finished(store: Store) -> int:
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(epochs=1), name="kept")
    store.claim(1, None, run_id)
    store.beat(run_id, {"phase": "done"}, [(1, None, "epoch", 0.5, 0.8, 0.6, 0.7, 1.0)])
    store.finish(run_id, "completed", {"test_accuracy": 0.7})
    return run_id


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder holding a store with one finished run, then made read-only (a read-only
    bind mount, since chmod does not stop root)."""
    folder = tmp_path / "class"
    folder.mkdir()
    store = Store.open(folder / "runs.sqlite")
    run_id = finished(store)
    store.close()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        (folder / "runs.sqlite").chmod(0o444)
        yield folder, run_id
        folder.chmod(0o755)
        return
    mount("--bind", str(folder), str(folder))
    try:
        mount("-o", "remount,ro,bind", str(folder))
        yield folder, run_id
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_read_only_store_is_read_and_writes_say_why(read_only_dir):
    folder, run_id = read_only_dir
    store = Store.open(folder / "runs.sqlite")
    assert store.read_only
    assert store.run(run_id).name == "kept" and len(store.metrics(run_id)) == 1
    assert store.queued() == [] and store.recover() == []
    LocalExecutor(store, slots=1).poll()  # what every page load does: no error
    with pytest.raises(LabError) as caught:
        store.create_run(tiny.model(), "digits", TrainSettings())
    assert caught.value.code == "store_unwritable" and store.read_only in str(caught.value)
    with pytest.raises(LabError):
        store.rename(run_id, "new", actor=SOLO)
    store.close()


@pytest.fixture
def full_disk(tmp_path):
    """A tiny filesystem holding a store with one finished run, then filled up."""
    folder = tmp_path / "tiny-fs"
    folder.mkdir()
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder))
    try:
        store = Store.open(folder / "runs.sqlite")
        run_id = finished(store)
        queued = store.create_run(tiny.model(), "digits", TrainSettings())
        filler = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(filler, b"x" * 512):
                pass
        except OSError:
            pass
        finally:
            os.close(filler)
        yield store, run_id, queued
        store.close()
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_still_shows_every_run(full_disk):
    store, run_id, queued = full_disk
    again = Store.open(store.path)  # what a page load does
    assert again.run(run_id).results == {"test_accuracy": 0.7}
    assert len(again.metrics(run_id)) == 1
    LocalExecutor(again, slots=1).poll()  # starting the queued run fails quietly…
    with pytest.raises(LabError) as caught:  # …and a write says why
        again.beat(queued, {"phase": "x"}, [(1, b, "batch", 0.1, 0.1, None, None, 0.0)
                                            for b in range(5000)])
    assert caught.value.code == "store_unwritable" and "full" in str(caught.value)


def test_a_damaged_store_is_one_clear_error_and_left_as_it_was(tmp_path):
    path = tmp_path / "runs.sqlite"
    store = Store.open(path)
    for _ in range(30):
        finished(store)
    store.close()
    data = bytearray(path.read_bytes())
    data[4096:12288] = os.urandom(8192)  # pages of the tables, scrambled
    path.write_bytes(bytes(data))
    with pytest.raises(LabError) as caught:
        Store.open(path).runs()
    assert caught.value.code == "store_corrupt" and str(path) in str(caught.value)
    assert caught.value.text("ko") != caught.value.text("en")
    assert path.read_bytes() == bytes(data)


def test_a_damaged_store_is_one_line_in_the_cli(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"SQLite format 3\0" + os.urandom(5000))
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "builder", "runs", "list", "--lang", "en"],
                          capture_output=True, text=True, cwd=root, timeout=60,
                          env={**os.environ, "LAYERLAB_STORE": str(path)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "damaged" in done.stderr


@pytest.fixture
def sleeper():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield child
    child.kill()
    child.wait()


def adopt(executor: LocalExecutor, store: Store, child: subprocess.Popen, ooms: int | None) -> int:
    """A run trained by ``child``, as if the executor had launched it."""
    run_id = store.create_run(tiny.model(), "mnist", TrainSettings(epochs=2, limit=1000))
    store.claim(1, child.pid, run_id)
    executor._children[child.pid] = (child, ooms)
    return run_id


def test_a_sigkilled_trainer_is_seen_at_once(tmp_path, sleeper):
    store = Store.open(tmp_path / "runs.sqlite")
    executor = LocalExecutor(store, slots=1)
    run_id = adopt(executor, store, sleeper, exits.oom_kills())
    assert store.recover() == []
    sleeper.send_signal(signal.SIGKILL)
    tiny.wait_for(lambda: store.recover() == [run_id], 5, "the death to be noticed")
    assert store.run(run_id).status == "interrupted" and store.run(run_id).error["code"] == "interrupted"


def test_a_trainer_killed_by_the_oom_killer_ran_out_of_memory(tmp_path, sleeper, monkeypatch):
    store = Store.open(tmp_path / "runs.sqlite")
    executor = LocalExecutor(store, slots=1)
    run_id = adopt(executor, store, sleeper, 4)
    monkeypatch.setattr(exits, "oom_kills", lambda: 5)  # the kernel's counter rose meanwhile
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()
    executor.poll()
    run = store.run(run_id)
    assert run.status == "interrupted" and run.error["code"] == "out_of_memory"
    assert "GB" in run.error_text("en") and "memory" in run.error_text("en")
    assert run.error_text("ko") != run.error_text("en")


@pytest.mark.parametrize("node, code", [(socket.gethostname(), "out_of_memory"),
                                        ("another-machine", "interrupted")])
def test_another_servers_trainer_killed_by_the_oom_killer_ran_out_of_memory(
        tmp_path, sleeper, monkeypatch, node, code):
    """No exit status (not our child): the counter the trainer wrote at its start says it."""
    store = Store.open(tmp_path / "runs.sqlite")
    run_id = store.create_run(tiny.model(), "mnist", TrainSettings(epochs=2, limit=1000))
    store.claim(1, sleeper.pid, run_id)
    store.beat(run_id, {"phase": "training", "node": node, "oom_kills": 4}, [])
    monkeypatch.setattr(exits, "oom_kills", lambda: 5)
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()
    LocalExecutor(store, slots=1).poll()  # a server that did not start this trainer
    assert store.run(run_id).error["code"] == code


def test_the_oom_counters_are_read_when_the_machine_has_them():
    count = exits.oom_kills()
    assert count is None or count >= 0
    if Path("/proc/vmstat").exists():
        assert count is not None


def test_the_train_page_says_once_that_the_store_is_damaged(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"not a database at all" * 50)
    monkeypatch.setenv("LAYERLAB_STORE", str(path))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "train.py"),
                           default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] and "damaged" in at.error[0].value and len(at.error) == 1
    assert path.read_bytes() == b"not a database at all" * 50
