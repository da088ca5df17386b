"""The "Inside the model" view in Streamlit's AppTest, on recordings written by hand (no
TensorFlow): the Train page shows them for the shown run, Compare for two runs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from builder import inside
from builder.settings import TrainSettings
from builder.store import Store
from components.inside import pad, render
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]


def recorded_run(store: Store, epochs: int = 3) -> int:
    """A finished tiny run with recordings of ``epochs`` epochs (best: epoch 2)."""
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(epochs=epochs), status="completed")
    layers = inside.spots(tiny.model())
    meta = {"layers": [s.to_dict() for s in layers], "class_names": ["a", "b", "c"],
            "cam_layer": 0, "kernel_layer": 0, "best_epoch": None}
    recording = inside.Recording(meta, {"images": np.zeros((3, 8, 8, 1), "uint8"),
                                        "labels": np.array([0, 1, 2], "int16"),
                                        "indices": np.array([0, 1, 2])})
    rng = np.random.default_rng(0)
    for epoch in range(1, epochs + 1):
        q, value_range = inside.quantise(rng.normal(size=(3, 6, 6, 4)).astype("float32"))
        recording.add(epoch, {"map_0": q, "range_0": value_range,
                              "probs": np.full((3, 3), 1 / 3, "float32"),
                              "cam": rng.integers(0, 255, (3, 6, 6), dtype=np.uint8),
                              "kernels": rng.normal(size=(3, 3, 1, 4)).astype("float32")},
                      best=epoch == 2)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    recording.save(folder / inside.FILE)
    store.add_artifact(run_id, inside.KIND, folder / inside.FILE)
    return run_id


def test_the_train_page_shows_the_layers_and_the_epoch_slider_moves(store, executor):
    run_id = recorded_run(store)
    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    at.query_params["run"] = str(run_id)
    at.run()
    assert not at.exception
    assert "Inside the model" in [s.value for s in at.subheader]
    slider = next(s for s in at.select_slider if s.key == f"inside_{run_id}_epoch")
    assert slider.value == 2  # the best epoch first
    slider.set_value(3).run()
    assert not at.exception and slider.value == 3
    assert any("layer 1 (Conv2D) → 6×6×4" in m.value for m in at.markdown)
    assert any("has no tested model" in c.value for c in at.caption)  # own input: no model


def test_a_run_without_recordings_says_so(store, executor):
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), status="completed")
    at = AppTest.from_file(str(ROOT / "pages" / "train.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    at.query_params["run"] = str(run_id)
    at.run()
    assert not at.exception
    assert any("no recordings" in i.value for i in at.info)


def test_compare_shows_two_runs_side_by_side(store, executor):
    first, second = recorded_run(store), recorded_run(store, epochs=2)
    at = AppTest.from_file(str(ROOT / "pages" / "compare.py"), default_timeout=30)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    picker = next(m for m in at.multiselect if m.key == "inside_compare_runs")
    picker.set_value([first, second]).run()
    assert not at.exception
    assert {s.key for s in at.select_slider} >= {f"inside_cmp_{first}_epoch", f"inside_cmp_{second}_epoch"}


def test_tiles_show_the_strongest_maps_on_one_range():
    maps = np.zeros((4, 4, 20), "float32")
    maps[..., 7] = 5.0
    maps[..., 3] = 1.0
    assert render.strongest(maps)[:2].tolist() == [7, 3] and len(render.strongest(maps)) == 16
    tiles = render.tiles(maps, np.array([7, 3, 0]), side=8)
    assert tiles[0].shape == (8, 8) and tiles[0].max() == 255 and tiles[2].max() == 0
    assert 0 < tiles[1].max() < 255
    shown = render.overlay(np.zeros((8, 8, 1), "uint8"), np.full((2, 2), 255, "uint8"), side=8)
    assert shown.shape == (8, 8, 3) and shown[..., 0].max() > shown[..., 2].max()


def test_the_pad_value_becomes_pixels_and_anything_else_nothing():
    value = {"pixels": [0, 255, 128, 300], "height": 2, "width": 2, "strokes": 1}
    assert pad.drawing(value, 2, 2).tolist() == [[0, 255], [128, 255]]
    assert pad.drawing(value, 28, 28) is None
    assert pad.drawing({"pixels": "x", "height": 2, "width": 2}, 2, 2) is None
    assert pad.drawing(None, 2, 2) is None
