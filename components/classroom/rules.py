"""The challenge in the app: the Build page's challenge box and its Problems entries, the
templates offered, the Train form's caps, the reason Start is off, the palette.

The rules themselves are checked in :mod:`builder.classroom.challenge` when a run is
created or extended; these hooks only make the widgets agree with them (both pages list
every broken rule through :func:`~builder.classroom.challenge.broken_rules`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from builder import edits
from builder.architecture import Architecture
from builder.classroom.challenge import (Challenge, broken_rules, budget_left, capped, current,
                                         keeps_to, palette_breaks)
from builder.compare import adapt
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.templates import TEMPLATES, Template
from builder.text import t
from components import identity, safe, services, state
from components.classroom.board import challenge_text

CAPPED_WIDGETS = {"train_epochs": "max_epochs", "train_limit": "limit"}


def challenge() -> Challenge | None:
    """The challenge that binds this person (None outside class mode and for the teacher)."""
    if not identity.class_mode() or identity.current_actor().teacher:
        return None
    try:
        return current(services.store())
    except LabError:
        return None


def cap_form(lang: str) -> None:
    """Before the Train form is drawn: the challenge in words, and epochs and image limit
    within it."""
    rules = challenge()
    if rules is None:
        return
    challenge_text(rules, lang)
    state.keep_settings(capped(rules, state.settings()))
    for key, field in CAPPED_WIDGETS.items():
        cap, value = getattr(rules, field), st.session_state.get(key)
        if cap is not None and (value is None or value > cap) and key in st.session_state:
            st.session_state[key] = cap


def reason(arch: Architecture, dataset: str, settings: TrainSettings,
           lang: str) -> tuple[str, dict] | None:
    """Why Start is off under the challenge (a text key and its values): every broken
    rule at once; None when it keeps them all."""
    broken = broken_rules(challenge(), arch, dataset, settings)
    if not broken:
        return None
    return "class.rule_broken", {"error": " · ".join(safe.escape(e.text(lang)) for e in broken)}


@dataclass(frozen=True)
class RuleProblem:
    """A broken challenge rule on Build, with its one-click fix (None: no single fix)."""

    error: LabError
    fix_text: str
    fix: Callable[[], None] | None


def problems(arch: Architecture, dataset: str, lang: str) -> list[RuleProblem]:
    """One entry per challenge rule the model breaks (its settings are judged on Train)."""
    rules = challenge()
    found = []
    for error in broken_rules(rules, arch, dataset):
        if error.code == "challenge_dataset":
            found.append(RuleProblem(error, t("build.fix_dataset", lang,
                                              dataset=DATASETS[rules.dataset].title[lang]),
                                     lambda: state.set_dataset(rules.dataset)))
        elif error.code == "challenge_layer":
            types = ", ".join(palette_breaks(rules, arch))
            found.append(RuleProblem(error, t("build.fix_layers", lang, types=types),
                                     lambda: state.commit(without_banned(rules, state.architecture()))))
        elif error.code == "challenge_params":
            found.append(RuleProblem(error, t("build.fix_params", lang), None))
        else:
            found.append(RuleProblem(error, "", None))
    return found


def without_banned(rules: Challenge, arch: Architecture) -> Architecture:
    """``arch`` without the layers the challenge does not allow (insides first)."""
    banned = sorted((a for a, layer in arch.walk() if not rules.allows(layer.type)), reverse=True)
    for address in banned:
        arch = edits.remove(arch, address)
    return arch


def fix_allowed(before: Architecture, after: Architecture, dataset: str) -> bool:
    """Whether a Problems fix stays with the challenge (never leads away from it)."""
    return keeps_to(challenge(), before, after, dataset)


def build_box(arch: Architecture, dataset: str, lang: str) -> None:
    """The challenge on Build: its text, the budget left as they edit, epochs, dataset."""
    rules = challenge()
    if rules is None:
        return
    with st.container(border=True, key="build-challenge"):
        st.markdown(f"**{t('build.challenge', lang)}**")
        if rules.text:
            st.info(safe.escape(rules.text), icon=":material/flag:")
        parts = []
        left = budget_left(rules, arch, dataset)
        if left is not None:
            words = (t("build.challenge_left", lang, left=left, limit=rules.max_params) if left >= 0
                     else t("build.challenge_over", lang, over=-left, limit=rules.max_params))
            parts.append(f"{t('build.challenge_budget', lang)}: "
                         + (f"**{words}**" if left >= 0 else f"**:red[{words}]**"))
        epochs = (t("build.challenge_epochs_value", lang, value=rules.max_epochs)
                  if rules.max_epochs is not None else t("build.challenge_any", lang))
        parts.append(f"{t('build.challenge_epochs', lang)}: **{epochs}**")
        data = (DATASETS[rules.dataset].title[lang] if rules.dataset
                else t("build.challenge_any", lang))
        parts.append(f"{t('build.challenge_dataset', lang)}: **{safe.escape(data)}**")
        st.markdown(" · ".join(parts))


def templates() -> tuple[list[str], dict[str, list[str]]]:
    """The templates offered, and those hidden with the layer types that hide them."""
    rules = challenge()
    hidden = {name: palette_breaks(rules, tpl.architecture) for name, tpl in TEMPLATES.items()}
    hidden = {name: types for name, types in hidden.items() if types}
    return [name for name in TEMPLATES if name not in hidden], hidden


def template_model(template: Template) -> tuple[Architecture, str]:
    """A template's model and dataset; under a challenge with a dataset, the challenge's
    dataset, the model's input adapted to it."""
    rules = challenge()
    if rules is None or rules.dataset is None or rules.dataset == template.dataset:
        return template.architecture, template.dataset
    return adapt(template.architecture, rules.dataset).architecture, rules.dataset


def palette(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The canvas palette's groups with only the challenge's layer types (groups left
    empty go); unchanged when no challenge limits them."""
    rules = challenge()
    if rules is None or not rules.layer_types:
        return groups
    kept = [{**g, "cards": [c for c in g["cards"] if rules.allows(c["type"])]} for g in groups]
    return [g for g in kept if g["cards"]]
