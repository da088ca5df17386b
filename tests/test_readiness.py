"""One answer to "can this model train on these images?" for the Train page, the CLI and
the trainer: every reason, in the order a learner fixes them, before TensorFlow loads."""
from __future__ import annotations

import pytest

from builder import limits, readiness, templates
from builder.analysis import analyse
from builder.architecture import Architecture
from builder.errors import LabError
from builder.settings import TrainSettings
from components.training import checks
from components.training.data import Choice
from tests import tiny
from tests.isolation import imported_after

MNIST = readiness.Target("mnist", (28, 28, 1), 60_000)
CNN = templates.get("mnist-cnn").architecture


def codes(arch: Architecture, data: readiness.Target, classes: int = 10, **settings) -> list[str]:
    found = readiness.reasons(arch, data, analyse(arch, classes),
                              TrainSettings(**settings) if settings else None)
    assert all(exc.text("en") and exc.text("ko") for exc in found)
    return [exc.code for exc in found]


def test_a_model_that_fits_its_images_and_settings_has_no_reason():
    assert codes(CNN, MNIST, epochs=3) == []
    readiness.check(CNN, MNIST, analyse(CNN, 10), TrainSettings())


def test_every_reason_comes_in_the_order_a_learner_fixes_them():
    cifar = readiness.Target("cifar10", (32, 32, 3), 10)
    assert codes(CNN, cifar, classes=3, validation_split=0.9) == [
        "input_mismatch", "model_errors", "split_no_training"]
    empty = Architecture((28, 28, 1), (), "empty")
    assert codes(empty, MNIST)[0] == "model_empty"


def test_check_raises_the_first_reason_with_both_shapes_named():
    with pytest.raises(LabError) as caught:
        readiness.check(CNN, readiness.Target("cifar10", (32, 32, 3)))
    assert caught.value.code == "input_mismatch"
    assert "28×28×1" in caught.value.text("en") and "32×32×3" in caught.value.text("en")


def test_a_file_is_known_from_its_headers_and_an_unreadable_one_is_left_to_the_trainer(tmp_path):
    data = readiness.target(str(tiny.write_npz(tmp_path / "tiny.npz", train=120, test=20)))
    assert data == readiness.Target(str(tmp_path / "tiny.npz"), (8, 8, 1), 120)
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    assert readiness.target(str(tmp_path / "broken.npz")) is None
    assert readiness.target("mnist") == readiness.Target("mnist", (28, 28, 1), 60_000)


def test_the_train_page_gives_the_same_reasons_in_its_own_words():
    cifar = Choice("cifar10", "CIFAR-10 **bold**", (32, 32, 3), tuple("0123456789"), None)
    reasons = checks.blockers(CNN, analyse(CNN, 10), cifar)
    assert [key for key, _ in reasons] == ["train.input_mismatch"]
    assert reasons[0][1]["dataset"] != "CIFAR-10 **bold**"  # escaped for Markdown


def test_the_cli_refuses_a_model_for_other_images_before_tensorflow_loads(tmp_path):
    data = tiny.write_npz(tmp_path / "tiny.npz", train=300, test=20)
    arch = tmp_path / "cnn.json"
    arch.write_text(CNN.to_json())
    store = tmp_path / "runs.sqlite"
    code = (f"from builder import cli\n"
            f"assert cli.main(['train', {str(arch)!r}, '--dataset', {str(data)!r}, "
            f"'--lang', 'en']) == 2\n")
    assert imported_after(code, env={"LAYERLAB_STORE": str(store)}) == []
    from builder.store import Store
    assert not store.exists() or Store.open(store).runs() == []


def test_a_batch_too_big_for_a_trainers_memory_is_refused_where_runs_are_made(monkeypatch, tmp_path):
    """The analysis judges a model at batch 64; the chosen batch is checked again: on the
    Train page, and in the store's gate every Start, pair, experiment and CLI run passes."""
    from builder.access import SOLO
    from builder.classroom.challenge import submit_run, submit_runs
    from builder.store import Store
    report = analyse(CNN, 10)
    at_64 = limits.training_bytes(report.total_params,
                                  sum(r.memory for r in report.rows), 64)
    monkeypatch.setenv("LAYERLAB_MAX_TRAIN_MEMORY", str(at_64 + 1))  # batch 64 just fits
    assert readiness.memory_reason(report, TrainSettings(batch_size=64)) is None
    big = TrainSettings(batch_size=4096)
    assert codes(CNN, MNIST, batch_size=4096) == ["batch_memory"]
    assert "4096" in readiness.memory_reason(report, big).text("en")
    mnist = Choice("mnist", "MNIST", (28, 28, 1), tuple("0123456789"), None)
    assert checks.fits_data(big, mnist, report).code == "batch_memory"
    store = Store.open(tmp_path / "runs.sqlite")
    for submit in (lambda: submit_run(store, SOLO, CNN, "mnist", big),
                   lambda: submit_runs(store, SOLO, [(CNN, "mnist", TrainSettings(), "a"),
                                                     (CNN, "mnist", big, "b")])):
        with pytest.raises(LabError) as caught:
            submit()
        assert caught.value.code == "batch_memory"
    assert store.runs() == []  # all or none
    assert submit_run(store, SOLO, CNN, "mnist", TrainSettings()) > 0
