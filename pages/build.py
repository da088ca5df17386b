"""Build: assemble a model on the canvas and watch its shapes and parameters change."""
import streamlit as st

from builder.text import t
from components import frame, canvas, diagram, editor, files, lang, problems, state, steps, summary
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
summary.metrics(report, state.before_last_edit(), state.dataset().classes, language)
left, right = st.columns([3, 2], gap="medium")
with left:
    canvas.canvas(language)
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

table_tab, diagram_tab, files_tab, share_tab, code_tab = st.tabs(
    [t(f"build.tab_{name}", language) for name in ("table", "diagram", "files", "share", "code")])
with table_tab:
    summary.show_table(state.architecture(), report, language)
with diagram_tab:
    st.plotly_chart(diagram.figure(state.architecture(), report, language), key="diagram",
                    config={"displayModeBar": False})
with files_tab:
    files.save_load(language)
with share_tab:
    files.share_link(language)
with code_tab:
    files.code(language)
