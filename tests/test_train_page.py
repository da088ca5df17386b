"""The Train page: its pure helpers, and its Python-side logic in Streamlit's AppTest on a
temporary run store (runs are inserted through the store API; no trainer, no TensorFlow)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.isolation import imported_after
from builder import compare
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Metric, Store
from builder.templates import TEMPLATES
from builder.text import TEXT, t
from components.training import charts, checks, evaluation, live, words
from components.training.data import Choice

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "train.py")
NAMES = ("cat", "dog", "fox")
TINY = Architecture((4, 4, 1), (Layer.make("Flatten"), Layer.make("Dense", units=3, activation="softmax")),
                    "tiny")


def tiny_npz(test_labels: np.ndarray) -> bytes:
    """A valid 4×4 grey three-class set whose test labels are ``test_labels``."""
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    np.savez(buffer, x_train=rng.integers(0, 255, (30, 4, 4), dtype=np.uint8),
             y_train=np.arange(30) % 3, x_test=rng.integers(0, 255, (len(test_labels), 4, 4), dtype=np.uint8),
             y_test=test_labels, class_names=np.array(NAMES))
    return buffer.getvalue()


EPOCHS = [(1, 1, "batch", 1.2, 0.4, None, None, 0.1), (1, 2, "batch", 1.0, 0.5, None, None, 0.2),
          (1, None, "epoch", 1.0, 0.5, 1.1, 0.45, 0.3), (2, 1, "batch", 0.8, 0.7, None, None, 0.4),
          (2, 2, "batch", 0.7, 0.75, None, None, 0.5), (2, None, "epoch", 0.7, 0.75, 0.9, 0.6, 0.6)]


def finished_run(store: Store, status: str = "completed", error: LabError | None = None,
                 early: bool = False) -> int:
    """A run with two epochs of metrics, its results, predictions and (empty) last state;
    ``early``: stopped at batch 1 of 2 in epoch 1 (no epoch row, no best epoch)."""
    label = np.array([0] * 6 + [1] * 6 + [2] * 6)
    predicted = label.copy()
    predicted[[1, 2]] = 1          # two cats taken for dogs
    predicted[7] = 0               # one dog taken for a cat
    confidence = np.linspace(0.5, 0.95, len(label))
    spec = store.keep_upload(tiny_npz(label))
    run_id = store.create_run(TINY, spec, TrainSettings(epochs=2), status="running")
    store.beat(run_id, {"phase": "done"}, EPOCHS[:1] if early else EPOCHS)
    store.record_epochs(run_id, 0 if early else 2, 0.6)
    wrong = np.flatnonzero(predicted != label)
    wrong = wrong[np.argsort(-confidence[wrong])]
    path = store.run_dir(run_id)
    path.mkdir(parents=True, exist_ok=True)
    np.savez(path / "predictions.npz", label=label, predicted=predicted, confidence=confidence,
             indices=wrong, images=np.zeros((len(wrong), 4, 4, 1), np.uint8))
    store.add_artifact(run_id, "predictions", path / "predictions.npz")
    (path / "last.keras").write_bytes(b"")  # Continue needs a saved state; never loaded here
    store.add_artifact(run_id, "last", path / "last.keras")
    confusion = np.zeros((3, 3), int)
    np.add.at(confusion, (label, predicted), 1)
    results = {"test_loss": 0.42, "test_accuracy": 15 / 18, "best_epoch": None if early else 2,
               "confusion": confusion.tolist(), "per_class_accuracy": [4 / 6, 5 / 6, 1.0],
               "class_names": list(NAMES),
               "stopped_at": {"epoch": 1, "batch": 1, "batches": 2} if early else None}
    store.finish(run_id, status, None if error else results, error)
    return run_id


def page(run_id: int | None = None, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["lang"] = "en"
    for key, value in state.items():
        at.session_state[key] = value
    if run_id is not None:
        at.query_params["run"] = str(run_id)
    return at.run()


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


# ---------------------------------------------------------------- pure helpers

def test_progress_fraction_and_eta_follow_the_batches_done():
    progress = {"epoch": 3, "epochs": 10, "batch": 5, "batches": 10}
    assert live.fraction(progress) == pytest.approx(25 / 100)
    assert live.eta_seconds({**progress, "batch_seconds": 2.0}) == pytest.approx(150.0)  # 75 left
    assert live.eta_seconds(progress) is None  # the trainer has not measured its pace yet
    assert words.duration(125, "en") == "2 min 5 s" and words.duration(125, "ko") == "2분 5초"


def test_accuracy_and_loss_are_read_as_the_tutorial_says():
    assert [evaluation.accuracy_level(a) for a in (0.95, 0.85, 0.75, 0.5)] == [
        "train.level_very_good", "train.level_good", "train.level_meaningful", "train.level_low"]
    assert evaluation.loss_level(0.05) == "train.loss_good"
    assert evaluation.loss_level(0.3) == "train.loss_high"


def test_cell_mistakes_keep_one_cell_most_confident_first():
    predictions = {"label": np.array([0, 0, 1, 0]), "predicted": np.array([1, 1, 0, 1]),
                   "confidence": np.array([0.6, 0.9, 0.99, 0.7]), "indices": np.array([2, 0, 1, 3]),
                   "images": np.arange(4).reshape(4, 1, 1, 1)}
    pictures, confidence = evaluation.cell_mistakes(predictions, true=0, predicted=1)
    assert confidence.tolist() == pytest.approx([0.9, 0.7, 0.6])
    assert pictures.ravel().tolist() == [2, 3, 1]  # image rows follow ``indices``
    assert evaluation.mistake_cells([[5, 1, 3], [0, 4, 0], [2, 0, 1]]) == [(0, 2), (2, 0), (0, 1)]


def test_batches_sit_on_the_epoch_axis_and_are_thinned_keeping_the_newest():
    rows = [Metric(i, 1, 1 + i // 4, i % 4 + 1, "batch", 1.0, 0.5, None, None, i) for i in range(8)]
    assert charts.curves(rows, 4).batch_x == pytest.approx([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2])
    assert charts.thin(8, 3) == [0, 4, 7]  # evenly spaced, the first and the newest kept
    assert charts.thin(3, 3) == [0, 1, 2]


def test_batch_curves_show_each_batch_not_the_running_mean_that_restarts_each_epoch():
    own = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]  # what each batch scored; 3 batches an epoch
    means = [1.0, 1.5, 2.0, 4.0, 4.5, 5.0]  # Keras's running mean restarts at epoch 2
    rows = [Metric(i, 1, 1 + i // 3, i % 3 + 1, "batch", m, m / 10, None, None, i)
            for i, m in enumerate(means)]
    c = charts.curves(rows, 3)
    assert c.batch_loss == pytest.approx(own)  # continuous: no jump at the epoch boundary
    assert c.batch_accuracy == pytest.approx([v / 10 for v in own])
    every_two = [Metric(0, 1, 1, 2, "batch", 1.5, 1.0, None, None, 0),  # reported every 2 steps
                 Metric(1, 1, 1, 4, "batch", 2.5, 0.5, None, None, 1)]
    assert [m.loss for m in compare.own_values(every_two)] == pytest.approx([1.5, 3.5])
    assert [m.accuracy for m in compare.own_values(every_two)] == pytest.approx([1.0, 0.0])


def test_blockers_explain_mismatches_and_errors():
    choice = Choice("digits", "Digits", (8, 8, 1), tuple("0123456789"), None)
    cnn = TEMPLATES["mnist-cnn"].architecture
    reasons = [key for key, _ in checks.blockers(cnn, analyse(cnn, 10), choice)]
    assert reasons == ["train.input_mismatch"]
    three = Choice("x", "x", (28, 28, 1), NAMES, None)
    assert [key for key, _ in checks.blockers(cnn, analyse(cnn, 3), three)] == ["train.model_errors"]
    mnist = Choice("mnist", "MNIST", (28, 28, 1), tuple("0123456789"), None)
    assert checks.blockers(cnn, analyse(cnn, 10), mnist) == []
    assert checks.blockers(cnn, analyse(cnn, 10), None) == [("train.no_dataset", {})]


# ---------------------------------------------------------------- the page

def test_a_value_committed_with_the_click_on_start_is_the_one_that_trains(store, executor):
    """A number typed just before Start reaches the server with the click itself (its field
    commits on blur): both land in one rerun, after the form last drew."""
    at = page()
    at.number_input(key="train_batch_size").set_value(16)
    at.button(key="train_start").click().run()
    assert not at.exception
    assert [r.settings.batch_size for r in store.runs()] == [16]


def test_a_refused_value_committed_with_the_click_starts_nothing(store, executor):
    at = page()
    at.number_input(key="train_batch_size").set_value(0)
    at.button(key="train_start").click().run()
    assert store.runs() == [] and executor.submitted == []
    assert at.button(key="train_start").disabled



def test_start_queues_the_run_and_shows_it(store, executor):
    at = page()
    assert not at.exception
    start = at.button(key="train_start")
    assert not start.disabled  # the default model fits the default dataset
    at.number_input(key="train_epochs").set_value(3).run()
    at.button(key="train_start").click().run()
    run = store.runs()[0]
    assert executor.submitted == [run.id] and run.status == "queued"
    assert run.settings.epochs == 3 and run.dataset == "mnist"
    assert at.query_params["run"] == str(run.id)
    assert "Status: queued" in texts(at.markdown)
    headings = [h.value for h in at.subheader]
    assert headings.index(f"Run {run.id}: {run.name}") < headings.index("Dataset")  # the run first
    assert [e.label for e in at.expander] [:1] == ["New run"]  # the set-up folded below it
    assert at.button(key="train_stop").label == "Stop"
    store.claim(1, run_id=run.id)
    store.finish(run.id, "stopped")
    at.run()  # the end of the run does not push it below a new set-up
    headings = [h.value for h in at.subheader]
    assert headings.index(f"Run {run.id}: {run.name}") < headings.index("Dataset")
    assert "Status: stopped" in texts(at.markdown)


def test_settings_are_kept_for_other_pages_and_restored_on_return(store, executor):
    at = page()
    at.number_input(key="train_epochs").set_value(3).run()
    assert at.session_state["train_settings"].epochs == 3  # code export and pair runs read it
    back = page(train_settings=TrainSettings(epochs=7, optimizer="sgd"))  # widgets forgotten
    assert back.number_input(key="train_epochs").value == 7
    assert back.selectbox(key="train_optimizer").value == "sgd"


def test_a_refreshed_page_restores_the_shown_runs_settings(store, executor):
    run_id = finished_run(store)
    store.finish(run_id, "completed")
    at = page(run_id)  # a new session: nothing kept, the URL names the run
    assert at.number_input(key="train_epochs").value == 2
    kept = page(run_id, train_settings=TrainSettings(epochs=9))  # the session's own choice wins
    assert kept.number_input(key="train_epochs").value == 9


def test_the_counts_shown_are_those_of_the_data_used(store, executor, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "mnist.npz", x_train=rng.integers(0, 255, (100, 28, 28), dtype=np.uint8),
             y_train=np.arange(100) % 10, x_test=rng.integers(0, 255, (20, 28, 28), dtype=np.uint8),
             y_test=np.arange(20) % 10)
    monkeypatch.setenv("LAYERLAB_DATASET_DIR", str(tmp_path))
    at = page()
    captions = texts(at.caption)
    assert "100 training and 20 test images" in captions and "a local copy" in captions
    assert "The full set has 70,000 images" in captions  # the published set, labelled as such
    at.number_input(key="train_limit").set_value(50).run()
    assert "Uses 50 of the 100 training images: 45 to learn from and 5 to validate" in texts(at.caption)


def test_the_forecast_follows_the_settings_and_offers_to_measure(store, executor):
    at = page()
    forecast = {m.label: m.value for m in at.metric}
    assert set(forecast) == {"Time per epoch", "Whole run", "Peak memory"}
    assert "to start (TensorFlow, the data, the model) +" in texts(at.caption)
    at.number_input(key="train_limit").set_value(600).run()
    quick = {m.label: m.value for m in at.metric}
    assert quick["Time per epoch"] != forecast["Time per epoch"]
    assert at.button(key="train_calibrate")  # no measurement of this machine yet


def test_mismatched_dataset_disables_start_until_the_model_is_adapted(store, executor):
    at = page()
    at.selectbox(key="train_dataset").set_value("digits").run()
    assert at.button(key="train_start").disabled
    assert "28×28×1 images but" in texts(at.error)
    assert "1,500 training and 297 test images" in texts(at.caption)
    at.button(key="train_adapt_input").click().run()
    assert at.session_state["arch"].input_shape == (8, 8, 1)  # changed only by the button


def test_a_second_tab_finds_the_running_run_and_stop_asks_the_trainer(store, executor):
    run_id = store.create_run(TINY, "digits", TrainSettings(epochs=5), status="running")
    store.set_worker(run_id, os.getpid())
    store.beat(run_id, {"phase": "training", "epoch": 2, "epochs": 5, "batch": 3, "batches": 15,
                        "batch_seconds": 0.1},
               [(1, b, "batch", 1.0 / b, 0.1 * b, None, None, 0.1 * b) for b in range(1, 16)]
               + [(1, None, "epoch", 0.5, 0.6, 0.6, 0.55, 1.5)]
               + [(2, b, "batch", 0.4, 0.7, None, None, 1.5 + 0.1 * b) for b in range(1, 4)])
    at = page()  # no ?run= in the URL: found from the store
    assert not at.exception
    progress = at.get("progress")[0].proto.text
    assert progress.startswith("Epoch 2/5 · batch 3/15 · about")
    assert "3/15 mean?" in texts(at.info)
    assert len(at.get("plotly_chart")) == 1
    at.button(key="train_stop").click().run()
    assert executor.stopped == [run_id] and store.run(run_id).status == "stopping"
    assert at.button(key="train_stop").disabled


def test_before_the_first_batch_the_page_says_what_happens_and_for_how_long(store):
    run_id = store.create_run(TINY, "digits", TrainSettings(epochs=5))
    queued = store.run(run_id)
    assert live.progress_line(queued, queued.created + 3, "en") == (
        0.0, "Waiting for a free trainer… 3 s")
    assert live.progress_line(queued, queued.created + 3, "en", store.queue_position(run_id)) == (
        0.0, "Waiting for a free trainer… 3 s · number 1 in the queue")
    store.claim(1, run_id=run_id)
    store.beat(run_id, {"phase": "preparing"})
    run = store.run(run_id)
    assert live.progress_line(run, run.started + 12.4, "en") == (
        0.0, "Starting TensorFlow and building the model… 12 s")
    assert live.progress_line(run, run.started + 12.4, "ko")[1] == (
        "TensorFlow를 시작하고 모델을 만드는 중… 12초")
    store.beat(run_id, {"phase": "saving", "epoch": 2, "epochs": 4, "batch": 5, "batches": 10})
    run = store.run(run_id)  # a Stop inside epoch 2: the trainer says where it stopped at once
    assert live.progress_line(run, run.started + 20, "en") == (
        0.375, "Stopped at epoch 2, batch 5: keeping the model…")


def test_a_run_on_another_machine_says_where_it_trains():
    assert live.trained_on({"node": "here"}, "here") is None  # the usual local trainer
    assert live.trained_on({}, "here") is None
    assert live.trained_on({"node": "gpu-2", "replicas": 4, "global_batch_size": 256}, "here") == {
        "node": "gpu-2", "replicas": 4, "batch": 256}


def test_epoch_counts_are_pluralised_in_english_only():
    assert words.count(1, "train.epoch_count", "en") == "1 full epoch"
    assert words.count(3, "train.epoch_count", "en") == "3 full epochs"
    assert words.count(1, "train.epoch_count", "ko") == "에포크 1번"


def test_a_finished_run_shows_its_evaluation_and_a_cells_mistakes(store, executor):
    run_id = finished_run(store)
    at = page(run_id)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Test accuracy"] == "83.33 %" and metrics["Test loss"] == "0.4200"
    assert "Accuracy 83.33 %: fine for most uses. Loss 0.4200: above 0.1, so there is room" in texts(at.markdown)
    cells = at.selectbox(key="train_cell")
    assert cells.options[0] == "cat → dog (2)"
    cells.set_value("0-1").run()
    assert "2 of 2 test images of \"cat\" taken for \"dog\"" in texts(at.caption)
    mistakes, gallery = at.get("image")
    assert mistakes.captions == ["55%", "53%"]  # confidence of each mistake, highest first
    assert len(gallery.captions) == 18 and sum(c.endswith("· ✗ (cat)") for c in gallery.captions) == 2
    assert "dog · 53% · ✗ (cat)" in gallery.captions  # predicted · confidence · mark (truth)
    assert "predicted class · confidence" in texts(at.caption)
    assert at.button(key="train_continue").label == "Continue"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_stop_inside_the_first_epoch_tells_one_story(store, executor, lang):
    """No best epoch: the status, the evaluation, Inside the model and the drawing pad all
    speak of the model as it was at the stopped batch, and never of "epoch None"."""
    run_id = finished_run(store, "stopped", early=True)
    at = page(run_id, lang=lang)
    assert not at.exception
    shown = "\n".join(texts(at.get(kind)) for kind in ("markdown", "caption", "info", "error"))
    where = {"epoch": 1, "batch": 1, "batches": 2}
    for key in ("train.stop_first_epoch", "train.evaluated_stopped", "inside.none_stopped",
                "inside.own_stopped"):
        assert t(key, lang, count=18, **where) in shown, key
    for key in ("train.stop_kept", "train.evaluated_best", "train.stopped_at", "error.no_model_file"):
        longest = max(re.split(r"\{[^}]*\}", TEXT[key][lang]), key=len)  # its longest fixed part
        assert longest not in shown, key
    assert "None" not in shown


def test_the_run_picker_switches_runs_and_overfitting_is_pointed_out(store, executor):
    first = finished_run(store)
    second = store.create_run(TINY, "digits", TrainSettings(epochs=4), status="running")
    store.beat(second, None, [(e, None, "epoch", loss, 0.5, val_loss, 0.5 + e / 100, e)
                              for e, loss, val_loss in ((1, 1.0, 1.0), (2, 0.8, 0.8),
                                                        (3, 0.6, 0.9), (4, 0.4, 1.0))])
    store.finish(second, "completed")
    at = page(first)
    assert not at.warning
    at.selectbox(key="train_run_pick").set_value(second).run()
    assert at.query_params["run"] == str(second)
    assert "Run 2: tiny" in texts(at.subheader)
    assert "since epoch 3, validation loss rises" in texts(at.warning)


@pytest.mark.parametrize("lang, title", [("en", "MNIST digits could not be downloaded"),
                                         ("ko", "MNIST 손글씨 숫자를 내려받지 못했습니다")])
def test_a_failed_download_explains_plainly_and_start_waits(store, executor, lang, title):
    folder = store.files / "datasets"
    folder.mkdir()
    (folder / "mnist.json").write_text('{"error": {"en": "could not download MNIST digits (URL error)", '
                                       '"ko": "MNIST 손글씨 숫자를 내려받지 못했습니다 (URL error)"}}')
    at = page(lang=lang)
    first = at.error[0].value
    assert first.startswith(title) and "mnist" not in first and "URL" not in first
    assert ".keras/datasets" in first
    assert "(URL error)" in texts(at.expander[0].caption)  # the technical detail, folded away
    assert not at.info or "Download now" not in texts(at.info)  # no stale "not here yet" box
    assert [b.label for b in at.button if b.key == "train_download"] == [
        "Try again" if lang == "en" else "다시 시도"]
    assert at.button(key="train_start").disabled
    at.button(key="train_offline_fetch").click().run()
    assert at.selectbox(key="train_dataset").value == "digits"


def test_a_diverged_run_offers_a_retry_at_a_tenth_of_the_rate(store, executor):
    error = LabError("diverged", epoch=1, batch=4, rate="1", suggested="0.1", reason="exploded")
    run_id = finished_run(store)
    store.finish(run_id, "diverged", None, error)  # its results stay: the guide must not advise
    at = page(run_id)
    assert error.text("en") in texts(at.error)
    guide = texts(at.markdown)
    assert "diverged, so its numbers say nothing about the model's size" in guide
    assert "bigger model" not in guide and "fine for most uses" not in guide
    assert "train_continue" not in [b.key for b in at.button]
    at.button(key="train_retry").click().run()
    old, retried = store.run(run_id), store.runs()[0]
    assert retried.id != run_id and executor.submitted == [retried.id]
    assert retried.settings == replace(old.settings, learning_rate=0.1)  # only the rate changes
    assert (retried.architecture, retried.dataset, retried.name) == (
        old.architecture, old.dataset, old.name)
    assert at.query_params["run"] == str(retried.id)
    assert at.number_input(key="train_learning_rate").value == pytest.approx(0.1)


def test_the_live_view_notes_an_exploding_loss_and_the_device(store, executor):
    run_id = store.create_run(TINY, "digits", TrainSettings(learning_rate=5.0), status="running")
    store.set_worker(run_id, os.getpid())
    store.beat(run_id, {"phase": "training", "epoch": 1, "epochs": 5, "batch": 3, "batches": 15,
                        "device": "NVIDIA H200", "exploding": True},
               [(1, b, "batch", 10.0 ** b, 0.1, None, None, 0.1 * b) for b in range(1, 4)])
    at = page(run_id)
    assert not at.exception
    assert "The loss is exploding" in texts(at.warning) and "Learning rate 5 " in texts(at.warning)
    assert "Training on NVIDIA H200" in texts(at.caption)


def test_a_dead_trainer_shows_interrupted_live_with_what_it_kept(store, executor):
    trainer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    run_id = store.create_run(TINY, "digits", TrainSettings(epochs=5), status="running")
    store.set_worker(run_id, trainer.pid)
    store.beat(run_id, {"phase": "training", "epoch": 2, "epochs": 5, "batch": 1, "batches": 2},
               [(1, None, "epoch", 0.9, 0.6, 0.8, 0.7, 1.0)])
    at = page(run_id)
    assert "Status: running" in texts(at.markdown)
    trainer.kill()
    trainer.wait()
    at.run()  # the next redraw of the live part finds the trainer gone and redraws the page
    assert not at.exception
    assert store.run(run_id).status == "interrupted"
    assert "Status: interrupted" in texts(at.markdown)
    assert "the trainer process ended unexpectedly" in texts(at.error)
    assert "Its best epoch so far (1) reached 70.00 % accuracy" in texts(at.caption)


def test_an_unnamed_run_has_a_readable_title(store, executor):
    run_id = store.create_run(Architecture((4, 4, 1), TINY.layers), "digits", TrainSettings())
    at = page(run_id)
    assert f"Run {run_id}: unnamed model" in texts(at.subheader)
    assert at.selectbox(key="train_run_pick").value == run_id
    assert at.selectbox(key="train_run_pick").options[0].startswith(f"{run_id} · unnamed model · Digits 8×8 (offline)")


def test_the_page_never_imports_tensorflow(store):
    code = ("from streamlit.testing.v1 import AppTest; "
            f"at = AppTest.from_file({PAGE!r}, default_timeout=30).run(); "
            "assert not at.exception, at.exception")
    assert imported_after(code, env={"LAYERLAB_STORE": str(store.path)}) == []


@pytest.mark.parametrize("key, value, lang, message", [
    ("train_learning_rate", 100.0, "en", "Learning rate 100 is not used: allowed more than 0, at most 10"),
    ("train_batch_size", 0, "ko", "배치 크기 0은 쓰지 않습니다: 허용 범위 1 ~ 8192"),
    ("train_limit", 5, "en", "Image limit (quick run) 5 is not used: allowed empty (all images) or at least 10")])
def test_an_out_of_range_setting_is_refused_next_to_its_field(store, executor, key, value, lang, message):
    at = page(lang=lang)
    at.number_input(key=key).set_value(value).run()
    assert not at.exception
    assert at.number_input(key=key).value == value  # shown as typed…
    shown = re.sub(r"\\(.)", r"\1", texts(at.markdown))  # as read: Markdown escapes resolved
    assert message in shown  # …refused next to the field, with the range
    assert at.button(key="train_start").disabled  # and nothing trains with another value
    at.number_input(key=key).set_value(TrainSettings().to_dict()[key.removeprefix("train_")] or 600).run()
    assert not at.button(key="train_start").disabled
