"""Settings are checked against the dataset's size before any process starts: a batch to
learn from and an image to validate on, or a refusal that says which setting to change."""
from __future__ import annotations

import pytest

from builder.errors import LabError
from builder.settings import TrainSettings, check_data
from components.training import checks
from components.training.data import Choice
from tests import tiny
from tests.isolation import imported_after


def refusal(images: int, **settings) -> LabError:
    with pytest.raises(LabError) as caught:
        check_data(TrainSettings(**settings), images)
    assert caught.value.text("en") and caught.value.text("ko")
    return caught.value


@pytest.mark.parametrize("images, settings", [
    (60_000, {}), (40, {}), (40, {"validation_split": 0.0, "batch_size": 64}),
    (100, {"validation_split": 0.01}), (60_000, {"validation_split": 0.9, "limit": 1000}),
])
def test_settings_that_leave_a_batch_and_a_validation_image_pass(images, settings):
    check_data(TrainSettings(**settings), images)


def test_almost_everything_held_out_leaves_no_batch():
    error = refusal(60_000, validation_split=0.99999)
    assert error.code == "split_no_training" and error.args_["fit"] == 1
    assert "validation share" in str(error) and "0.99999" in str(error)
    assert refusal(18, validation_split=0.5, batch_size=16).code == "split_no_training"  # 9 < 10
    assert refusal(1000, validation_split=0.9, batch_size=256, limit=50).code == "split_no_training"


def test_a_split_too_small_for_one_image_leaves_nothing_to_validate():
    error = refusal(100, validation_split=0.001)
    assert error.code == "split_no_validation"


def test_the_train_page_refuses_with_the_registered_size_before_download():
    mnist = Choice("mnist", "MNIST", (28, 28, 1), tuple("0123456789"), None)
    bad = checks.fits_data(TrainSettings(validation_split=0.99999), mnist)
    assert isinstance(bad, LabError) and bad.code == "split_no_training"
    good = TrainSettings()
    assert checks.fits_data(good, mnist) is good


def test_the_cli_refuses_before_tensorflow_loads(tmp_path):
    data = tiny.write_npz(tmp_path / "tiny.npz", train=300, test=20)
    arch = tmp_path / "tiny.json"
    arch.write_text(tiny.model().to_json())
    store = tmp_path / "runs.sqlite"
    code = (f"from builder import cli\n"
            f"assert cli.main(['train', {str(arch)!r}, '--dataset', {str(data)!r}, "
            f"'--validation-split', '0.99999', '--lang', 'en']) == 2\n")
    assert imported_after(code, env={"LAYERLAB_STORE": str(store)}) == []
    from builder.store import Store
    assert not store.exists() or Store.open(store).runs() == []  # no run was recorded
