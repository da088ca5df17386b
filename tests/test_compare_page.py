"""The Compare page in Streamlit's AppTest: Python-side page logic on a temporary store.

No trainer is started: the executor is replaced by one that only records submissions.
"""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.isolation import imported_after
from builder.compare import adapt, run_labels
from builder.settings import TrainSettings
from builder.store import Store
from builder.templates import TEMPLATES
from components.compare import runs as compare_runs
from components.compare import table

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MNIST_CNN = TEMPLATES["mnist-cnn"].architecture


def finished(store: Store, dataset: str, accuracy: float, learning_rate: float = 0.001) -> int:
    arch = adapt(MNIST_CNN, dataset).architecture
    run_id = store.create_run(arch, dataset, TrainSettings(epochs=2, learning_rate=learning_rate))
    store.beat(run_id, None, [(e, None, "epoch", 1 / e, 0.5 + e / 10, 1.1 / e, 0.4 + e / 10, e)
                              for e in (1, 2)])
    store.record_epochs(run_id, 2, 4.0)
    store.finish(run_id, "completed", {"test_accuracy": accuracy, "test_loss": 1 - accuracy})
    return run_id


def compare_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/compare.py")
    return at.run()


def by_key(elements, key: str):
    return next(e for e in elements if e.key == key)


def test_empty_store_shows_the_pair_preview(store, executor):
    at = compare_page()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Run history", "Compare runs", "MNIST vs CIFAR-10",
                                             "Experiment"]
    params = {m.label: m.value for m in at.metric}
    mnist, cifar = adapt(MNIST_CNN, "mnist").after, adapt(MNIST_CNN, "cifar10").after
    assert params == {"Parameters on MNIST digits": f"{mnist.total_params:,}",
                      "Parameters on CIFAR-10": f"{cifar.total_params:,}"}
    assert by_key(at.get("download_button"), "compare_csv").proto.disabled


def test_the_page_modules_do_not_import_tensorflow():
    assert imported_after("import builder.compare, components.compare.table, "
                          "components.compare.manage, components.compare.pair, "
                          "components.compare.present, components.compare.diff") == []


def test_chosen_runs_get_curves_and_a_settings_diff(store, executor):
    a = finished(store, "mnist", 0.98)
    b = finished(store, "cifar10", 0.62, learning_rate=0.01)
    at = compare_page()
    at.multiselect(key="compare_picker").set_value([a, b]).run()
    assert not at.exception
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) == 2  # the overlaid curves and the trade-off
    picker = at.multiselect(key="compare_picker")
    assert picker.options == [f"#{b} mnist-cnn · CIFAR-10 · 2 ep · lr 0.01",
                              f"#{a} mnist-cnn · MNIST digits · 2 ep"]
    assert list(at.dataframe[0].value["label"]) == picker.options  # the history table
    assert at.toggle(key="compare_per_batch_short").value  # two epochs: per batch first
    settings_table = at.dataframe[1].value
    assert list(settings_table.index) == ["Dataset", "Input shape", "Learning rate"]
    assert list(settings_table.loc["Input shape"]) == ["28×28×1", "32×32×3"]
    assert list(settings_table.loc["Dataset"]) == ["MNIST digits", "CIFAR-10"]
    assert at.session_state[compare_runs.CHOSEN] == [a, b]


def test_rename_pin_and_delete_with_confirmation(store, executor):
    run_id = finished(store, "mnist", 0.97)
    other = finished(store, "mnist", 0.95)
    at = compare_page()
    at.selectbox(key="compare_manage").set_value(run_id).run()
    at.text_input[1].input("baseline")  # [0] is the table's search box
    at.text_area[0].input("the seed's settings")
    at.button(key=f"FormSubmitter:compare_edit_{run_id}-Save name and note").click().run()
    assert (store.run(run_id).name, store.run(run_id).note) == ("baseline", "the seed's settings")
    at.toggle(key=f"compare_pin_{run_id}").set_value(True).run()
    assert store.run(run_id).pinned
    at.button(key="compare_delete").click().run()
    assert store.run(run_id)  # only asked
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key="compare_delete_yes").click().run()
    assert [r.id for r in store.runs()] == [other]
    assert not at.exception


def test_pair_button_queues_both_datasets_with_the_chosen_settings(store, executor):
    at = compare_page()
    at.number_input(key="compare_pair_epochs").set_value(2)
    at.number_input(key="compare_pair_limit").set_value(500)
    at.button(key="compare_pair_start").click().run()
    runs = sorted(store.runs(), key=lambda r: r.id)
    assert [(r.dataset, r.architecture.input_shape) for r in runs] == [
        ("mnist", (28, 28, 1)), ("cifar10", (32, 32, 3))]
    assert {(r.settings.epochs, r.settings.limit) for r in runs} == {(2, 500)}
    assert executor.submitted == [r.id for r in runs]
    assert at.session_state["compare_pair"] == [r.id for r in runs]
    assert not at.exception


def test_the_build_pages_pair_button_asks_before_queueing(store, executor):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()
    at.button(key="build_pair").click().run()
    assert not at.exception
    assert store.runs() == [] and executor.submitted == []  # nothing queued on the click
    asked = {n.key: n.value for n in at.number_input}
    assert asked == {"compare_pair_epochs": 3, "compare_pair_limit": 2000}  # small defaults
    assert at.button(key="pair_dialog_start").label == "Start both and compare"


def test_the_history_shows_a_dash_for_missing_numbers_and_fits_a_laptop(store, executor):
    done = finished(store, "mnist", 0.98)
    waiting = store.create_run(MNIST_CNN, "mnist", TrainSettings())
    runs = store.runs()
    data = table.frame(compare_runs.rows(runs, run_labels(runs)))
    html = table.styled(data).to_html()
    assert "98.00 %" in html and "—" in html and "None" not in html and "nan" not in html
    assert data.set_index("id")["test_accuracy"].isna()[waiting]  # sorting stays numeric
    assert not data.set_index("id")["test_accuracy"].isna()[done]
    widths = [c.get("width") for name, c in table._columns("en").items()
              if name not in table.FOLDED]
    assert all(isinstance(w, int) for w in widths[:-1]) and sum(widths[:-1]) <= 1000


def test_presentation_view_shows_charts_only(store, executor):
    a, b = finished(store, "mnist", 0.98), finished(store, "cifar10", 0.6)
    at = compare_page()
    at.multiselect(key="compare_picker").set_value([a, b]).run()
    at.toggle(key="compare_present").set_value(True).run()
    assert not at.exception
    assert not at.tabs and not at.dataframe
    assert len(at.get("plotly_chart")) == 2
    assert not at.get("download_button")


def test_presentation_view_draws_the_pair_curves_once(store, executor):
    at = compare_page()
    at.button(key="compare_pair_start").click().run()
    for run in store.runs():  # both runs finish at once
        store.beat(run.id, None, [(1, b, "batch", 2 / b, b / 10, None, None, b) for b in (1, 2)])
        store.record_epochs(run.id, 1, 3.0)
        store.finish(run.id, "completed", {"test_accuracy": 0.5, "test_loss": 1.2})
    at.toggle(key="compare_present").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2  # the chosen pair's curves and the trade-off
    assert len([m for m in at.metric if m.label == "Test accuracy"]) == 2
    at.toggle(key="compare_present").set_value(False).run()
    at.multiselect(key="compare_picker").set_value([]).run()
    at.toggle(key="compare_present").set_value(True).run()
    assert len(at.get("plotly_chart")) == 2  # nothing chosen: the trade-off and the pair's


def test_open_in_build_loads_the_run_architecture(store, executor):
    finished(store, "cifar10", 0.6)
    at = compare_page()
    at.button(key="compare_open").click().run()
    assert at.session_state["arch"].input_shape == (32, 32, 3)
    assert at.session_state["arch"].layers == MNIST_CNN.layers
    assert at.session_state["dataset"] == "cifar10"
    assert not at.exception


def test_korean_page_has_korean_labels(store, executor):
    at = compare_page("ko")
    assert [tab.label for tab in at.tabs] == ["실행 기록", "실행 비교", "MNIST 대 CIFAR-10", "실험"]
    assert not at.exception
