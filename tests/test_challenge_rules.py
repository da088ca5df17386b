"""The challenge's rules listed all at once, the Build page's helpers, and Continue's offer."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from builder.architecture import Architecture, Layer
from builder.classroom.challenge import (Challenge, RulesBroken, broken_rules, budget_left,
                                         check_run, continue_most, continue_offer, keeps_to,
                                         palette_breaks)
from builder.compare import adapt
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.templates import TEMPLATES

L = Layer.make
CHALLENGE = Challenge(dataset="mnist", max_epochs=2, max_params=50_000, limit=1000,
                      layer_types=("Conv2D", "MaxPooling2D", "Flatten", "Dense"))


def test_every_broken_rule_is_listed_at_once():
    resnet = TEMPLATES["resnet-small"]
    broken = broken_rules(CHALLENGE, resnet.architecture, resnet.dataset,
                          TrainSettings(epochs=5, limit=None))
    assert [e.code for e in broken] == ["challenge_dataset", "challenge_limit", "challenge_epochs",
                                        "challenge_layer", "challenge_params"]
    with pytest.raises(RulesBroken) as caught:
        check_run(CHALLENGE, resnet.architecture, resnet.dataset, TrainSettings(epochs=5))
    text = caught.value.text("en")
    assert "CIFAR-10" in text and "Residual" in text and "50,000" in text and "5)" in text
    assert "cifar10" not in caught.value.text("ko")   # display names, not ids


def test_build_judges_the_model_only_and_a_good_model_breaks_nothing():
    seed = TEMPLATES["mnist-cnn"].architecture
    assert [e.code for e in broken_rules(CHALLENGE, seed, "mnist")] == ["challenge_params"]
    small = Architecture((28, 28, 1), (L("Flatten"), L("Dense", units=10, activation="softmax")))
    assert broken_rules(CHALLENGE, small, "mnist") == []
    assert budget_left(CHALLENGE, small, "mnist") == 50_000 - 7_850
    assert budget_left(CHALLENGE, seed, "mnist") < 0 and budget_left(None, seed, "mnist") is None


def test_templates_that_break_the_palette_are_known():
    allowed = {n for n, tpl in TEMPLATES.items() if not palette_breaks(CHALLENGE, tpl.architecture)}
    assert allowed == {"mnist-cnn", "cifar10-cnn"}
    assert palette_breaks(CHALLENGE, TEMPLATES["resnet-small"].architecture) == [
        "Residual", "GlobalAveragePooling2D"]


def test_a_fix_never_leads_away_from_the_challenge():
    cifar = TEMPLATES["cifar10-cnn"].architecture
    mnist_input = adapt(cifar, "mnist").architecture
    assert not keeps_to(CHALLENGE, mnist_input, cifar, "mnist")      # back to 32×32×3: away
    assert keeps_to(CHALLENGE, cifar, mnist_input, "mnist")          # towards the challenge
    small = Architecture((28, 28, 1), (L("Flatten"), L("Dense", units=10, activation="softmax")))
    wide = Architecture((28, 28, 1), (L("Flatten"), L("Dense", units=100), L("Dense", units=10)))
    assert not keeps_to(CHALLENGE, small, wide, "mnist")             # breaks the budget anew
    assert keeps_to(None, small, cifar, "mnist")


@pytest.mark.parametrize("done, plan, cap, offer, most", [
    (0, 2, 2, 2, 2),       # stopped inside epoch 1 of 2: the rest of the plan, accepted
    (1, 2, 2, 1, 1),
    (2, 2, 2, 0, 0),       # the challenge's epochs are all done
    (2, 2, None, 1, 1000),  # a finished plan offers one more
    (3, 10, 5, 2, 2),      # the rest of the plan capped by the challenge
])
def test_continue_offers_the_rest_of_the_plan_within_the_challenge(done, plan, cap, offer, most):
    run = SimpleNamespace(epochs_done=done, settings=TrainSettings(epochs=plan))
    rules = Challenge(max_epochs=cap) if cap else None
    assert continue_offer(rules, run) == offer and continue_most(rules, run) == most


def test_several_rules_read_in_korean_too():
    error = RulesBroken([LabError("challenge_epochs", limit=2, got=5),
                         LabError("challenge_params", limit=10, got=20)])
    assert "2번" in error.text("ko") and "20개" in error.text("ko")
