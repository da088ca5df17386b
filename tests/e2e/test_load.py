"""Ten browser sessions press Start at once: the jobs queue at ``$LAYERLAB_WORKERS``, all
finish, the server stays small and TensorFlow-free, and the Build page keeps answering.
The server keeps its warm trainers (the default), so two workers take the ten runs in turn.

The same steps as ``bench/load.py`` (which also times them), on tiny data with 1 epoch.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest

from bench.harness import Server, has_tensorflow, peak_kib, serve, visit_build
from bench.load import Watch, open_train_pages, press_start, tiny_mnist
from builder.store import Store
from tests.e2e.timing import scaled, scaled_s

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SESSIONS, WORKERS = 10, 2
SERVER_MEMORY_LIMIT_KIB = 600 * 1024  # the server idles near 100 MiB; TensorFlow alone is more
FINISH_TIMEOUT_S = scaled_s(300)
BUILD_TIMEOUT_MS = scaled(300_000)  # generous: the same 2 cores also run the trainers and 11 tabs


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("load")
    with serve(folder / "runs.sqlite", folder / "streamlit.log",
               LAYERLAB_DATASET_DIR=str(tiny_mnist(folder)), LAYERLAB_WORKERS=str(WORKERS),
               LAYERLAB_WARM_SECONDS="30") as server:  # the warm pool, as a class has it
        yield server, folder / "runs.sqlite"


def test_ten_sessions_start_at_once_queue_and_all_finish(browser, loaded):
    server, store_path = loaded
    pages = open_train_pages(browser, server.url, SESSIONS, epochs=1)
    try:
        press_start(pages)
        store, watch, build_visits = Store.open(store_path), Watch(), 0
        deadline = time.monotonic() + FINISH_TIMEOUT_S
        while watch.sample(store, server.pid):
            assert time.monotonic() < deadline, f"runs still open: {watch.statuses}"
            seconds = visit_build(browser, server.url, BUILD_TIMEOUT_MS)  # raises if never usable
            print(f"Build page usable after {seconds:.1f} s with {watch.most_active} runs training")
            build_visits += 1
        for page in pages:  # each session sees its own run's outcome
            page.get_by_text("Status: completed").wait_for()
    finally:
        for page in pages:
            page.context.close()

    assert len(watch.statuses) == SESSIONS
    assert set(watch.statuses.values()) == {"completed"}
    assert 1 <= watch.most_active <= WORKERS
    assert build_visits >= 1
    assert peak_kib(server.pid) < SERVER_MEMORY_LIMIT_KIB
    assert not has_tensorflow(server.pid)
