"""Inside the model: what is recorded while training, the file, the CLI and bad inputs."""
from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from builder import cli, inference, inside, templates, trainer
from builder.analysis import analyse
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.classroom.halves import public_half
from builder.store import Store
from tests import tiny


# ---------------------------------------------------------------- pure parts

def test_probe_images_are_the_first_of_each_class_of_the_public_half_in_class_order():
    labels = np.array([2, 0, 2, 1, 0, 3, 1, 3] * 5)
    public = public_half(labels.size)
    first = [next(i for i in range(labels.size) if public[i] and labels[i] == c) for c in range(4)]
    assert inside.probe_indices(labels).tolist() == first
    assert inside.probe_indices(labels, limit=2).tolist() == first[:2]


def test_quantised_maps_come_back_within_one_step_of_their_range():
    maps = np.random.default_rng(0).normal(size=(2, 5, 5, 3)).astype("float32")
    maps[1, ..., 2] = 7.0  # a flat map keeps its value
    q, value_range = inside.quantise(maps)
    assert q.dtype == np.uint8 and value_range.shape == (2, 2, 3)
    for image in range(2):
        back = inside.dequantise(q[image], value_range[image])
        step = (value_range[image, 1] - value_range[image, 0]) / 255
        assert np.all(np.abs(back - maps[image]) <= step / 2 + 1e-5)
    assert np.allclose(inside.dequantise(q[1], value_range[1])[..., 2], 7.0)


def test_downsampling_averages_whole_blocks():
    maps = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    small = inside.downsample(maps, (2, 2))
    assert small[0, :, :, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]


def test_thinning_keeps_the_first_last_and_best_epochs():
    epochs = list(range(1, inside.MAX_EPOCHS + 2))
    kept = [epochs[i] for i in inside.thin(epochs, best=2)]
    assert len(kept) <= inside.MAX_EPOCHS and kept[0] == 1 and kept[-1] == epochs[-1]
    assert 2 in kept and kept == sorted(kept)
    assert inside.thin([1, 2, 3], best=None) == [0, 1, 2]


@pytest.mark.parametrize("name", list(templates.TEMPLATES))
def test_every_template_records_its_spatial_layers_as_the_analysis_shapes_them(name):
    arch = templates.get(name).architecture
    rows = {r.address: r for r in analyse(arch).rows}
    layers = inside.spots(arch)
    for spot in layers:
        assert spot.shape == rows[spot.address].output_shape and len(spot.shape) == 3
        assert spot.stored[0] <= inside.MAX_SIDE and spot.stored[2] <= inside.MAX_CHANNELS
    spatial = [r for r in rows.values() if r.output_shape and len(r.output_shape) == 3
               and r.type != "Dropout" and not r.type.startswith("Random")]
    assert [s.address for s in layers] == [r.address for r in spatial]
    per_epoch = inside.MAX_IMAGES * sum(math.prod(s.stored) for s in layers)
    assert per_epoch <= inside.EPOCH_BUDGET


def test_a_recording_survives_saving_and_loading(tmp_path):
    layer = inside.Spot((0,), "Conv2D", "edges", "conv2d_1", (6, 6, 4), (6, 6, 4))
    meta = {"layers": [layer.to_dict()], "class_names": ["a", "b"], "best_epoch": None}
    recording = inside.Recording(meta, {"images": np.zeros((2, 8, 8, 1), "uint8"),
                                        "labels": np.array([0, 1], "int16"),
                                        "indices": np.array([0, 3])})
    for epoch in (1, 2):
        q, value_range = inside.quantise(np.full((2, 6, 6, 4), epoch, "float32"))
        recording.add(epoch, {"map_0": q, "range_0": value_range,
                              "probs": np.full((2, 2), 0.5, "float32")}, best=epoch == 2)
    path = tmp_path / inside.FILE
    recording.save(path)
    shown = inside.read(path, 1)
    assert shown.epochs == [1, 2] and shown.best_epoch == 2 and shown.layers == [layer]
    assert np.allclose(shown.feature_maps(0, 1, 0), 2.0) and shown.bytes == path.stat().st_size
    again = inside.Recording.load(path)
    again.add(2, {**{k: v for k, v in again.epochs[1].items() if k != "epoch"}}, best=False)
    assert [int(e["epoch"]) for e in again.epochs] == [1, 2]


def test_missing_or_damaged_recordings_are_clear_errors(tmp_path):
    with pytest.raises(LabError) as missing:
        inside.read(None, 4)
    assert missing.value.code == "no_inside" and "run 4" in str(missing.value)
    broken = tmp_path / inside.FILE
    broken.write_bytes(b"not a zip")
    with pytest.raises(LabError) as damaged:
        inside.read(broken, 4)
    assert damaged.value.code == "inside_damaged"


# ---------------------------------------------------------------- with Keras

@pytest.mark.slow
@pytest.mark.parametrize("name", list(templates.TEMPLATES))
def test_recorded_outputs_of_every_template_have_the_analysis_shapes(name):
    from builder.keras_build import build_model
    arch = templates.get(name).architecture
    model = build_model(arch)
    layers = inside.spots(arch)
    probe = inside.prober(inside.outputs_of(model, layers), inside.last_conv(layers))
    x = np.random.default_rng(0).random((2, *arch.input_shape), dtype="float32")
    outputs, probs, cam = probe(x)
    assert [o.shape[1:] for o in outputs] == [s.shape for s in layers]
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    packed = inside.pack(layers, outputs)
    assert [packed[f"map_{i}"].shape[1:] for i in range(len(layers))] == [s.stored for s in layers]
    conv = inside.last_conv(layers)
    if conv is None:
        assert cam is None
    else:
        assert cam.shape == (2, *layers[conv].shape[:2]) and cam.dtype == np.uint8


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny finished run in a store that ``$LAYERLAB_STORE`` points at."""
    folder = tmp_path_factory.mktemp("inside")
    data = tiny.write_npz(folder / "tiny.npz")
    store = Store.open(folder / "runs.sqlite")
    run_id = store.create_run(tiny.model(), str(data), TrainSettings(epochs=2, batch_size=32))
    store.claim(100, os.getpid(), run_id)
    assert trainer.train(store, run_id) == "completed", store.run(run_id).error_text()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYERLAB_STORE", str(folder / "runs.sqlite"))
        yield store, run_id, data, folder


@pytest.mark.slow
def test_training_records_every_epoch_for_one_image_per_class(trained):
    store, run_id, data, _ = trained
    shown = inside.read(store.artifact(run_id, inside.KIND), run_id)
    test = np.load(data)
    assert shown.epochs == [1, 2] and shown.labels.tolist() == [0, 1, 2]
    assert np.array_equal(shown.images[..., 0], test["x_test"][inside.probe_indices(test["y_test"])])
    assert [s.shape for s in shown.layers] == [(6, 6, 4)]
    assert shown.maps[0].shape == (2, 3, 6, 6, 4) and shown.cam.shape == (2, 3, 6, 6)
    assert shown.kernels.shape == (2, 3, 3, 1, 4) and shown.best_epoch in (1, 2)
    assert np.allclose(shown.probabilities.sum(axis=2), 1, atol=1e-4)


@pytest.mark.slow
def test_runs_inside_json_lists_layers_epochs_images_and_bytes(trained, capsys):
    store, run_id, _, _ = trained
    assert cli.main(["runs", "inside", str(run_id), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(l["name"], l["output_shape"]) for l in doc["layers"]] == [("conv2d_1", "6×6×4")]
    assert doc["epochs"] == [1, 2] and len(doc["images"]) == 3
    assert doc["bytes"] == store.artifact(run_id, inside.KIND).stat().st_size


@pytest.mark.slow
def test_predict_json_gives_every_class_with_probabilities_summing_to_one(trained, capsys):
    from PIL import Image
    _, run_id, _, folder = trained
    picture = np.zeros((40, 40), "uint8")
    picture[10:14] = 255
    Image.fromarray(picture).save(folder / "band.png")
    assert cli.main(["predict", str(run_id), str(folder / "band.png"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(p["class"] for p in doc["predictions"]) == ["0", "1", "2"]
    assert sum(p["probability"] for p in doc["predictions"]) == pytest.approx(1)
    assert doc["steps"] == ["grey", "resize", "scale"]


@pytest.mark.slow
def test_the_worker_answers_like_the_cli_and_survives_a_bad_image(trained):
    store, run_id, _, _ = trained
    drawing = np.zeros((8, 8), "uint8")
    drawing[2:4] = 255
    phases = []
    try:
        here = inference.predict_here(store, run_id, drawing)
        there = inference.predict(store, run_id, drawing, progress=phases.append)
        with pytest.raises(LabError) as bad:
            inference.predict(store, run_id, b"GIF89a but not really")
        again = inference.predict(store, run_id, drawing)
    finally:
        inference.WORKER.close()
    assert np.allclose(here.probabilities, there.probabilities, atol=1e-5)
    assert phases[0] == "starting" and "predicting" in phases
    assert bad.value.code == "image_unreadable"
    assert np.allclose(again.probabilities, there.probabilities)
    assert there.maps[0].shape == (6, 6, 4) and there.cam.shape == (6, 6)


@pytest.mark.slow
@pytest.mark.parametrize("content, code", [
    (b"hello, not an image", "image_unreadable"),
    (b"\0" * (inference.MAX_BYTES + 1), "image_too_big"),
    ("tiny-png", "image_size"),
])
def test_bad_images_are_clear_errors(trained, content, code):
    import io

    from PIL import Image
    store, run_id, _, _ = trained
    if content == "tiny-png":
        buffer = io.BytesIO()
        Image.new("L", (2, 2)).save(buffer, format="PNG")
        content = buffer.getvalue()
    with pytest.raises(LabError) as error:
        inference.predict_here(store, run_id, content)
    assert error.value.code == code


@pytest.mark.slow
def test_a_drawing_with_the_wrong_channels_is_refused(trained):
    store, run_id, _, _ = trained
    with pytest.raises(LabError) as error:
        inference.predict_here(store, run_id, np.zeros((8, 8, 3), "uint8"))
    assert error.value.code == "image_channels" and "3" in str(error.value)


def test_a_run_without_recordings_or_model_is_a_clear_message_and_stays(store, tmp_path, capsys):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), status="completed")
    before = store.run(run_id)
    assert cli.main(["runs", "inside", str(run_id), "--lang", "en"]) == 2
    assert "no recordings" in capsys.readouterr().err
    image = tmp_path / "x.png"
    image.write_bytes(b"whatever")
    assert cli.main(["predict", str(run_id), str(image), "--lang", "en"]) == 2
    assert "has no tested model" in capsys.readouterr().err
    assert store.run(run_id) == before
