"""``python -m builder train`` and ``runs`` on tiny data, in this process."""
from __future__ import annotations

import io
import json

import pytest

from builder import cli
from builder.cli.train import ProgressBar
from tests import tiny


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERLAB_STORE", str(tmp_path / "runs.sqlite"))
    arch = tmp_path / "tiny.json"
    arch.write_text(tiny.model().to_json())
    return tmp_path, str(arch), str(tiny.write_npz(tmp_path / "tiny.npz"))


@pytest.mark.slow
def test_train_json_then_list_show_and_export(workspace, capsys):
    import keras
    folder, arch, data = workspace
    code = cli.main(["train", arch, "--dataset", data, "--epochs", "2", "--batch-size", "32",
                     "--limit", "150", "--json", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["status"] == "completed" and [e["epoch"] for e in result["epochs"]] == [1, 2]
    assert 0 <= result["test_accuracy"] <= 1 and result["best_epoch"] in (1, 2)
    assert result["seconds"] > 0 and result["test_loss"] > 0
    assert "Epoch 2/2 · batch 5/5" in captured.err  # 150 images, 135 to fit, batch 32

    assert cli.main(["runs", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"], r["epochs"]) for r in listed] == [(result["run_id"], "completed", "2/2")]

    assert cli.main(["runs", "show", str(result["run_id"])]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["settings"]["limit"] == 150 and shown["results"]["train_images"] == 135

    target = folder / "model.keras"
    assert cli.main(["runs", "export", str(result["run_id"]), "-o", str(target)]) == 0
    assert keras.models.load_model(target, safe_mode=True).output_shape == (None, tiny.CLASSES)


def test_a_failed_run_exits_2_with_the_reason(workspace, capsys):
    _, arch, _ = workspace
    assert cli.main(["train", arch, "--dataset", "no/such.npz", "--json", "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert "no such file" in captured.err and json.loads(captured.out)["status"] == "failed"


def test_export_without_a_model_is_a_clear_error(workspace, capsys):
    assert cli.main(["runs", "export", "7", "-o", "x.keras", "--lang", "en"]) == 2
    assert "no run 7" in capsys.readouterr().err


def test_progress_bar_prints_a_line_per_epoch_when_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar("en", stream)
    progress = {"phase": "training", "epoch": 3, "epochs": 10, "batch": 15, "batches": 15}
    bar(progress, [(3, 15, "batch", 0.5, 0.8, None, None, 1.0)])
    assert stream.getvalue() == ""
    bar(progress, [(3, None, "epoch", 0.5, 0.8, 0.6, 0.75, 1.0)])
    assert stream.getvalue() == ("Epoch 3/10 · batch 15/15 · loss 0.5000 · accuracy 0.8000 · "
                                 "val_loss 0.6000 · val_accuracy 0.7500\n")


@pytest.mark.slow
def test_learning_rate_10_ends_diverged_naming_the_rate(workspace, capsys):
    from builder.store import Store
    _, arch, data = workspace
    code = cli.main(["train", arch, "--dataset", data, "--epochs", "3", "--batch-size", "32",
                     "--learning-rate", "10", "--json", "--lang", "en"])
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert code == 2 and result["status"] == "diverged", captured.err
    error = Store.open().run(result["run_id"]).error
    assert error["code"] == "diverged" and error["args"]["reason"] in ("nan", "exploded", "chance")
    assert error["args"]["rate"] == "10" and error["args"]["suggested"] == "1"
    assert "learning rate 10" in captured.err and "retry with 1" in captured.err
    assert "학습률 10" in error["text"]["ko"]


@pytest.mark.slow
def test_runs_continue_trains_the_rest_or_n_more_epochs(workspace, capsys):
    _, arch, data = workspace
    assert cli.main(["train", arch, "--dataset", data, "--epochs", "1", "--batch-size", "32",
                     "--json", "--lang", "en"]) == 0
    run_id = json.loads(capsys.readouterr().out)["run_id"]
    assert cli.main(["runs", "continue", str(run_id), "--lang", "en"]) == 2  # plan finished
    assert "cannot continue" in capsys.readouterr().err
    assert cli.main(["runs", "continue", str(run_id), "--epochs", "2", "--json", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["status"] == "completed" and [e["epoch"] for e in result["epochs"]] == [1, 2, 3]
    assert "Epoch 3/3" in captured.err
