"""Saved models (builder.store.drafts): each person's current model and "My models",
readable and writable only by their owner and the teacher."""
from __future__ import annotations

import inspect

import pytest

from builder.access import Actor
from builder.architecture import Architecture, Layer
from builder.classroom import TEACHER_ACTOR
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from builder.store.drafts import CURRENT, Drafts

ANA, BEN, NOBODY = Actor("Ana"), Actor("Ben"), Actor("")


def model(units: int = 10) -> Architecture:
    return Architecture((28, 28, 1), (Layer.make("Flatten"),
                                      Layer.make("Dense", units=units, activation="softmax")), "m")


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "runs.sqlite")


# One call per public method of Drafts, on Ana's work, as ``actor``.
CALLS = {
    "save_model": lambda s, a: s.save_model("Ana", model(99), "cifar10", name="stolen", actor=a),
    "saved_model": lambda s, a: s.saved_model("Ana", actor=a),
    "saved_models": lambda s, a: s.saved_models("Ana", actor=a),
    "delete_model": lambda s, a: s.delete_model("Ana", "mine", actor=a),
}


def test_every_function_is_covered():
    public = {name for name, _ in inspect.getmembers(Drafts, inspect.isfunction)
              if not name.startswith("_")}
    assert public == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("intruder", [BEN, NOBODY, Actor("ana")], ids=["Ben", "nobody", "case"])
def test_no_one_else_reads_or_writes_a_students_models(store, name, intruder):
    store.save_model("Ana", model(), "mnist", TrainSettings(epochs=2), actor=ANA)
    store.save_model("Ana", model(20), "mnist", name="mine", actor=ANA)
    with pytest.raises(LabError) as caught:
        CALLS[name](store, intruder)
    assert caught.value.code == "model_not_owner"
    assert [d.name for d in store.saved_models("Ana", actor=ANA)] == ["mine"]
    kept = store.saved_model("Ana", actor=ANA)
    assert kept.architecture == model() and kept.settings == TrainSettings(epochs=2)


def test_the_owner_keeps_opens_and_deletes_named_models(store):
    store.save_model("Ana", model(), "mnist", actor=ANA)
    store.save_model("Ana", model(16), "mnist", name=" small ", actor=ANA)
    store.save_model("Ana", model(32), "fashion_mnist", name="wide", actor=ANA)
    store.save_model("Ana", model(33), "fashion_mnist", name="wide", actor=ANA)  # replaces
    assert {d.name for d in store.saved_models("Ana", actor=ANA)} == {"small", "wide"}
    assert store.saved_model("Ana", "wide", actor=ANA).architecture == model(33)
    assert store.saved_model("Ana", CURRENT, actor=ANA).architecture == model()
    assert store.saved_models("Ben", actor=BEN) == [] and store.saved_model("Ben", actor=BEN) is None
    store.delete_model("Ana", "small", actor=ANA)
    with pytest.raises(LabError) as caught:
        store.delete_model("Ana", "small", actor=ANA)
    assert caught.value.code == "model_missing"
    with pytest.raises(LabError):
        store.delete_model("Ana", CURRENT, actor=ANA)   # the model being edited is not a named one
    store.delete_model("Ana", "wide", actor=TEACHER_ACTOR)  # the teacher may
    assert store.saved_models("Ana", actor=TEACHER_ACTOR) == []


@pytest.mark.parametrize("name", ["", "   ", "a\nimport os", "x" * 61, "a\u2028b", "a\x00"])
def test_a_bad_name_is_refused(store, name):
    with pytest.raises(LabError) as caught:
        store.save_model("Ana", model(), "mnist", name=name or " ", actor=ANA)
    assert caught.value.code == "model_name"
