"""The Build page in class mode (Streamlit AppTest): the challenge where students build,
every broken rule in Problems, the templates offered, the dataset kept, undo of the
dataset, and each student's model kept on the server."""
from __future__ import annotations

import pytest

from builder.classroom import TEACHER_ACTOR, keys
from builder.classroom.challenge import Challenge, set_challenge
from builder.compare import adapt
from builder.templates import TEMPLATES
from tests.test_class_pages import KEY, app, as_student

CHALLENGE = Challenge(dataset="mnist", max_epochs=2, max_params=50_000, text="Under 50k!",
                      layer_types=("Conv2D", "MaxPooling2D", "Flatten", "Dense"))


@pytest.fixture(autouse=True)
def class_mode(monkeypatch, store, executor):
    monkeypatch.setenv(keys.KEY_ENV, KEY)
    set_challenge(store, CHALLENGE, actor=TEACHER_ACTOR)


def rule_errors(at) -> list[str]:
    return [e.value for e in at.error if "Challenge rule" in e.value]


def test_build_lists_every_broken_rule_with_its_fix(store):
    resnet = adapt(TEMPLATES["resnet-small"].architecture, "mnist").architecture
    at = app(arch=resnet, dataset="mnist", **as_student(store, "Ana"))
    assert not at.exception
    errors = rule_errors(at)
    assert len(errors) == 2
    assert any("Residual" in e for e in errors) and any("50,000" in e for e in errors)
    assert "Under 50k!" in [i.value for i in at.info]
    assert not [s for s in at.success if "No problems" in s.value]
    fix = next(b for b in at.button if b.label.startswith("Remove the"))
    fix.click().run()
    assert not any("Residual" in e for e in rule_errors(at))
    assert all(layer.type != "Residual" for _, layer in at.session_state["arch"].walk())


def test_templates_keep_the_palette_and_the_challenges_dataset(store):
    at = app(**as_student(store, "Ana"))
    box = at.selectbox(key="template_choice")
    assert TEMPLATES["resnet-small"].title["en"] not in box.options
    assert TEMPLATES["cifar10-cnn"].title["en"] in box.options
    assert any("not offered" in c.value for c in at.caption)
    box.select("cifar10-cnn").run()
    assert at.session_state["dataset"] == "mnist"
    assert at.session_state["arch"].input_shape == (28, 28, 1)
    assert not [e for e in at.error if "32×32×3" in e.value]


def test_undo_restores_the_dataset(store):
    at = app(**as_student(store, "Ana"))
    at.selectbox(key="dataset_choice").select("cifar10").run()
    assert at.session_state["dataset"] == "cifar10"
    assert any("MNIST" in e for e in rule_errors(at))
    at.button(key="undo").click().run()
    assert at.session_state["dataset"] == "mnist"
    assert at.session_state["arch"].input_shape == (28, 28, 1)
    at.button(key="redo").click().run()
    assert at.session_state["dataset"] == "cifar10"


def test_a_students_model_comes_back_in_a_new_session_and_only_theirs(store):
    ana = as_student(store, "Ana")
    at = app(**ana)
    at.selectbox(key="template_choice").select("cifar10-cnn").run()
    params = at.session_state["arch"]
    again = app(**ana)                       # a new tab, the bare class link, a refresh
    assert again.session_state["arch"] == params and again.session_state["dataset"] == "mnist"
    ben = app(**as_student(store, "Ben"))
    assert ben.session_state["arch"] != params
    assert store.saved_model("Ana", actor=TEACHER_ACTOR).architecture == params


def test_my_models_save_open_delete(store):
    at = app(**as_student(store, "Ana"))
    at.session_state["build_tabs"] = "My models"
    at.run()
    at.text_input(key="my_model_name").input("first try").run()
    at.button(key="my_model_save").click().run()
    assert [d.name for d in store.saved_models("Ana", actor=TEACHER_ACTOR)] == ["first try"]
    at.selectbox(key="template_choice").select("cifar10-cnn").run()
    at.button(key="my_model_open").click().run()
    assert at.session_state["arch"] == TEMPLATES["mnist-cnn"].architecture
    at.button(key="my_model_delete").click().run()
    assert store.saved_models("Ana", actor=TEACHER_ACTOR) == []


def test_a_students_train_settings_come_back(store):
    ana = as_student(store, "Ana")
    at = app(**ana)
    at.switch_page("pages/train.py").run()
    at.number_input(key="train_batch_size").set_value(48).run()
    again = app(**ana)
    again.switch_page("pages/train.py").run()
    assert not again.exception
    assert again.number_input(key="train_batch_size").value == 48
    assert store.saved_model("Ana", actor=TEACHER_ACTOR).settings.batch_size == 48
