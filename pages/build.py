"""Build: assemble a model on the canvas and watch its shapes and parameters change."""
import streamlit as st

from builder.text import t
from components import (frame, canvas, diagram, editor, files, keeping, lang, problems, state, steps,
                        summary, warm)
from components.classroom import rules
from components.compare.experiment_vary import vary_this
from components.compare.pair import train_on_both_button
from components.toolbar import template_about, toolbar

frame.require()
language = lang.current()
steps.step_bar("build", language)
toolbar(language)
template_about(language)
files.messages()

report = state.report()
rules.build_box(state.architecture(), state.dataset().name, language)
summary.metrics(report, state.before_last_edit(), state.dataset().classes, language)
left, right = st.columns([3, 2], gap="medium")
with left:
    canvas.canvas(language)
warm.palette_drawn()  # the server's warm-up may load the rest now
with right:
    problems.panel(report, language)
    editor.editor(language)
    vary_this(language)
    st.caption(t("build.next", language))
    train_col, pair_col = st.columns(2)
    train_col.page_link("pages/train.py", label=t("build.to_train", language),
                        icon=":material/model_training:")
    with pair_col:
        train_on_both_button(language, key="build_pair")

# Only the open tab is drawn (a click on another reruns the page): the first render stays light.
TABS = {"table": lambda: summary.show_table(state.architecture(), report, language),
        "diagram": lambda: st.plotly_chart(diagram.figure(state.architecture(), report, language),
                                           key="diagram", config={"displayModeBar": False}),
        "files": lambda: files.save_load(language),
        "share": lambda: files.share_link(language),
        "code": lambda: files.code(language)}
if keeping.member() is not None:  # class mode: the models this person keeps
    TABS["models"] = lambda: keeping.my_models(language)
for tab, draw in zip(st.tabs([t(f"build.tab_{name}", language) for name in TABS],
                             key="build_tabs", on_change="rerun"), TABS.values()):
    if tab.open:
        with tab:
            draw()
