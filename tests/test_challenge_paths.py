"""Every way a run is created, continued or extended meets the class challenge.

The paths are found by reading the code (every public function of ``builder/`` that
calls the store's ``create_run``, ``create_runs`` or ``extend``, or a function that does,
found to a fixed point); each must have a driver below that asks, as a student, for more
epochs than the challenge allows, and each driver must be refused. A new path without a
driver fails the first test."""
from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest

from builder import compare, experiments as ex
from builder.access import Actor
from builder.architecture import Architecture, Layer
from builder.classroom import TEACHER_ACTOR
from builder.classroom.challenge import (Challenge, continue_run, set_challenge, submit_run,
                                         submit_runs)
from builder.cli import main as cli
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store

ROOT = Path(__file__).resolve().parents[1]
ROOTS = ("create_run", "create_runs", "extend")
ANA = Actor("Ana")
OVER = TrainSettings(epochs=5, limit=100)   # the challenge allows 2
WITHIN = TrainSettings(epochs=2, limit=100)


def _functions(folder: str) -> dict[tuple[str, str], ast.FunctionDef]:
    """(module, [Class.]name) -> its AST, for every function and method under ``folder``."""
    found = {}
    for path in (ROOT / folder).rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                found[(module, node.name)] = node
            elif isinstance(node, ast.ClassDef):
                found.update({(module, f"{node.name}.{f.name}"): f for f in node.body
                              if isinstance(f, ast.FunctionDef)})
    return found


def _calls(function: ast.FunctionDef) -> set[str]:
    """The names it calls; ``extend`` only on a store (``store.``/``self.``), not a list."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                names.add(f.id)
            elif isinstance(f, ast.Attribute) and (
                    f.attr != "extend" or isinstance(f.value, ast.Name) and f.value.id in ("store", "self")):
                names.add(f.attr)
    return names


def run_makers() -> set[str]:
    """Every public function of builder/ that creates or extends runs (to a fixed point)."""
    functions = _functions("builder")
    makers = {key for key in functions if key[1] in {f"Runs.{n}" for n in ROOTS}}
    names = set(ROOTS)
    while True:
        more = {key for key, fn in functions.items() if key not in makers and _calls(fn) & names}
        if not more:
            break
        makers |= more
        names |= {key[1].split(".")[-1] for key in more}
    return {f"{m}.{n}" for m, n in makers if not n.split(".")[-1].startswith("_")}


def model() -> Architecture:
    return Architecture((28, 28, 1), (Layer.make("Flatten"),
                                      Layer.make("Dense", units=10, activation="softmax")), "small")


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERLAB_STORE", str(tmp_path / "runs.sqlite"))
    store = Store.open(tmp_path / "runs.sqlite")
    set_challenge(store, Challenge(dataset="mnist", max_epochs=2), actor=TEACHER_ACTOR)
    return store


class _Executor:
    def submit(self, run_id: int) -> None:
        raise AssertionError(f"run {run_id} was handed to the executor")


def _ended_run(store: Store, experiment: int | None = None, epochs: int = 2) -> int:
    """Ana's run, trained to its ``epochs`` (the challenge's 2), with a saved model to go on from."""
    settings = TrainSettings(epochs=epochs, limit=100)
    run_id = store.create_run(model(), "mnist", settings, actor=ANA, experiment=experiment)
    store.claim(1, None, run_id)
    store.record_epochs(run_id, epochs, 1.0)
    store.finish(run_id, "completed")
    store.run_dir(run_id).mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(store.run_dir(run_id) / "last.keras", "w") as saved:
        saved.writestr("config.json", "{}")
    store.add_artifact(run_id, "last", store.run_dir(run_id) / "last.keras")
    return run_id


def _plan(settings: TrainSettings = OVER) -> ex.Plan:
    return ex.Plan.make(model(), "mnist", settings, "learning_rate", (0.001, 0.01), 1)


def _cli(store: Store, tmp_path: Path, *argv: str) -> None:
    """The CLI's refusal as a LabError (it prints the message and exits non-zero)."""
    arch = tmp_path / "model.json"
    arch.write_text(model().to_json())
    argv = [a.replace("ARCH", str(arch)) for a in argv]
    if cli(argv) == 0:
        raise AssertionError(f"CLI {argv} accepted an over-cap request")
    raise LabError("challenge_epochs", limit=2, got=5)


def _continue_experiment(store: Store, tmp_path: Path) -> None:
    experiment = store.create_experiment("lr", _plan(WITHIN).to_spec(), actor=ANA)
    _ended_run(store, experiment)
    ex.continue_experiment(store, _Executor(), experiment, 3, actor=ANA)


DRIVERS = {
    "builder.store.runs.Runs.create_run":
        lambda s, _: s.create_run(model(), "mnist", OVER, actor=ANA),
    "builder.store.runs.Runs.create_runs":
        lambda s, _: s.create_runs([(model(), "mnist", OVER, "")], actor=ANA),
    "builder.store.runs.Runs.extend": lambda s, _: s.extend(_ended_run(s), 3, actor=ANA),
    "builder.classroom.challenge.submit_run":
        lambda s, _: submit_run(s, ANA, model(), "mnist", OVER),
    "builder.classroom.challenge.submit_runs":
        lambda s, _: submit_runs(s, ANA, [(model(), "mnist", OVER, "")]),
    "builder.classroom.challenge.continue_run":
        lambda s, _: continue_run(s, ANA, _ended_run(s), 3),
    "builder.compare.queue_pair":
        lambda s, _: compare.queue_pair(s, model(), OVER, ("mnist",), actor=ANA),
    "builder.experiments.start_experiment":
        lambda s, _: ex.start_experiment(s, _Executor(), _plan(), actor=ANA),
    "builder.experiments.continue_experiment": _continue_experiment,
    "builder.cli.train.run_train":
        lambda s, tmp: _cli(s, tmp, "train", "ARCH", "--dataset", "mnist", "--epochs", "5",
                            "--limit", "100", "--owner", "Ana"),
    "builder.cli.train.run_continue":
        lambda s, tmp: _cli(s, tmp, "runs", "continue", str(_ended_run(s)), "--epochs", "3",
                            "--as", "Ana"),
    "builder.cli.experiment.run_experiment":
        lambda s, tmp: _cli(s, tmp, "experiment", "ARCH", "--vary", "learning_rate=0.001,0.01",
                            "--dataset", "mnist", "--epochs", "5", "--limit", "100", "--as", "Ana"),
}


def test_every_path_that_makes_or_extends_runs_has_a_driver():
    assert run_makers() == set(DRIVERS)


def test_pages_reach_runs_only_through_those_paths():
    """components/ and pages/ never call the store's create/extend themselves."""
    direct = {key for folder in ("components", "pages")
              for key, fn in _functions(folder).items() if _calls(fn) & set(ROOTS)}
    assert direct == set()


@pytest.mark.parametrize("path", sorted(DRIVERS))
def test_each_path_refuses_a_student_over_the_challenge(path, store, tmp_path, monkeypatch,
                                                        capsys):
    monkeypatch.setattr("builder.execution.factory.get_executor", lambda store: _Executor())
    with pytest.raises(LabError) as caught:
        DRIVERS[path](store, tmp_path)
    assert caught.value.code == "challenge_epochs", caught.value.text()
    if path.startswith("builder.cli"):
        assert "at most 2 epochs" in capsys.readouterr().err
    assert [r.id for r in store.runs() if r.settings.epochs > 2] == []


def test_the_teacher_is_not_bound(store):
    run_id = submit_run(store, TEACHER_ACTOR, model(), "mnist", OVER)
    assert store.run(run_id).settings.epochs == 5


def test_continue_after_the_deadline_is_refused(store):
    run_id = _ended_run(store)
    set_challenge(store, Challenge(dataset="mnist", max_epochs=5, deadline=1.0),
                  actor=TEACHER_ACTOR)
    with pytest.raises(LabError) as caught:
        store.extend(run_id, 1, actor=ANA)
    assert caught.value.code == "challenge_deadline"
    assert store.run(run_id).status == "completed"


def test_a_plan_only_grows(store):
    """Asking for fewer epochs than the rest of the plan keeps the plan (a Stop in epoch 1
    of 2, then "1 more", still trains both)."""
    run_id = _ended_run(store)
    store._update(run_id, status="stopped", epochs_done=0)
    store.extend(run_id, 1, actor=ANA)
    assert store.run(run_id).settings.epochs == 2


def test_continue_experiment_is_all_or_none(store):
    """One run over the cap: none of the experiment's runs goes on."""
    experiment = store.create_experiment("lr", _plan(WITHIN).to_spec(), actor=ANA)
    full = _ended_run(store, experiment)                  # already at the 2 epochs
    short = _ended_run(store, experiment, epochs=1)       # may go on to 2 (and goes first)
    with pytest.raises(LabError):
        ex.continue_experiment(store, _Executor(), experiment, 1, actor=ANA)
    assert {store.run(i).status for i in (short, full)} == {"completed"}
