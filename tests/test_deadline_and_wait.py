"""Extending the challenge's deadline alone, and forecasts that count the queue ahead."""
from __future__ import annotations

from dataclasses import replace

import pytest

from builder import experiments as ex
from builder import forecast, templates
from builder.access import Actor
from builder.classroom import TEACHER_ACTOR
from builder.classroom.challenge import Challenge, current, set_challenge
from builder.classroom.deadline import extend_deadline
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings

MNIST = templates.get("mnist-cnn").architecture
SETTINGS = TrainSettings(epochs=2, limit=1000)
CAL = forecast.Calibration(macs_per_second=2e9, seconds_per_batch=0.004,
                           baseline_bytes=700_000_000, startup_seconds=20.0)


def code(call, *args, **kwargs) -> str:
    with pytest.raises(LabError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_the_deadline_moves_alone_and_a_passed_one_counts_from_now(store):
    set_challenge(store, Challenge(max_epochs=3, text="digits", deadline=1_000.0),
                  actor=TEACHER_ACTOR)
    assert extend_deadline(store, 10, actor=TEACHER_ACTOR, now=500.0) == 1_600.0
    assert current(store) == Challenge(max_epochs=3, text="digits", deadline=1_600.0)
    assert extend_deadline(store, 5, actor=TEACHER_ACTOR, now=2_000.0) == 2_300.0  # ended
    assert code(extend_deadline, store, 5, actor=Actor("ana"), now=0.0) == "teacher_only"
    for bad in (0, -5, 24 * 60 + 1, 2.5, True):
        assert code(extend_deadline, store, bad, actor=TEACHER_ACTOR) == "bad_challenge"
    assert current(store).deadline == 2_300.0


def test_no_deadline_to_extend(store):
    assert code(extend_deadline, store, 5, actor=TEACHER_ACTOR) == "no_deadline"
    set_challenge(store, Challenge(max_epochs=3), actor=TEACHER_ACTOR)
    assert code(extend_deadline, store, 5, actor=TEACHER_ACTOR) == "no_deadline"


def test_the_wait_counts_queued_runs_whole_and_what_is_left_of_running_ones(store):
    whole = forecast.estimate(MNIST, DATASETS["mnist"].train_images, SETTINGS, CAL)
    queued = store.create_run(MNIST, "mnist", SETTINGS)
    running = store.create_run(MNIST, "mnist", SETTINGS)
    store.claim(10, None, running)
    store.record_epochs(running, 1, 5.0)
    done = store.create_run(MNIST, "mnist", SETTINGS)
    store.claim(10, None, done)
    store.finish(done, "completed")
    wait = forecast.queue_wait(store.runs(), CAL)
    assert wait.runs == 2
    assert wait.seconds == pytest.approx(whole.seconds_total + whole.seconds_per_epoch)
    assert forecast.remaining(store.run(queued), CAL) == pytest.approx(whole.seconds_total)


def test_an_experiments_forecast_starts_after_the_queue_ahead():
    found = ex.variants(MNIST, "mnist", SETTINGS, "1.filters", [8, 16])
    alone = ex.forecast(found, CAL)
    behind = ex.forecast(found, CAL, forecast.Wait(3, 90.0))
    assert alone.seconds == behind.seconds and len(behind.each) == behind.runs
    assert behind.seconds_with(1) == pytest.approx(alone.seconds + 90.0)
    assert behind.seconds_with(2) == pytest.approx(max((alone.seconds + 90.0) / 2,
                                                       max(behind.each)))
    assert forecast.from_click([30.0], forecast.Wait(0, 0.0), 4) == 30.0  # never below a run
    assert replace(behind, wait=forecast.Wait(0, 0.0)).seconds_with(1) == pytest.approx(
        alone.seconds)
