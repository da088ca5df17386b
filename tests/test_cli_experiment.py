"""``python -m builder experiment``: refusals, show, and a real run on tiny data."""
from __future__ import annotations

import json

import pytest

from builder import cli
from builder import experiments as ex
from builder.access import SOLO
from builder.settings import TrainSettings
from tests import tiny


@pytest.fixture
def files(tmp_path):
    arch = tmp_path / "tiny.json"
    arch.write_text(tiny.model().to_json())
    return str(arch), str(tiny.write_npz(tmp_path / "tiny.npz"))


@pytest.mark.parametrize("vary, message", [
    ("1.kernel_size=3,9", "with 1.kernel_size = 9×9 the model cannot train: layer 1 (Conv2D): "
                          "a 9×9 window does not fit a 8×8 map"),
    ("4.filters=2", "4.filters: there is no such layer (the model has 3 layers)"),
    ("1.filters=two", "1.filters: filters must be an integer between 1 and 4096, got 'two'"),
    ("momentum=0.9", "unknown knob momentum"),
    ("1.filters", "use: experiment ARCH --vary KNOB=V1,V2"),
])
def test_bad_knobs_and_values_exit_2_and_queue_nothing(store, files, capsys, vary, message):
    arch, data = files
    assert cli.main(["experiment", arch, "--vary", vary, "--dataset", data, "--lang", "en"]) == 2
    assert message in capsys.readouterr().err
    assert store.runs() == [] and store.experiments() == []


def test_too_many_runs_exit_2(store, files, capsys):
    arch, data = files
    values = ",".join(str(n) for n in range(1, 12))
    assert cli.main(["experiment", arch, "--vary", f"1.filters={values}", "--seeds", "5",
                     "--dataset", data, "--lang", "en"]) == 2
    assert "55 runs (11 values × 5 seeds) is more than 50" in capsys.readouterr().err
    assert store.runs() == []


def test_show_prints_the_effect_of_a_stored_experiment(store, executor, files, capsys):
    arch, data = files
    plan = ex.Plan.make(tiny.model(), data, TrainSettings(epochs=1), "1.filters", [2, 4], 2)
    experiment = ex.start_experiment(store, executor, plan, actor=SOLO)
    for run, accuracy in zip(sorted(store.runs(experiment=experiment), key=lambda r: r.id),
                             (0.5, 0.7, 0.9, 0.95)):
        store.finish(run.id, "completed", {"test_accuracy": accuracy})
    assert cli.main(["experiment", "show", str(experiment), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["experiment"] == experiment and doc["knob"] == "1.filters" and doc["seeds"] == 2
    assert [v["value"] for v in doc["variants"]] == [2, 4]
    assert [v["params"] for v in doc["variants"]] == [239, 475]
    second = doc["variants"][1]["test_accuracy"]
    assert (second["mean"], second["min"], second["max"]) == (pytest.approx(0.925), 0.9, 0.95)
    assert doc["best"] == 4 and doc["reading"].startswith("4 instead of 2 filters: +236 parameters")
    assert cli.main(["experiment", "show", str(experiment), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "4 (best, knee)" in text and "92.50 % (90.00 %–95.00 %)" in text
    assert cli.main(["experiment", "list"]) == 0
    assert "4/4" in capsys.readouterr().out


@pytest.mark.slow
def test_experiment_trains_every_variant_through_the_executor(store, files, capsys):
    arch, data = files
    code = cli.main(["experiment", arch, "--vary", "1.filters=2,4", "--dataset", data,
                     "--epochs", "1", "--batch-size", "32", "--json", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(captured.out)
    assert [v["value"] for v in doc["variants"]] == [2, 4]
    runs = [store.run(v["runs"][0]) for v in doc["variants"]]
    assert [r.status for r in runs] == ["completed", "completed"]
    assert all(r.experiment == doc["experiment"] for r in runs)
    for variant in doc["variants"]:
        accuracy = variant["test_accuracy"]
        assert 0 <= accuracy["min"] == accuracy["mean"] == accuracy["max"] <= 1
    assert "1.filters = 4: 475 parameters" in captured.err
    assert "completed, epoch 1/1" in captured.err
