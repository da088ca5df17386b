"""What the browser benchmarks share: a fresh LayerLab server, headless Chromium, and
memory readings of a process from /proc (no psutil).

    with serve(store_path, LAYERLAB_WORKERS="2") as server:   # server.url, server.pid
        with chromium() as browser:
            page = browser.new_page(); page.goto(server.url); wait_idle(page)
        peak_kib(server.pid), has_tensorflow(server.pid)

The server is started exactly as the browser tests start theirs (tests/e2e/conftest.py):
``streamlit run app.py`` on a free localhost port in its own process group, killed with
everything it spawned when the ``with`` block ends.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PALETTE_CARD = "[data-testid='palette-Dense']"
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    started: float  # time.monotonic() just before the process was started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return reply.read().strip() == b"ok"
    except OSError:
        return False


@contextmanager
def serve(store: Path, log: Path | None = None, app: Path = ROOT / "app.py",
          **env: str) -> Iterator[Server]:
    """A LayerLab server (or another Streamlit ``app``) on a free port with its run store at
    ``store`` and extra ``env``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "LAYERLAB_STORE": str(store), "PYTHONUNBUFFERED": "1", **env}
    output = open(log or os.devnull, "wb")
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.runOnSave", "false"],
        cwd=app.parent, env=environment, stdout=output, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        deadline = started + START_TIMEOUT_S
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (see {log or 'its log'})")
            time.sleep(0.02)
        yield Server(url, proc.pid, started)
    finally:
        kill_group(proc)
        output.close()
        stop_pool(store)


def stop_pool(store: Path) -> None:
    """Kill the warm trainers this server's store still lists: they end with their server
    (``builder.execution.lifeline``) within a second or so, but one benchmark repeat must
    not leave work for the next."""
    if not store.exists():
        return
    with sqlite3.connect(store) as db:
        try:
            pids = [pid for (pid,) in db.execute("SELECT pid FROM pool_workers")]
        except sqlite3.OperationalError:  # no pool table: no worker was ever started
            return
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def kill_group(proc: subprocess.Popen) -> None:
    """End a server started in its own session, with everything it spawned: SIGTERM to
    its process group, then SIGKILL if it has not gone within 10 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's chromium driven by Playwright (a ``Browser``)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, timeout_ms: int = 60_000):
    """A page in a fresh context (own cookies and session), English, a wide window."""
    context = browser.new_context(locale="en-US", viewport={"width": 1500, "height": 1000})
    context.set_default_timeout(timeout_ms)
    return context.new_page()


def wait_idle(page) -> None:
    """Until Streamlit has finished the current script run."""
    page.wait_for_selector(IDLE)


def open_build(page, url: str) -> float:
    """Seconds from navigation until the Build page's palette can be dragged from."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(PALETTE_CARD, state="visible")
    return time.perf_counter() - start


def visit_build(browser, url: str, timeout_ms: int = 60_000) -> float:
    """A new visitor (fresh context, closed afterwards): seconds until the palette is usable."""
    page = new_page(browser, timeout_ms)
    try:
        return open_build(page, url)
    finally:
        page.context.close()


# ---------------------------------------------------------------- /proc readings

def status_kib(pid: int, field: str) -> int | None:
    """A ``/proc/<pid>/status`` field in KiB (VmRSS now, VmHWM peak), None if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def peak_kib(pid: int) -> int | None:
    return status_kib(pid, "VmHWM")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used so far (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def has_tensorflow(pid: int) -> bool:
    """True when process ``pid`` has TensorFlow's shared libraries mapped (it imported it)."""
    return "tensorflow" in Path(f"/proc/{pid}/maps").read_text()


def mib(kib: int | None) -> str:
    return "?" if kib is None else f"{kib / 1024:,.0f} MiB"
