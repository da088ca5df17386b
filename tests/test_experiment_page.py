"""The Experiment tab and the Build page's *Vary this* in Streamlit's AppTest (no trainer:
the executor only records submissions)."""
from __future__ import annotations

import zipfile

from pathlib import Path

from streamlit.testing.v1 import AppTest

from builder import experiments as ex
from builder.access import SOLO
from builder.settings import TrainSettings
from builder.templates import TEMPLATES
from tests.isolation import imported_after

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MNIST = TEMPLATES["mnist-cnn"].architecture


def page(name: str = "compare", lang: str = "en", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{name}.py")
    return at.run()


def plain(markdown: str) -> str:
    """Markdown source as read on screen: escapes removed."""
    return markdown.replace("\\", "")


def frame_with(at: AppTest, column: str):
    """The table that has ``column`` (display-only tables carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_setup_previews_every_variant_and_starts_them(store, executor):
    at = page()
    assert not at.exception
    assert at.selectbox(key="exp_knob").value == "1.filters"
    assert at.text_input(key="exp_values").value == "16, 32, 64"  # half, current, double
    preview = frame_with(at, "Δ parameters")
    assert list(preview["Parameters"]) == [215_658, 225_034, 243_786]
    assert "**3 runs**, about" in " ".join(m.value for m in at.markdown)
    at.number_input(key="exp_epochs").set_value(1)
    at.button(key="exp_start").click().run()
    assert not at.exception
    [record] = store.experiments()
    runs = store.runs(experiment=record.id)
    assert sorted(executor.submitted) == sorted(r.id for r in runs) and len(runs) == 3
    assert {r.settings.epochs for r in runs} == {1}
    assert at.selectbox(key="exp_pick").value == record.id
    assert "1.filters" in at.get("progress")[0].proto.text


def test_a_preset_sets_the_knob_values_and_seeds(store, executor):
    at = page()
    at.button(key="exp_preset_pooling").click().run()
    assert at.selectbox(key="exp_knob").value == "2.present"
    assert at.text_input(key="exp_values").value == "with, without"
    assert at.number_input(key="exp_seeds").value == 2
    preview = frame_with(at, "Δ parameters")
    assert list(preview["Parameters"]) == [225_034, 1_199_882]
    assert preview["Output shape of each layer"].iloc[1] == (
        "26×26×32 › 24×24×64 › 12×12×64 › 9216 › 128 › 10")
    at.button(key="exp_use_build").click().run()
    assert not at.exception


def test_impossible_values_are_refused_before_start(store, executor):
    at = page()
    at.selectbox(key="exp_knob").set_value("1.kernel_size").run()
    at.text_input(key="exp_values").set_value("3x3, 31x31").run()
    assert "a 31×31 window does not fit a 28×28 map" in plain(at.error[0].value)
    assert not [b for b in at.button if b.key == "exp_start"]
    at.text_input(key="exp_values").set_value("3, seven").run()
    assert "1.kernel_size: kernel_size must be an integer between 1 and 31, got 'seven'" in \
        plain(at.error[0].value)
    at.text_input(key="exp_values").set_value("3, **[x](javascript:x)**").run()
    assert "\\*\\*\\[x\\]" in at.error[0].value  # shown literally, never as Markdown
    assert store.runs() == []


def test_effect_view_shows_chart_reading_table_and_csv(store, executor):
    plan = ex.Plan.make(MNIST, "mnist", TrainSettings(epochs=1), "1.filters", [16, 32], 2)
    experiment = ex.start_experiment(store, executor, plan, actor=SOLO)
    for run, accuracy in zip(sorted(store.runs(), key=lambda r: r.id), (0.90, 0.92, 0.95, 0.96)):
        store.beat(run.id, None, [(1, None, "epoch", 0.5, 0.8, 0.6, accuracy, 1.0)])
        store.record_epochs(run.id, 1, 3.0)
        store.finish(run.id, "completed", {"test_accuracy": accuracy})
    at = page()
    assert not at.exception
    assert at.selectbox(key="exp_pick").value == experiment
    assert any(i.value.startswith("32 instead of 16 filters") for i in at.info)
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) >= 2
    table = frame_with(at, "Mark")
    assert list(table["Mark"]) == ["", "best · knee"]
    assert table["Mean"].iloc[1] == 95.5
    at.button(key="exp_compare_runs").click().run()
    assert sorted(at.session_state["compare_chosen"]) == sorted(r.id for r in store.runs())


def test_continue_trains_the_experiments_runs_more_epochs(store, executor, tmp_path):
    plan = ex.Plan.make(MNIST, "mnist", TrainSettings(epochs=1), "1.filters", [16, 32])
    experiment = ex.start_experiment(store, executor, plan, actor=SOLO)
    model = tmp_path / "last.keras"
    with zipfile.ZipFile(model, "w") as saved:  # Continue checks for a whole archive
        saved.writestr("config.json", "{}")
    for run in store.runs(experiment=experiment):
        store.record_epochs(run.id, 1, 3.0)
        store.finish(run.id, "completed", {"test_accuracy": 0.9})
        store.add_artifact(run.id, "last", model)
    at = page()
    at.number_input(key="exp_more_epochs").set_value(3)
    at.button(key="exp_continue").click().run()
    assert not at.exception
    assert {(r.status, r.settings.epochs) for r in store.runs()} == {("queued", 4)}


def test_stop_experiment_stops_its_runs(store, executor):
    plan = ex.Plan.make(MNIST, "mnist", TrainSettings(epochs=1), "1.filters", [16, 32])
    experiment = ex.start_experiment(store, executor, plan, actor=SOLO)
    at = page()
    at.button(key="exp_stop").click().run()
    assert {r.status for r in store.runs(experiment=experiment)} == {"stopped"}


def test_delete_removes_an_ended_experiment_and_its_runs_and_a_running_one_offers_none(store,
                                                                                        executor):
    plan = ex.Plan.make(MNIST, "mnist", TrainSettings(epochs=1), "1.filters", [16, 32])
    kept = ex.start_experiment(store, executor, plan, actor=SOLO)
    ended = ex.start_experiment(store, executor, plan, actor=SOLO)
    ex.stop_experiment(store, ended, actor=SOLO)
    at = page()
    assert at.selectbox(key="exp_pick").value == ended
    at.button(key="exp_delete").click().run()
    assert not at.exception
    assert [e.id for e in store.experiments()] == [kept]
    assert {r.experiment for r in store.runs()} == {kept}
    assert at.selectbox(key="exp_pick").value == kept
    assert not [b for b in at.button if b.key == "exp_delete"]  # its runs are still queued


def test_vary_this_hands_the_selected_parameter_to_the_experiment_tab(store, executor):
    at = page("build", selected=(0,))
    assert not at.exception
    at.selectbox(key="vary_param").set_value("kernel_size").run()
    at.button(key="vary_go").click().run()
    assert not at.exception
    assert at.selectbox(key="exp_knob").value == "1.kernel_size"
    assert at.text_input(key="exp_values").value == "1x1, 3x3, 5x5"


def test_korean_labels_and_no_tensorflow(store, executor):
    at = page(lang="ko")
    assert at.tabs[-1].label == "실험"
    assert not at.exception
    assert imported_after("import builder.experiments, components.compare.experiment, "
                          "components.compare.experiment_charts, "
                          "components.compare.experiment_vary") == []
