"""The comparison logic on runs in a temporary store (no Keras, no Streamlit)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from builder.access import SOLO
from builder import compare
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from builder.templates import TEMPLATES

MNIST_CNN = TEMPLATES["mnist-cnn"].architecture
CIFAR_CNN = TEMPLATES["cifar10-cnn"].architecture


def finished_run(store: Store, arch: Architecture, dataset: str, accuracy: float,
                 seconds: float = 10.0, settings: TrainSettings = TrainSettings(epochs=3),
                 val_accuracies: tuple[float, ...] = (0.5, 0.8, 0.7)) -> int:
    """A completed run with one epoch row per validation accuracy and test results."""
    run_id = store.create_run(arch, dataset, settings)
    rows = [(e, None, "epoch", 1.0 / e, 0.6 + e / 100, 1.2 / e, v, e * 2.0)
            for e, v in enumerate(val_accuracies, start=1)]
    store.beat(run_id, {"phase": "done"}, rows)
    store.record_epochs(run_id, len(val_accuracies), seconds)
    store.finish(run_id, "completed", {"test_accuracy": accuracy, "test_loss": 1 - accuracy})
    return run_id


def test_run_row_reads_analysis_results_and_best_epoch(store):
    run_id = finished_run(store, MNIST_CNN, "mnist", 0.9892, seconds=153.0)
    row = compare.run_row(store.run(run_id), store.metrics(run_id))
    report = analyse(MNIST_CNN)
    assert (row.params, row.flops) == (report.total_params, report.flops)
    assert row.params == 225_034  # the seed tutorial's count
    assert (row.test_accuracy, row.epochs, row.seconds) == (0.9892, 3, 153.0)
    assert row.status == "completed"
    assert row.best_epoch == 2  # highest validation accuracy (0.8)
    assert row.summary.startswith("Conv2D 32 › MaxPooling2D 2×2 › Conv2D 64")
    assert row.summary.endswith("Dense 10")


def test_labels_tell_apart_runs_that_share_a_name(store):
    wide = replace(MNIST_CNN, layers=MNIST_CNN.layers[:-2] + (
        MNIST_CNN.layers[-2].with_params(units=256), MNIST_CNN.layers[-1]))
    usual = TrainSettings(epochs=2, limit=3000)
    ids = [store.create_run(MNIST_CNN, "mnist", usual),
           store.create_run(MNIST_CNN, "mnist", replace(usual, learning_rate=0.01)),
           store.create_run(wide, "mnist", replace(usual, epochs=1, limit=None)),
           store.create_run(MNIST_CNN, "mnist", usual, name="baseline on MNIST digits")]
    labels = compare.run_labels(store.runs())
    assert [labels[i] for i in ids] == [
        f"#{ids[0]} mnist-cnn · MNIST digits · 2 ep · 3k img",
        f"#{ids[1]} mnist-cnn · MNIST digits · 2 ep · 3k img · lr 0.01",
        f"#{ids[2]} mnist-cnn · MNIST digits · 1 ep · Dense units 128→256",
        f"#{ids[3]} baseline on MNIST digits · 2 ep · 3k img"]  # the name says the dataset
    korean = compare.run_labels([store.run(ids[1])], "ko")[ids[1]]
    assert korean == f"#{ids[1]} mnist-cnn · MNIST 손글씨 숫자 · 2 에포크 · 이미지 3k"
    row = compare.run_row(store.run(ids[1]), label=labels[ids[1]])
    assert compare.filter_rows([row], text="LR 0.01") == [row]


def test_labels_list_the_first_layer_changes_and_count_the_rest(store):
    mlp = TEMPLATES["mlp"].architecture
    ids = [store.create_run(MNIST_CNN, "mnist", TrainSettings()) for _ in range(2)]
    other = store.create_run(mlp, "mnist", TrainSettings())
    labels = compare.run_labels(store.runs())
    moved = [c for c in compare.architecture_diff(MNIST_CNN, mlp) if c.kind != "same"]
    parts = labels[other].split(" · ")
    assert parts[-1] == f"{len(moved) - compare.LAYER_CHANGES_SHOWN} more"
    assert len(parts) == 3 + compare.LAYER_CHANGES_SHOWN + 1
    assert labels[ids[0]] == f"#{ids[0]} mnist-cnn · MNIST digits · 10 ep"


def test_compact_numbers_and_log_ticks():
    assert [compare.compact(n) for n in (500, 3000, 1500, 225_034, 999_999, 12_345_678)] == [
        "500", "3k", "1.5k", "225k", "1M", "12.3M"]
    shown = lambda low, high: [compare.compact(v) for v in compare.log_ticks(low, high)]  # noqa
    assert shown(28_426, 431_242) == ["20k", "50k", "100k", "200k", "500k"]
    assert shown(225_034, 225_034) == ["200k", "500k"]
    assert shown(1_000, 5_000_000) == ["1k", "10k", "100k", "1M", "10M"]
    assert shown(10, 10) == ["10"]


def test_per_batch_first_for_runs_of_two_epochs_or_fewer(store):
    short = finished_run(store, MNIST_CNN, "mnist", 0.9, val_accuracies=(0.5, 0.6))
    long = finished_run(store, MNIST_CNN, "mnist", 0.9)
    assert compare.per_batch_first([store.run(short)])
    assert not compare.per_batch_first([store.run(short), store.run(long)])


def test_run_row_of_a_queued_run_has_no_test_numbers(store):
    run_id = store.create_run(MNIST_CNN, "mnist", TrainSettings())
    row = compare.run_row(store.run(run_id))
    assert (row.test_accuracy, row.test_loss, row.best_epoch) == (None, None, None)
    assert row.status == "queued"


def test_summary_counts_layers_inside_blocks():
    conv = Layer.make("Conv2D", filters=4, padding="same")
    arch = Architecture((8, 8, 1), (Layer.make("Residual", [conv, conv, conv]),
                                    Layer.make("Flatten"), Layer.make("Dense", units=10)))
    assert compare.summary(arch) == "Residual[3] › Flatten › Dense 10"
    assert compare.summary(Architecture((8, 8, 1))) == "—"


def test_filter_rows_by_text_dataset_status_and_pin(store):
    a = finished_run(store, MNIST_CNN, "mnist", 0.98)
    b = finished_run(store, CIFAR_CNN, "cifar10", 0.70)
    store.rename(b, "deeper colour net", actor=SOLO)
    store.set_note(a, "baseline for the class", actor=SOLO)
    store.set_pinned(a, True, actor=SOLO)
    rows = [compare.run_row(r) for r in store.runs()]
    ids = lambda selected: sorted(r.id for r in selected)  # noqa: E731
    assert ids(compare.filter_rows(rows, text="COLOUR")) == [b]
    assert ids(compare.filter_rows(rows, text="baseline")) == [a]
    assert ids(compare.filter_rows(rows, datasets=["cifar10"])) == [b]
    assert ids(compare.filter_rows(rows, pinned_only=True)) == [a]
    assert ids(compare.filter_rows(rows, statuses=["failed"])) == []
    assert ids(compare.filter_rows(rows)) == sorted([a, b])


def test_curve_points_put_batches_between_epochs(store):
    run_id = store.create_run(MNIST_CNN, "mnist", TrainSettings())
    store.beat(run_id, None, [(1, 1, "batch", 2.0, 0.1, None, None, 0.1),
                              (1, 2, "batch", 1.5, 0.3, None, None, 0.2),
                              (1, None, "epoch", 1.5, 0.3, 1.4, 0.35, 0.3),
                              (2, 1, "batch", 1.0, 0.5, None, None, 0.4),
                              (2, 2, "batch", float("nan"), 0.6, None, None, 0.5)])
    metrics = store.metrics(run_id)
    epoch = compare.curve_points(metrics, "epoch")
    assert {(p.metric, p.split, p.value) for p in epoch} == {
        ("loss", "train", 1.5), ("accuracy", "train", 0.3),
        ("loss", "validation", 1.4), ("accuracy", "validation", 0.35)}
    batch = compare.curve_points(metrics, "batch")
    losses = [(p.x, p.value) for p in batch if p.metric == "loss"]
    # each batch's own loss (batch 2 of epoch 1: 2 × 1.5 − 2.0), not Keras's running mean;
    # the NaN loss is left out
    assert losses == [(0.5, 2.0), (1.0, 1.0), (1.5, 1.0)]
    assert all(p.split == "train" for p in batch)


def test_settings_diff_marks_what_differs(store):
    a = finished_run(store, MNIST_CNN, "mnist", 0.98, settings=TrainSettings(epochs=3))
    b = finished_run(store, compare.adapt(MNIST_CNN, "cifar10").architecture, "cifar10", 0.6,
                     settings=TrainSettings(epochs=3, learning_rate=0.01))
    diff = {d.name: d for d in compare.settings_diff([store.run(a), store.run(b)])}
    assert {name for name, d in diff.items() if d.differs} == {"dataset", "input_shape",
                                                              "learning_rate"}
    assert diff["input_shape"].values == ("28×28×1", "32×32×3")
    assert diff["learning_rate"].values == (0.001, 0.01)


def test_architecture_diff_of_the_seed_models():
    changes = compare.architecture_diff(MNIST_CNN, CIFAR_CNN)
    kinds = [(c.kind, c.type) for c in changes]
    assert kinds.count(("same", "Conv2D")) == 2 and kinds.count(("same", "MaxPooling2D")) == 2
    added = [c for c in changes if c.kind == "added"]
    assert sorted(c.type for c in added) == ["Conv2D", "MaxPooling2D"]
    assert not [c for c in changes if c.kind == "removed"]
    changed = [c for c in changes if c.kind == "changed"]
    assert [(c.type, c.params) for c in changed] == [("Dense", {"units": (128, 256)})]
    assert all(c.before is not None and c.after is not None for c in changed)


def test_architecture_diff_reports_removed_and_nested_changes():
    conv = Layer.make("Conv2D", filters=8, padding="same")
    a = Architecture((8, 8, 1), (Layer.make("Residual", [conv, conv]), Layer.make("Flatten"),
                                 Layer.make("Dropout", rate=0.2), Layer.make("Dense", units=10)))
    b = Architecture((8, 8, 1), (Layer.make("Residual", [conv, conv.with_params(filters=16)]),
                                 Layer.make("Flatten"), Layer.make("Dense", units=10)))
    changes = compare.architecture_diff(a, b)
    assert [(c.kind, c.type) for c in changes if c.kind != "same"] == [
        ("changed", "Conv2D"), ("removed", "Dropout")]
    nested = next(c for c in changes if c.kind == "changed")
    assert nested.before == (0, 0, 1) and nested.params == {"filters": (8, 16)}
    assert compare.architecture_diff(a, a) == [c for c in compare.architecture_diff(a, a)
                                               if c.kind == "same"]


def test_pareto_front_keeps_runs_no_other_beats():
    #          cheap+bad   dear+good   dominated    ties the first
    points = [(10, 0.70), (100, 0.99), (50, 0.60), (10, 0.70), (100, 0.80)]
    assert compare.pareto_front(points) == [True, True, False, True, False]
    assert compare.pareto_front([]) == []


def test_tradeoff_uses_evaluated_runs_and_the_chosen_cost(store):
    small = replace(MNIST_CNN, layers=MNIST_CNN.layers[:4] + MNIST_CNN.layers[5:])
    cheap = finished_run(store, small, "mnist", 0.95, seconds=50)
    best = finished_run(store, MNIST_CNN, "mnist", 0.99, seconds=200)
    worse = finished_run(store, MNIST_CNN, "mnist", 0.90, seconds=20)
    store.create_run(MNIST_CNN, "mnist", TrainSettings())  # queued: not on the chart
    rows = [compare.run_row(r) for r in store.runs()]
    by_params = {p.row.id: p.best for p in compare.tradeoff(rows, "params")}
    assert by_params == {cheap: analyse(small).total_params < analyse(MNIST_CNN).total_params,
                         best: True, worse: False}
    by_time = {p.row.id: (p.cost, p.best) for p in compare.tradeoff(rows, "seconds")}
    assert by_time == {cheap: (50, True), best: (200, True), worse: (20, True)}
    with pytest.raises(LabError):
        compare.tradeoff(rows, "colour")


def test_adapt_mnist_cnn_to_cifar10_changes_shapes_and_params():
    adaptation = compare.adapt(MNIST_CNN, "cifar10")
    assert adaptation.architecture.input_shape == (32, 32, 3)
    assert adaptation.architecture.layers == MNIST_CNN.layers
    changes = {c.address: c for c in adaptation.changes()}
    first = changes[(0,)]
    assert (first.output_before, first.output_after) == ((26, 26, 32), (30, 30, 32))
    assert (first.params_before, first.params_after) == (3 * 3 * 1 * 32 + 32, 3 * 3 * 3 * 32 + 32)
    flatten = changes[(4,)]
    assert (flatten.output_before, flatten.output_after) == ((1600,), (2304,))
    biggest = adaptation.biggest_change()
    assert (biggest.type, biggest.input_before, biggest.input_after) == ("Dense", (1600,), (2304,))
    assert biggest.params_change == (2304 - 1600) * 128
    assert adaptation.params_change == adaptation.after.total_params - 225_034
    assert adaptation.params_change == (2 * 9 * 32) + (2304 - 1600) * 128
    same = compare.adapt(MNIST_CNN, "mnist")
    assert adaptation.ok and same.params_change == 0 and same.biggest_change() is None


def test_adapt_reports_a_model_too_deep_for_small_images():
    adaptation = compare.adapt(CIFAR_CNN, "digits")  # 8×8: three 3×3 convs do not fit
    assert not adaptation.ok
    with pytest.raises(LabError) as caught:
        compare.adapt(CIFAR_CNN, "imagenet")
    assert caught.value.code == "compare_dataset"


def test_queue_pair_queues_both_datasets_with_the_same_settings(store):
    settings = TrainSettings(epochs=2, limit=100)
    ids = compare.queue_pair(store, MNIST_CNN, settings)
    runs = [store.run(i) for i in ids]
    assert [(r.dataset, r.architecture.input_shape, r.status) for r in runs] == [
        ("mnist", (28, 28, 1), "queued"), ("cifar10", (32, 32, 3), "queued")]
    assert all(r.settings == settings for r in runs)
    labels = compare.run_labels(runs)
    assert labels[ids[0]] == f"#{ids[0]} mnist-cnn · MNIST digits · 2 ep · 100 img"
    assert labels[ids[1]] == f"#{ids[1]} mnist-cnn · CIFAR-10 · 2 ep · 100 img"


def test_queue_pair_queues_nothing_when_one_dataset_does_not_fit(store):
    with pytest.raises(LabError) as caught:
        compare.queue_pair(store, CIFAR_CNN, TrainSettings(), ("cifar10", "digits"))
    assert caught.value.code == "compare_unfit" and "Digits 8×8 (offline)" in caught.value.text("en")
    assert store.runs() == []
