"""The Build page's toolbar: dataset, template, undo / redo / clear."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from builder.datasets import DATASETS
from builder.templates import TEMPLATES
from builder.text import t
from components import state
from components.classroom import rules

DATASET_KEY, TEMPLATE_KEY = "dataset_choice", "template_choice"


def toolbar(lang: str) -> None:
    """Dataset and template pickers, then the history buttons, on one row. The buttons
    get room for their Korean labels too, and Ctrl+Z / Ctrl+Y (⌘ on a Mac) press Undo /
    Redo."""
    data_col, template_col, undo_col, redo_col, clear_col = st.columns(
        [1.7, 1.7, 1.5, 1.5, 1.4], vertical_alignment="bottom")
    st.session_state[DATASET_KEY] = state.dataset().name
    data_col.selectbox(t("build.dataset", lang), list(DATASETS), key=DATASET_KEY,
                       format_func=lambda name: DATASETS[name].title[lang],
                       help=state.dataset().about[lang], on_change=_choose_dataset)
    offered, hidden = rules.templates()
    template_col.selectbox(t("build.template", lang), offered, index=None,
                           key=TEMPLATE_KEY, placeholder=t("build.template_pick", lang),
                           format_func=lambda name: TEMPLATES[name].title[lang],
                           on_change=_choose_template, args=(lang,))
    undo_col.button(t("build.undo", lang), icon=":material/undo:", key="undo", width="stretch",
                    shortcut="mod+z", disabled=not state.can_undo(), on_click=state.undo)
    redo_col.button(t("build.redo", lang), icon=":material/redo:", key="redo", width="stretch",
                    shortcut="mod+y", disabled=not state.can_redo(), on_click=state.redo)
    clear_col.button(t("build.clear", lang), icon=":material/delete_sweep:", key="clear", width="stretch",
                     disabled=not state.architecture().layers, on_click=_clear)
    if hidden:
        st.caption(_hidden_text(hidden, lang))


def template_about(lang: str) -> None:
    """What the template the model started from shows and teaches (while it keeps its name)."""
    template = TEMPLATES.get(state.architecture().name)
    if template is not None:
        with st.expander(t("build.about_template", lang, title=template.title[lang]),
                         icon=":material/school:", key="template_about"):
            st.markdown(template.about[lang])


def _choose_dataset() -> None:
    state.set_dataset(st.session_state[DATASET_KEY])


def _hidden_text(hidden: dict[str, list[str]], lang: str) -> str:
    """Why some templates are not offered (the challenge's palette)."""
    types = sorted({kind for kinds in hidden.values() for kind in kinds})
    return t("build.templates_hidden", lang, count=len(hidden), types=", ".join(types))


def _choose_template(lang: str) -> None:
    """Open a template; under a challenge on one dataset it keeps that dataset and its
    input is adapted to it (the template's own dataset is never switched to silently)."""
    name = st.session_state[TEMPLATE_KEY]
    offered, _ = rules.templates()
    if name in offered:
        template = TEMPLATES[name]
        arch, dataset = rules.template_model(template)
        state.load(arch, dataset)
        if dataset != template.dataset:
            st.toast(t("build.template_adapted", lang, title=template.title[lang],
                       made=DATASETS[template.dataset].title[lang],
                       dataset=DATASETS[dataset].title[lang]), icon=":material/info:")
    st.session_state[TEMPLATE_KEY] = None


def _clear() -> None:
    state.select(None)
    state.commit(replace(state.architecture(), layers=(), name=""))
