"""Class mode in a real browser: a teacher and two students in three separate contexts.

The teacher logs in with the key and sets a challenge; Ana and Ben join by name. Ben
cannot stop, rename or delete Ana's run through the UI, the challenge caps Ben's Train
settings, the leaderboard shows both students' runs, and Reveal shows the final ranking.
No page URL ever holds the key or anyone's token. The trainer trains a tiny generated
MNIST; the teacher's own long run keeps Ana's queued while Ben tries to change it.
"""
from __future__ import annotations

import os
import re
from typing import Iterator

import pytest

from tests.tiny import dataset_dir
from tests.e2e.timing import scaled

pytestmark = pytest.mark.e2e
KEY = "correct horse battery staple"
TRAINER_MS = scaled(240_000)  # two cold TensorFlow starts and runs on a busy 2-core machine
RUN_ID = re.compile(r"[?&]run=(\d+)")


@pytest.fixture(scope="module", autouse=True)
def class_server_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tiny MNIST and the teacher key, set before the module's server starts."""
    os.environ["LAYERLAB_TEACHER_KEY"] = KEY
    try:
        yield from dataset_dir(tmp_path_factory, mnist=(300, 40))
    finally:
        os.environ.pop("LAYERLAB_TEACHER_KEY", None)


class Person:
    """One browser context: its page, and every URL it has shown."""

    def __init__(self, browser, server: str) -> None:
        self.context = browser.new_context(locale="en-US", viewport={"width": 1500, "height": 1000})
        self.context.set_default_timeout(scaled(90_000))
        self.context.set_default_navigation_timeout(scaled(180_000))
        self.page = self.context.new_page()
        self.server, self.urls = server, []
        self.page.on("framenavigated", lambda frame: self.urls.append(frame.url))

    def open(self, path: str = "", idle: bool = True) -> None:
        """Load a page; ``idle=False`` for a page whose live view reruns all the time."""
        self.page.goto(f"{self.server}/{path}")
        self.page.wait_for_selector("[data-testid='stSidebar']")
        if idle:
            self.idle()

    def idle(self) -> None:
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.idle()

    def number(self, key: str, value: int) -> None:
        field = self.page.locator(f".st-key-{key} input")
        field.fill(str(value))
        field.press("Enter")
        self.idle()

    def toast(self, text: str) -> None:
        self.page.locator("[data-testid='stToast']").filter(has_text=text).first.wait_for()

    def wait_cookie(self, name: str) -> None:
        """Until the identity cookie is written (the tiny component runs after the rerun)."""
        self.page.wait_for_function(f"document.cookie.includes('{name}=')", timeout=scaled(120_000))

    def secrets(self) -> list[str]:
        return [c["value"] for c in self.context.cookies() if c["name"].startswith("layerlab_")]


def join(person: Person, name: str) -> None:
    person.open()
    person.page.get_by_label("Your name").fill(name)
    person.click("Join")
    person.page.get_by_text(f"You are {name}").wait_for()
    person.wait_cookie("layerlab_student")


def start(person: Person) -> int:
    person.page.locator(".st-key-train_start button").click()
    person.page.locator(".st-key-train_stop button").wait_for()
    person.idle()
    return int(RUN_ID.search(person.page.url).group(1))


def test_a_lesson_with_a_teacher_and_two_students(browser, server):
    teacher, ana, ben = (Person(browser, server) for _ in range(3))
    try:
        lesson(teacher, ana, ben)
    finally:
        for person in (teacher, ana, ben):
            person.context.close()


def lesson(teacher: Person, ana: Person, ben: Person) -> None:
    teacher.open()
    teacher.page.get_by_text("I am the teacher").click()
    teacher.page.get_by_label("Teacher key").fill("a guess")
    teacher.click("Enter as teacher")
    teacher.page.get_by_text("That teacher key is not right.").wait_for()
    teacher.page.get_by_label("Teacher key").fill(KEY)
    teacher.click("Enter as teacher")
    teacher.page.get_by_text("You are the teacher").wait_for()
    teacher.wait_cookie("layerlab_teacher")

    teacher.open("teacher")                       # a fresh page load: the cookie keeps the teacher
    teacher.page.get_by_role("tab", name="Challenge").click()
    teacher.page.get_by_label("Most epochs").fill("2")
    teacher.page.get_by_label("Most training images").fill("100")
    teacher.page.get_by_label("What to do (shown to the class)").fill("Best tiny digits model")
    teacher.click("Set the challenge")

    teacher.open("train")                         # the teacher's long run keeps the trainer busy
    teacher.number("train_epochs", 300)
    teacher.number("train_batch_size", 8)
    teacher_run = start(teacher)
    teacher.open("teacher")                       # a quiet page while the students work

    join(ana, "Ana")
    ana.open("train")
    ana.page.get_by_text("Best tiny digits model").wait_for()
    assert ana.page.locator(".st-key-train_epochs input").input_value() == "2"
    ana_run = start(ana)

    join(ben, "Ben")
    ben.open(f"train?run={ana_run}")              # Ana's waiting run, with its Stop button
    ben.page.locator(".st-key-train_stop button").click()
    ben.toast(f"only the owner of run {ana_run}")
    ben.open("compare")
    ben.page.get_by_text("Rename, note, pin, open, download or delete a run").click()
    ben.page.get_by_label("Name", exact=True).fill("Ben was here")
    ben.click("Save name and note")
    ben.toast(f"only the owner of run {ana_run}")
    ben.click("Delete run")
    ben.click("Yes, delete")
    ben.toast(f"only the owner of run {ana_run}")

    ben.open("train")
    ben.number("train_epochs", 50)                # the challenge caps it
    ben.page.locator(".st-key-train_epochs input").blur()
    ben.page.wait_for_function(
        "document.querySelector('.st-key-train_epochs input').value === '2'")
    assert ben.page.locator(".st-key-train_limit input").input_value() == "100"
    start(ben)

    teacher.open(f"train?run={teacher_run}", idle=False)   # the teacher may stop anything
    teacher.page.locator(".st-key-train_stop button:enabled").click()
    teacher.page.get_by_text("Status: stopped").wait_for(timeout=TRAINER_MS)

    teacher.open("leaderboard")
    teacher.page.get_by_text("Podium (projector)").click()
    teacher.idle()
    for name in ("Ana", "Ben"):                   # both finished runs are ranked
        teacher.page.get_by_text(re.compile(f"#[12] {name}")).wait_for(timeout=TRAINER_MS)
    teacher.click("Reveal the final ranking")
    teacher.page.get_by_text("Final ranking by accuracy on the hidden half").wait_for()
    ben.open("leaderboard")
    ben.page.get_by_text("Final ranking by accuracy on the hidden half").wait_for()
    assert ben.page.get_by_role("button", name="Hide the final ranking").count() == 0

    secrets = [KEY, *teacher.secrets(), *ana.secrets(), *ben.secrets()]
    assert len(secrets) == 4 and all(len(s) >= 40 for s in secrets[1:])
    for person in (teacher, ana, ben):
        assert person.urls and not [u for u in person.urls if any(s in u for s in secrets)]
        text = person.page.locator("body").inner_text()
        assert not any(s in text for s in secrets)
