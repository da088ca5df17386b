"""Faults: the server dies while a run trains, a process dies mid-write, the disk fills
up, the store cannot be written. Work already recorded must survive all of them, and the
person sees one clear message, never a traceback.

(A trainer killed with SIGKILL mid-run is covered in tests/test_executor.py.)
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builder.access import SOLO
from builder.errors import LabError
from builder.execution.executor import LocalExecutor
from builder.settings import TrainSettings
from builder.store import Store, pid_alive
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]
ROWS_PER_BEAT = 10


def python(code: str, *args: str) -> subprocess.Popen:
    """A child interpreter running ``code`` in the repository, its stdout readable."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def history(store: Store, run_id: int) -> tuple:
    """Everything a person would look at later about a run."""
    run = store.run(run_id)
    return run.status, run.name, run.note, run.results, store.metrics(run_id)


def finished_run(store: Store) -> int:
    """A run with two epochs of metrics and results, as a finished trainer leaves it."""
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(epochs=2), name="yesterday")
    store.set_note(run_id, "keep me", actor=SOLO)
    store.claim(1, os.getpid(), run_id)
    for epoch in (1, 2):
        store.beat(run_id, {"phase": "training"}, [(epoch, None, "epoch", 1.0 / epoch, 0.5, 1.1, 0.4,
                                                     float(epoch))])
    store.finish(run_id, "completed", {"test_accuracy": 0.5})
    return run_id


SERVER = """
    import sys, time
    from builder.execution.factory import get_executor
    from builder.settings import TrainSettings
    from builder.store import Store
    from tests import tiny
    store = Store.open(sys.argv[1])
    run_id = store.create_run(tiny.model(), sys.argv[2], TrainSettings(epochs=int(sys.argv[3]), batch_size=8))
    get_executor(store).submit(run_id)  # what the Train page's Start does
    print(run_id, flush=True)
    time.sleep(600)
"""


@pytest.mark.slow
def test_a_killed_server_takes_its_trainer_along_and_leaves_history_intact(tmp_path):
    """A trainer ends with its server (builder.execution.lifeline); its run is interrupted
    with what it learned kept, and the next server lets it continue."""
    path = tmp_path / "runs.sqlite"
    store = Store.open(path)
    old = finished_run(store)
    before = history(store, old)
    data = str(tiny.write_npz(tmp_path / "tiny.npz"))
    server = python(SERVER, str(path), data, "500")
    run_id = int(server.stdout.readline())
    try:
        tiny.wait_for(lambda: store.run(run_id).epochs_done, 90, "the first epoch")
        trainer = store.run(run_id).worker_pid
        server.kill()  # SIGKILL: no cleanup of any kind
        server.wait()
        tiny.wait_for(lambda: not pid_alive(trainer), 30, "the trainer to follow its server")
    finally:
        server.kill()
        pid = store.run(run_id).worker_pid
        if pid and pid_alive(pid):
            os.kill(pid, signal.SIGKILL)

    restarted = Store.open(path)  # what a new server does first
    LocalExecutor(restarted).poll()
    assert integrity(path) == "ok"
    assert history(restarted, old) == before
    run = restarted.run(run_id)
    assert run.status == "interrupted" and run.epochs_done >= 1
    epochs = [m.epoch for m in restarted.metrics(run_id, kind="epoch")]
    assert epochs == list(range(1, len(epochs) + 1)) and len(epochs) >= run.epochs_done
    assert restarted.artifact(run_id, "best")
    restarted.extend(run_id, 1, actor=SOLO)  # Continue resumes what it learned
    assert restarted.run(run_id).status == "queued"


WRITER = """
    import os, sys
    from builder.settings import TrainSettings
    from builder.store import Store
    from tests import tiny
    store = Store.open(sys.argv[1])
    run_id = store.create_run(tiny.model(), "digits", TrainSettings())
    store.claim(1, os.getpid(), run_id)
    print(run_id, flush=True)
    batch = 0
    while True:  # one transaction of ROWS rows per beat, as fast as possible
        batch += 1
        store.beat(run_id, {"batch": batch}, [(1, batch, "batch", 0.5, 0.5, None, None, 0.0)] * int(sys.argv[2]))
"""


def test_a_process_killed_while_writing_leaves_whole_beats_only(tmp_path):
    path = tmp_path / "runs.sqlite"
    store = Store.open(path)
    old = finished_run(store)
    before = history(store, old)
    writer = python(WRITER, str(path), str(ROWS_PER_BEAT))
    run_id = int(writer.stdout.readline())
    tiny.wait_for(lambda: len(store.metrics(run_id)) >= 20 * ROWS_PER_BEAT, 30, "some beats")
    writer.send_signal(signal.SIGKILL)
    writer.wait()

    reopened = Store.open(path)
    assert integrity(path) == "ok"
    rows = reopened.metrics(run_id)
    assert rows and len(rows) % ROWS_PER_BEAT == 0  # never half a transaction
    assert reopened.run(run_id).status == "interrupted"
    assert history(reopened, old) == before


FULL_DISK = """
    import os, resource, signal, sys
    from builder.errors import LabError
    from builder.settings import TrainSettings
    from builder.store import Store
    from tests import tiny
    store = Store.open(sys.argv[1])
    run_id = store.create_run(tiny.model(), "digits", TrainSettings())
    store.claim(1, os.getpid(), run_id)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails like a full disk
    limit = os.path.getsize(sys.argv[1]) + 64_000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        for batch in range(100_000):
            store.beat(run_id, {"batch": batch}, [(1, batch, "batch", 0.5, 0.5, None, None, 0.0)] * int(sys.argv[2]))
    except LabError as exc:
        print(exc.code)
        print(exc)
"""


def test_a_full_disk_is_a_clear_error_and_corrupts_nothing(tmp_path):
    path = tmp_path / "runs.sqlite"
    store = Store.open(path)
    old = finished_run(store)
    before = history(store, old)
    store.close()
    writer = python(FULL_DISK, str(path), str(ROWS_PER_BEAT))
    out, err = writer.communicate(timeout=60)
    assert "Traceback" not in err, err
    code, message = out.splitlines()
    assert code == "store_unwritable" and str(path) in message and "LAYERLAB_STORE" in message

    reopened = Store.open(path)
    assert integrity(path) == "ok"
    assert history(reopened, old) == before
    run_id = max(r.id for r in reopened.runs())
    assert len(reopened.metrics(run_id)) % ROWS_PER_BEAT == 0
    reopened.beat(run_id, None, [(1, 1, "batch", 0.1, 0.9, None, None, 0.0)])  # room again: works


def test_an_unwritable_store_is_one_line_from_the_cli(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = subprocess.run([sys.executable, "-m", "builder", "runs", "list", "--lang", "en"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "LAYERLAB_STORE": str(blocker / "runs.sqlite")})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert str(blocker) in done.stderr and "LAYERLAB_STORE" in done.stderr


def test_a_store_file_that_is_not_a_database_is_refused_without_harm(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"my thesis, not a database" * 100)
    with pytest.raises(LabError) as caught:
        Store.open(path)
    assert caught.value.code == "store_corrupt" and str(path) in str(caught.value)
    assert path.read_bytes() == b"my thesis, not a database" * 100
