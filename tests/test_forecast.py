"""The cost forecast's arithmetic and its calibration cache (no TensorFlow here)."""
from __future__ import annotations

import json
from dataclasses import asdict, replace

import pytest

from builder import forecast, templates
from builder.analysis import analyse
from builder.settings import TrainSettings, split

ARCH = templates.get("mnist-cnn").architecture
CAL = forecast.Calibration(macs_per_second=1e9, seconds_per_batch=0.01, baseline_bytes=10**8,
                           startup_seconds=20.0, machine=forecast._machine())


def test_epoch_time_is_training_work_plus_validation_over_the_rate_plus_batches():
    settings = TrainSettings(batch_size=100, validation_split=0.1, epochs=4)
    result = forecast.estimate(ARCH, 1000, settings, CAL)
    macs = analyse(ARCH).flops
    assert result.seconds_per_epoch == pytest.approx((3 * macs * 900 + macs * 100) / 1e9 + 9 * 0.01)
    assert result.seconds_training == pytest.approx(4 * result.seconds_per_epoch)
    assert result.calibrated


def test_start_up_is_the_measured_start_plus_reading_the_images():
    small, large = (forecast.estimate(ARCH, n, TrainSettings(epochs=2), CAL) for n in (1000, 60_000))
    data_bytes = 1000 * 28 * 28 * 4
    assert small.seconds_startup == pytest.approx(20.0 + data_bytes / forecast.LOAD_BYTES_PER_SECOND)
    assert 20.0 < small.seconds_startup < large.seconds_startup
    assert small.seconds_total == pytest.approx(small.seconds_startup + small.seconds_training)
    assert forecast.estimate(ARCH, 1000, TrainSettings()).seconds_startup >= forecast.TYPICAL.startup_seconds


def test_the_split_applies_the_limit_then_the_validation_share():
    assert split(60_000, TrainSettings(limit=6_000, validation_split=0.1)) == (5_400, 600)
    assert split(1_000, TrainSettings(limit=None, validation_split=0.25)) == (750, 250)
    assert split(101, TrainSettings(limit=None, validation_split=0.1)) == (91, 10)


def test_the_limit_and_the_batch_size_move_the_forecast_the_right_way():
    base = forecast.estimate(ARCH, 60_000, TrainSettings(), CAL)
    limited = forecast.estimate(ARCH, 60_000, TrainSettings(limit=6_000), CAL)
    bigger_batch = forecast.estimate(ARCH, 60_000, TrainSettings(batch_size=512), CAL)
    assert limited.seconds_per_epoch < base.seconds_per_epoch / 5
    assert limited.peak_memory_bytes < base.peak_memory_bytes
    assert bigger_batch.peak_memory_bytes > base.peak_memory_bytes
    assert bigger_batch.seconds_per_epoch < base.seconds_per_epoch


def test_without_calibration_typical_numbers_are_used_and_flagged():
    result = forecast.estimate(ARCH, 1000, TrainSettings())
    assert not result.calibrated and result.peak_memory_bytes > forecast.TYPICAL.baseline_bytes


def test_the_cache_is_read_only_on_the_machine_that_measured_it(tmp_path):
    path = tmp_path / "calibration.json"
    assert forecast.cached_calibration(path) is None
    path.write_text(json.dumps(asdict(CAL)))
    assert forecast.cached_calibration(path) == CAL
    path.write_text(json.dumps(asdict(replace(CAL, machine="elsewhere"))))
    assert forecast.cached_calibration(path) is None
    path.write_text("{broken")
    assert forecast.cached_calibration(path) is None
    older = {k: v for k, v in asdict(CAL).items() if k != "startup_seconds"}  # measured before start-up was
    path.write_text(json.dumps(older))
    assert forecast.cached_calibration(path).startup_seconds == forecast.TYPICAL.startup_seconds


def test_the_start_up_becomes_the_median_that_trainers_measured(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(asdict(CAL)))
    reading = forecast.input_bytes(ARCH, 1000) / forecast.LOAD_BYTES_PER_SECOND
    for seconds in (30.0, 40.0, 35.0):  # the trainers' Start → first batch
        forecast.record_startup(seconds + reading, ARCH, 1000, tmp_path / forecast.STARTUPS_FILE)
    cal = forecast.cached_calibration(path)
    assert cal.startup_seconds == pytest.approx(35.0)
    assert forecast.estimate(ARCH, 1000, TrainSettings(), cal).seconds_startup == pytest.approx(35.0 + reading)
    for _ in range(forecast.KEPT_STARTUPS):
        forecast.record_startup(10.0 + reading, ARCH, 1000, tmp_path / forecast.STARTUPS_FILE)
    assert forecast.cached_calibration(path).startup_seconds == pytest.approx(10.0)  # the latest few
