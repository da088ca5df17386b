"""Experiments: knobs, variants, refusals, the forecast and the effect table (no Keras,
except the slow parity test)."""
from __future__ import annotations

import zipfile

from dataclasses import replace

import pytest

from builder import experiments as ex
from builder.access import SOLO, Actor
from builder.architecture import Architecture, Layer
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from builder.templates import TEMPLATES

MNIST = TEMPLATES["mnist-cnn"].architecture
RESNET = TEMPLATES["resnet-small"].architecture
BASE = TrainSettings(epochs=2, limit=1000, seed=7)


def plan(knob: str, values, arch: Architecture = MNIST, seeds: int = 1,
         dataset: str = "mnist") -> ex.Plan:
    return ex.Plan.make(arch, dataset, BASE, knob, values, seeds)


# ---------------------------------------------------------------- knobs and values

def test_layer_parameter_values_are_read_to_the_parameters_type():
    found = ex.variants(MNIST, "mnist", BASE, "1.filters", ["16", "64", 16.0], seeds=2)
    assert [v.value for v in found] == [16, 64]  # 16.0 is 16 again: dropped
    assert [v.architecture.layers[0].params["filters"] for v in found] == [16, 64]
    assert [v.params for v in found] == [215_658, 243_786]
    assert all(v.settings.epochs == 2 and v.seeds == (7, 8) for v in found)
    sizes = ex.variants(MNIST, "mnist", BASE, "1.kernel_size", ["3x3", "5", [7, 7]])
    assert [v.label for v in sizes] == ["3×3", "5×5", "7×7"]


def test_a_block_path_addresses_a_layer_inside_a_block():
    found = ex.variants(RESNET, "cifar10", BASE, "2.1.2.filters", [32, 48])
    assert [v.architecture.layers[1].paths[0][1].params["filters"] for v in found] == [32, 48]
    assert found[1].params > found[0].params
    assert all(v.ok for v in found)  # the shortcut gets a projection where channels differ


def test_presence_depth_and_settings():
    with_, without = ex.variants(MNIST, "mnist", BASE, "2.present", ["with", "without"])
    assert len(with_.architecture.layers) == 7 and len(without.architecture.layers) == 6
    assert without.architecture.layers[1].type == "Conv2D"
    assert [with_.label, without.label] == ["with", "without"]

    depths = ex.variants(MNIST, "mnist", BASE, "depth", [1, 2, 3])
    assert [[layer.type for layer in v.architecture.layers][:6] for v in depths][2] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D"]
    assert [len(v.architecture.layers) for v in depths] == [5, 7, 9]
    assert depths[1].architecture == MNIST

    rates = ex.variants(MNIST, "mnist", BASE, "learning_rate", ["0.01", 1])
    assert [v.settings.learning_rate for v in rates] == [0.01, 1.0]
    assert all(v.architecture == MNIST for v in rates)
    limits = ex.variants(MNIST, "mnist", BASE, "limit", ["500", "all"])
    assert [v.settings.limit for v in limits] == [500, None] and limits[1].label == "all"


def test_dataset_knob_adapts_the_input_shape_like_the_pair_button():
    mnist, cifar = ex.variants(MNIST, "mnist", BASE, "dataset", ["mnist", "cifar10"])
    assert (mnist.dataset, cifar.dataset) == ("mnist", "cifar10")
    assert cifar.architecture.input_shape == (32, 32, 3)
    assert (mnist.params, cifar.params) == (225_034, 315_722)
    assert cifar.label == "CIFAR-10"


@pytest.mark.parametrize("knob, message", [
    ("9.filters", "9.filters: there is no such layer (the model has 7 layers)"),
    ("0.filters", "there is no such layer"),
    ("1.1.1.filters", "there is no such layer"),
    ("1.flters", "layer 1 (Conv2D) has no parameter flters (it has: filters, kernel_size"),
    ("seed", "unknown knob seed: use N.param"),
    ("2.filters", "layer 2 (MaxPooling2D) has no parameter filters"),
])
def test_unknown_knobs_are_refused_saying_what_exists(knob, message):
    with pytest.raises(LabError) as caught:
        plan(knob, [1, 2])
    assert message in caught.value.text("en")


@pytest.mark.parametrize("knob, values, message", [
    ("1.filters", ["abc"], "1.filters: filters must be an integer between 1 and 4096, got 'abc'"),
    ("1.activation", ["relu", "softmaxx"], "activation must be one of relu"),
    ("learning_rate", ["fast"], "learning_rate: setting learning_rate must be 0 < x ≤ 10"),
    ("optimizer", ["adam", "lion"], "setting optimizer must be adam, sgd, rmsprop"),
    ("dataset", ["imagenet"], "unknown dataset imagenet"),
    ("2.present", ["maybe"], "present must be true or false"),
    ("depth", [0], "depth must be an integer between 1 and 8"),
    ("1.filters", [], "1.filters: give at least one value"),
])
def test_values_of_the_wrong_type_are_refused(knob, values, message):
    with pytest.raises(LabError) as caught:
        plan(knob, values)
    assert message in caught.value.text("en")
    assert caught.value.text("ko") != caught.value.text("en")


def test_too_many_runs_and_bad_seed_counts_are_refused():
    with pytest.raises(LabError, match="52 runs \\(26 values × 2 seeds\\) is more than 50"):
        plan("1.filters", range(1, 27), seeds=2)
    assert len(plan("1.filters", range(1, 11), seeds=5).values) == 10  # exactly 50
    for seeds in (0, 6, True):
        with pytest.raises(LabError, match="seeds must be a whole number from 1 to 5"):
            plan("1.filters", [8], seeds=seeds)


def test_impossible_variants_are_refused_with_the_usual_problem_text():
    p = plan("1.kernel_size", [3, 31])
    found = ex.plan_variants(p)
    assert found[0].ok and not found[1].ok
    with pytest.raises(ex.ImpossibleVariant) as caught:
        ex.refuse_impossible(p, found)
    problem = found[1].report.errors[0]
    assert caught.value.text("en") == (
        f"with 1.kernel_size = 31×31 the model cannot train: {problem.text('en')}")
    assert "a 31×31 window does not fit a 28×28 map" in caught.value.text("en")
    assert problem.text("ko") in caught.value.text("ko")
    too_deep = plan("depth", [3, 4])
    with pytest.raises(ex.ImpossibleVariant, match="depth = 4"):
        ex.refuse_impossible(too_deep, ex.plan_variants(too_deep))


def test_depth_needs_a_conv_pool_pair():
    with pytest.raises(LabError, match="depth needs a Conv2D followed by MaxPooling2D"):
        plan("depth", [1, 2], arch=TEMPLATES["mlp"].architecture)


def test_spec_round_trip_and_run_items():
    p = plan("1.filters", [8, 16], seeds=3)
    again = ex.Plan.from_spec(p.to_spec())
    assert again == p
    items = ex.run_items(p, ex.plan_variants(p))
    assert len(items) == 6
    assert [(i[2].seed, i[0].layers[0].params["filters"]) for i in items] == [
        (7, 8), (8, 8), (9, 8), (7, 16), (8, 16), (9, 16)]
    assert items[0][3] == "mnist-cnn · 1.filters = 8 · seed 7" and items[0][1] == "mnist"


def test_forecast_adds_every_run():
    p = plan("1.filters", [8, 64], seeds=2)
    found = ex.plan_variants(p)
    cost = ex.forecast(found)
    assert cost.runs == 4 and cost.known and not cost.calibrated
    from builder.forecast import estimate
    each = [estimate(v.architecture, 60_000, v.settings).seconds_total for v in found]
    assert cost.seconds == pytest.approx(2 * sum(each))
    assert cost.seconds_with(2) == pytest.approx(cost.seconds / 2)
    unknown = ex.forecast(ex.variants(MNIST, "no/such.npz", BASE, "1.filters", [8]))
    assert not unknown.known and unknown.seconds == 0


def test_every_preset_makes_possible_variants():
    assert set(ex.PRESETS) == {"filters", "pooling", "dropout", "kernel", "datasets",
                               "learning_rate"}
    from builder.text import t
    for preset in ex.PRESETS.values():
        p = preset.plan()
        found = ex.plan_variants(p)
        ex.refuse_impossible(p, found)
        assert len(found) >= 2 and len(found) * p.seeds <= ex.MAX_RUNS
        for lang in ("en", "ko"):
            assert t(f"experiment.preset_{preset.name}", lang) != f"experiment.preset_{preset.name}"
    dropout = ex.plan_variants(ex.PRESETS["dropout"].plan())
    assert [v.architecture.layers[6].params["rate"] for v in dropout] == [0.0, 0.25, 0.5]


# ---------------------------------------------------------------- the effect

def finished(store: Store, variant: ex.Variant, seed: int, accuracy: float | None,
             seconds: float = 10.0, status: str = "completed") -> int:
    run_id = store.create_run(variant.architecture, variant.dataset,
                              replace(variant.settings, seed=seed))
    store.record_epochs(run_id, variant.settings.epochs, seconds)
    store.finish(run_id, status, {"test_accuracy": accuracy} if accuracy is not None else None)
    return run_id


def test_effect_table_means_spread_best_knee_and_reading(store):
    p = plan("1.filters", [8, 32, 64], seeds=2)
    v8, v32, v64 = ex.plan_variants(p)
    ids = [finished(store, v8, 7, 0.90, 5), finished(store, v8, 8, 0.92, 7),
           finished(store, v32, 7, 0.9720), finished(store, v32, 8, 0.9722),
           finished(store, v64, 7, 0.9760, 20), finished(store, v64, 8, 0.9762, 30)]
    other = store.create_run(MNIST, "cifar10", BASE)  # not one of the experiment's variants
    result = ex.effect(p, [store.run(i) for i in [*ids, other]])
    rows = result.rows
    assert [r.runs for r in rows] == [tuple(ids[0:2]), tuple(ids[2:4]), tuple(ids[4:6])]
    assert rows[0].mean == pytest.approx(0.91) and (rows[0].low, rows[0].high) == (0.90, 0.92)
    assert rows[0].std == pytest.approx(0.0141421, rel=1e-4)
    assert rows[2].seconds == 25 and rows[0].params == v8.params
    assert result.best == 2 and result.knee == 1  # 32 is within half a point of 64
    assert result.done
    assert result.reading("en") == (
        f"64 instead of 32 filters: +{v64.params - v32.params:,} parameters, +0.4 % accuracy, "
        "more than the spread between seeds.")
    assert "32 대신 64" in result.reading("ko") and "%p" in result.reading("ko")
    doc = result.to_dict()
    assert doc["best"] == 64 and doc["knee"] == 32
    assert doc["variants"][0]["test_accuracy"] == {
        "mean": pytest.approx(0.91), "min": 0.90, "max": 0.92,
        "std": pytest.approx(0.0141421, rel=1e-4), "n": 2}


def test_within_the_spread_and_the_knee_below_the_best(store):
    p = plan("1.filters", [16, 64], seeds=2)
    v16, v64 = ex.plan_variants(p)
    ids = [finished(store, v16, 7, 0.960), finished(store, v16, 8, 0.980),
           finished(store, v64, 7, 0.962), finished(store, v64, 8, 0.984)]
    result = ex.effect(p, [store.run(i) for i in ids])
    assert (result.best, result.knee) == (1, 0)
    assert result.reading() == (f"64 instead of 16 filters: +{v64.params - v16.params:,} "
                                "parameters, +0.3 % accuracy, within the spread between seeds.")


def test_effect_while_running_and_unordered_knobs(store):
    p = plan("optimizer", ["adam", "sgd"])
    adam, sgd = ex.plan_variants(p)
    done = finished(store, adam, 7, 0.9)
    waiting = store.create_run(sgd.architecture, sgd.dataset, sgd.settings)
    result = ex.effect(p, [store.run(done), store.run(waiting)])
    assert [r.finished for r in result.rows] == [1, 0] and not result.done
    assert result.rows[1].mean is None and result.best == 0 and result.knee is None
    assert result.reading() == "The reading appears when two values have test results."
    finished(store, sgd, 7, 0.8)
    again = ex.effect(p, store.runs())
    assert again.reading().startswith("adam instead of sgd optimizer: +0 parameters, +10.0 %")
    assert "one seed each" in again.reading()


def test_choices_have_no_knee(store):
    p = plan("1.activation", ["relu", "tanh"])
    relu, tanh = ex.plan_variants(p)
    ids = [finished(store, relu, 7, 0.9), finished(store, tanh, 7, 0.95)]
    result = ex.effect(p, [store.run(i) for i in ids])
    assert (result.best, result.knee) == (1, None)
    assert result.reading().startswith("tanh instead of relu activation: +0 parameters, +5.0 %")
    assert ex.parse_knob("1.kernel_size", MNIST).ordered and ex.parse_knob("depth", MNIST).ordered
    assert not ex.parse_knob("optimizer", MNIST).ordered


def test_continued_runs_still_belong_to_their_variant(store):
    """Continue raises a run's epochs; it still counts for its value."""
    p = plan("1.filters", [8, 16])
    v8, _ = ex.plan_variants(p)
    continued = replace(v8, settings=replace(v8.settings, epochs=v8.settings.epochs + 3))
    run_id = finished(store, continued, 7, 0.9)
    assert ex.effect(p, store.runs()).rows[0].runs == (run_id,)


def test_effect_csv_neutralises_formula_cells(store):
    arch = Architecture((28, 28, 1), (Layer.make("Flatten"), Layer.make("RandomZoom"),
                                      Layer.make("Dense", units=10, activation="softmax")), "z")
    p = plan("2.height_factor", ["-0.2", "0.1"], arch=arch)
    csv_text = ex.effect_csv(ex.effect(p, []))
    lines = csv_text.splitlines()
    assert lines[0].startswith("2.height_factor,params,test_accuracy_mean")
    assert lines[1].startswith("'-0.2,") and lines[2].startswith("0.1,")


# ---------------------------------------------------------------- queueing

def test_start_queues_every_variant_and_seed_under_one_experiment(store, executor):
    p = plan("1.filters", [8, 16], seeds=2)
    experiment = ex.start_experiment(store, executor, p, actor=SOLO)
    runs = store.runs(experiment=experiment)
    assert len(runs) == 4 and all(r.status == "queued" and r.experiment == experiment
                                  for r in runs)
    assert sorted(executor.submitted) == sorted(r.id for r in runs)
    assert store.experiment(experiment).spec == p.to_spec()
    stored = ex.load(store, experiment)
    assert stored.plan == p and stored.active
    assert [r.runs for r in stored.effect.rows] == [tuple(sorted(r.id for r in runs))[:2],
                                                    tuple(sorted(r.id for r in runs))[2:]]
    assert store.experiment(experiment).name == "mnist-cnn: 1.filters"


def test_nothing_is_queued_when_a_variant_is_impossible_or_the_queue_is_full(store, executor):
    with pytest.raises(ex.ImpossibleVariant):
        ex.start_experiment(store, executor, plan("1.kernel_size", [3, 31]), actor=SOLO)
    student = Actor("mina")
    with pytest.raises(LabError) as caught:  # a student may queue 2 runs at once
        ex.start_experiment(store, executor, plan("1.filters", [8, 16], seeds=2), actor=student)
    assert caught.value.code == "queue_full"
    assert store.runs() == [] and store.experiments() == [] and executor.submitted == []


def test_stopping_an_experiment_stops_its_runs_only(store, executor):
    one = ex.start_experiment(store, executor, plan("1.filters", [8, 16]), actor=SOLO)
    other = ex.start_experiment(store, executor, plan("learning_rate", [0.01]), actor=SOLO)
    first = min(r.id for r in store.runs(experiment=one))
    store.claim(1, None, first)  # one of them trains
    stopped = ex.stop_experiment(store, one, actor=SOLO)
    assert sorted(stopped) == sorted(r.id for r in store.runs(experiment=one))
    assert {r.status for r in store.runs(experiment=one)} == {"stopping", "stopped"}
    assert [r.status for r in store.runs(experiment=other)] == ["queued"]
    with pytest.raises(LabError) as caught:
        ex.stop_experiment(store, other, actor=Actor("mina"))
    assert caught.value.code == "not_owner"


def test_continue_trains_every_ended_run_with_a_model_more_epochs(store, executor, tmp_path):
    experiment = ex.start_experiment(store, executor, plan("1.filters", [8, 16, 32]), actor=SOLO)
    first, second, third = sorted(r.id for r in store.runs(experiment=experiment))
    for run_id in (first, second):
        store.record_epochs(run_id, 2, 5.0)
        store.finish(run_id, "completed", {"test_accuracy": 0.9})
    model = tmp_path / "last.keras"
    with zipfile.ZipFile(model, "w") as saved:  # Continue checks for a whole archive
        saved.writestr("config.json", "{}")
    store.add_artifact(first, "last", model)  # the second kept no model; the third is queued
    executor.submitted.clear()
    assert ex.continue_experiment(store, executor, experiment, 3, actor=SOLO) == [first]
    assert executor.submitted == [first]
    again = store.run(first)
    assert again.status == "queued" and again.settings.epochs == 5
    assert ex.load(store, experiment).effect.rows[0].runs == (first,)  # still the value 8
    epochs = ex.start_experiment(store, executor, plan("epochs", [1, 2]), actor=SOLO)
    with pytest.raises(LabError, match="varies the epochs"):
        ex.continue_experiment(store, executor, epochs, 3, actor=SOLO)


@pytest.mark.slow
def test_variant_parameters_equal_keras_counts():
    pytest.importorskip("keras")
    from builder.keras_build import build_model
    chosen = [*ex.variants(MNIST, "mnist", BASE, "1.filters", [8, 64]),
              *ex.variants(MNIST, "mnist", BASE, "2.present", [False]),
              *ex.variants(MNIST, "mnist", BASE, "depth", [1, 3]),
              *ex.variants(MNIST, "mnist", BASE, "dataset", ["cifar10"]),
              *ex.variants(RESNET, "cifar10", BASE, "2.1.2.filters", [48]),
              *(v for preset in ex.PRESETS.values() for v in ex.plan_variants(preset.plan()))]
    for variant in chosen:
        assert build_model(variant.architecture).count_params() == variant.params, variant.label


def test_knobs_offer_every_parameter_presence_depth_and_setting():
    found = ex.knobs(MNIST)
    assert found[:7] == ["1.filters", "1.kernel_size", "1.strides", "1.padding",
                         "1.activation", "1.use_bias", "1.present"]
    assert "depth" in found and found[-6:] == list(ex.SETTINGS)
    assert "2.1.2.filters" in ex.knobs(RESNET)
    assert "depth" not in ex.knobs(TEMPLATES["mlp"].architecture)
    for knob in found:  # every suggestion is a valid experiment
        parsed = ex.parse_knob(knob, MNIST)
        ex.Plan.make(MNIST, "mnist", BASE, parsed, ex.suggest_values(parsed, MNIST, BASE))
    assert ex.suggest_values(ex.parse_knob("1.filters", MNIST), MNIST, BASE) == ["16", "32", "64"]
    assert ex.suggest_values(ex.parse_knob("1.kernel_size", MNIST), MNIST, BASE) == [
        "1x1", "3x3", "5x5"]
