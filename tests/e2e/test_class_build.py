"""A student's lesson on the Build page, in a real browser: a teacher and two students in
three separate contexts.

The teacher sets a challenge (MNIST, 2 epochs, a 50,000-parameter budget, four layer
types). Ana's model is kept on the server: it survives a new tab and the bare class link,
and Ben never gets it. Build shows the challenge and lists every rule a model breaks;
the templates offered keep to the palette and to the challenge's dataset; Undo brings the
dataset back; Continue's default is accepted under the 2-epoch challenge.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from builder.architecture import Architecture, Layer
from builder.compare import adapt
from builder.templates import TEMPLATES
from components import share
from tests.e2e.conftest import choose
from tests.e2e.conftest import options as select_options
from tests.e2e.timing import scaled
from tests.e2e.test_classroom import KEY, TRAINER_MS, Person, class_server_env, join  # noqa: F401

pytestmark = pytest.mark.e2e
SMALL = Architecture((28, 28, 1), (Layer.make("Flatten"),
                                   Layer.make("Dense", units=10, activation="softmax")), "small")


def pick(person: Person, key: str, option: str) -> None:
    choose(person.page, key, option, person.idle)


def options(person: Person, key: str) -> list[str]:
    return select_options(person.page, key, person.idle)


def total(person: Person):
    """The Total params metric (the first: a rerun may briefly show the old one too)."""
    return person.page.get_by_test_id("stMetric").filter(has_text="Total params").first


def dataset(person: Person):
    return person.page.locator(".st-key-dataset_choice").get_by_role("combobox")


def rules(person: Person):
    return person.page.get_by_test_id("stAlert").filter(has_text="Challenge rule")


def set_challenge(teacher: Person) -> None:
    teacher.open()
    teacher.page.get_by_text("I am the teacher").click()
    teacher.page.get_by_label("Teacher key").fill(KEY)
    teacher.click("Enter as teacher")
    teacher.page.get_by_text("You are the teacher").wait_for()
    teacher.wait_cookie("layerlab_teacher")
    teacher.open("teacher")
    teacher.page.get_by_role("tab", name="Challenge").click()
    form = teacher.page.locator("[data-testid='stForm']").filter(has_text="Set the challenge")
    form.get_by_label("Dataset").click()
    teacher.page.get_by_role("option", name="MNIST digits", exact=True).click()
    teacher.page.get_by_label("Most epochs").fill("2")
    teacher.page.get_by_label("Most training images").fill("100")
    teacher.page.get_by_label("Parameter budget").fill("50000")
    teacher.page.get_by_label("What to do (shown to the class)").fill("Digits under 50k")
    for kind in ("Conv2D", "MaxPooling2D", "Flatten", "Dense"):
        # typed first, so the list holds only matches: a pick moves the options below it up,
        # and under load a click into the moving list chose nothing (a challenge without Dense)
        form.get_by_label("Allowed layer types").fill(kind)
        teacher.page.get_by_role("option", name=kind, exact=True).click()
        form.get_by_test_id("stMultiSelect").locator(f"[data-tag][aria-label='{kind}']").first.wait_for()
    teacher.page.keyboard.press("Escape")
    teacher.click("Set the challenge")


def test_a_students_build_page_keeps_to_the_challenge(browser, server):
    teacher, ana, ben = (Person(browser, server) for _ in range(3))
    try:
        set_challenge(teacher)
        join(ana, "Ana")
        join(ben, "Ben")
        build_with_rules(ana)
        work_is_kept(ana, ben)
        continue_is_accepted(ana)
    finally:
        for person in (teacher, ana, ben):
            person.context.close()


def build_with_rules(ana: Person) -> None:
    resnet = adapt(TEMPLATES["resnet-small"].architecture, "mnist").architecture
    ana.open(f"?a={share.encode(resnet)}&d=mnist")      # a friend's link: forbidden layers
    ana.page.get_by_text("Digits under 50k").wait_for()
    expect(ana.page.get_by_text("Parameter budget: 257,402 over the budget of 50,000")).to_be_visible()
    expect(rules(ana)).to_have_count(2)                   # the palette AND the budget, at once
    expect(rules(ana).filter(has_text="Residual")).to_have_count(1)
    expect(rules(ana).filter(has_text="50,000")).to_have_count(1)
    expect(ana.page.get_by_text("No problems")).to_have_count(0)

    offered = options(ana, "template_choice")            # the palette decides
    assert "Seed CIFAR-10 CNN" in offered and "Small ResNet" not in offered
    pick(ana, "template_choice", "Seed CIFAR-10 CNN")    # made for CIFAR-10: adapted, not switched
    expect(total(ana)).to_contain_text("128,266", timeout=scaled(30_000))
    expect(dataset(ana)).to_have_value("MNIST digits")

    pick(ana, "dataset_choice", "CIFAR-10")
    expect(dataset(ana)).to_have_value("CIFAR-10")
    expect(rules(ana).filter(has_text="MNIST")).to_have_count(1)
    ana.click("Undo")                                     # the dataset is part of the history
    expect(dataset(ana)).to_have_value("MNIST digits")
    expect(total(ana)).to_contain_text("128,266", timeout=scaled(30_000))


def work_is_kept(ana: Person, ben: Person) -> None:
    tab = ana.context.new_page()                          # a new tab on the bare class link
    tab.goto(ana.server)
    tab.wait_for_selector("[data-testid='stSidebar']")
    tab.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    expect(tab.get_by_test_id("stMetric").filter(has_text="Total params").first).to_contain_text(
        "128,266", timeout=scaled(60_000))
    tab.close()
    ana.open("train")                                     # another page, no model in its URL
    ana.open()
    expect(total(ana)).to_contain_text("128,266", timeout=scaled(60_000))
    assert not [u for u in ana.urls if "a=" in u.split("?", 1)[-1] and "128" in u]
    ben.open()                                            # Ben's own model, not Ana's
    expect(total(ben)).to_contain_text("225,034", timeout=scaled(60_000))                # the seed: his own


def continue_is_accepted(ana: Person) -> None:
    ana.open(f"?a={share.encode(SMALL)}&d=mnist")
    expect(rules(ana)).to_have_count(0)
    ana.open("train")
    ana.number("train_epochs", 1)
    ana.page.locator(".st-key-train_start button").click()
    ana.page.get_by_text("Status: completed").wait_for(timeout=TRAINER_MS)
    more = ana.page.locator("[class*='st-key-train_more'] input")
    expect(more).to_have_value("1")                       # the rest the challenge allows
    ana.page.locator(".st-key-train_continue button").click()
    ana.idle()
    expect(ana.page.locator("[data-testid='stToast']")).to_have_count(0)
    ana.page.get_by_text(re.compile("Status: (queued|running)")).first.wait_for()
