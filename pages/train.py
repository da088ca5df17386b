"""Train: the Build page's model on a chosen dataset — compile, train, evaluate.

Start queues a run in the store; a trainer process trains it; this page only reads the
store, so a refresh or a second tab shows the same run. While a run waits or trains, and
after it ends for the session that started, watched or picked it, the run comes first and
the set-up of a new run folds away below it (so the end of a run never pushes it down).
"""
import streamlit as st

from builder.store import Run
from builder.text import t
from components import frame, lang, services, state, steps
from components.inside import view as inside_view
from components.training import evaluation, live, runs
from components.training.setup import setup

frame.require()
frame.quiet_status()
language = lang.current()
steps.step_bar("train", language)
st.title(t("app.train", language), anchor=False)
services.executor().warm()

arch = state.architecture()
run = runs.shown_run()
restore = run.settings if run is not None and runs.RUN_PARAM in st.query_params else None


def show_run(shown: Run, first: bool) -> None:
    runs.picker(shown, language)
    live.run_view(shown, language)
    if first:
        with st.expander(t("train.new_run", language), icon=":material/add_circle:"):
            setup(arch, language, restore)
    if shown.status not in runs.WAITING:
        evaluation.evaluation(shown, language)
        inside_view.section(shown, services.store(), language)


if run is None:
    setup(arch, language, restore)
elif runs.comes_first(run):
    show_run(run, first=True)
else:
    setup(arch, language, restore)
    st.divider()
    show_run(run, first=False)
