"""Shared test setup: quiet TensorFlow's C++ logging, missing text keys fail, a temporary
run store, and an executor that records what pages ask of it instead of starting trainers.

Under pytest-xdist (``tests/run.sh`` runs ``-n auto --dist loadgroup``) every browser test
goes to one worker, in order, while the other workers run the rest: two browsers and
servers at once would only fight over two cores."""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("LAYERLAB_WARM_SECONDS", "0")  # test servers keep no trainer warm
os.environ.setdefault("LAYERLAB_STRICT_TEXT", "1")  # builder.text.t raises on a missing key

from builder.execution import tf_env  # noqa: E402

tf_env.apply()  # in-process training runs as in a trainer process


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))


class RecordingExecutor:
    """Records submissions and stops; trains nothing (a stop is still written to the store)."""

    def __init__(self, store) -> None:
        self.store, self.submitted, self.stopped = store, [], []

    def submit(self, run_id: int) -> None:
        self.submitted.append(run_id)

    def stop(self, run_id: int, *, actor) -> None:
        self.stopped.append(run_id)
        self.store.request_stop(run_id, actor=actor)

    def poll(self) -> None:
        pass

    def warm(self) -> None:
        pass


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh run store, also the one pages open (``$LAYERLAB_STORE``); no dataset override."""
    from builder.store import Store
    path = tmp_path / "runs.sqlite"
    monkeypatch.setenv("LAYERLAB_STORE", str(path))
    monkeypatch.delenv("LAYERLAB_DATASET_DIR", raising=False)
    opened = Store.open(path)
    yield opened
    opened.close()


@pytest.fixture
def executor(store, monkeypatch) -> RecordingExecutor:
    """Pages get a RecordingExecutor instead of the real one."""
    from components import services
    fake = RecordingExecutor(store)
    monkeypatch.setattr(services, "executor", lambda: fake)
    return fake
