"""Train: the Build page's model on a chosen dataset — compile, train, evaluate.

Start queues a run in the store; a trainer process trains it; this page only reads the
store, so a refresh or a second tab shows the same run.
"""
import streamlit as st

from builder.analysis import analyse
from builder.errors import LabError
from builder.text import t
from components import frame, lang, state, steps
from components.training import checks, data, evaluation, live, runs
from components.training.forecast_view import forecast_panel
from components.training.settings_form import settings_form

frame.require()
language = lang.current()
steps.step_bar("train", language)
st.title(t("app.train", language), anchor=False)
runs.executor().poll()

arch = state.architecture()
data_col, model_col = st.columns([3, 2], gap="large")
with data_col:
    st.subheader(t("train.dataset", language), anchor=False)
    choice = data.picker(language)
report = analyse(arch, choice.classes if choice else None)
reasons = checks.blockers(arch, report, choice)

st.subheader(t("train.settings", language), anchor=False)
settings = settings_form(language)
if isinstance(settings, LabError):
    reasons.append(("train.bad_settings", {"error": settings.text(language)}))

if not reasons:
    st.subheader(t("train.forecast", language), anchor=False)
    forecast_panel(arch, choice, settings, language)

with model_col:
    st.subheader(t("train.model", language), anchor=False)
    checks.model_line(arch, report, language)
    checks.explain(reasons, report, choice, language)

if st.button(t("train.start", language), key="train_start", type="primary",
             icon=":material/play_arrow:", disabled=bool(reasons)):
    runs.start(arch, choice.spec, settings)

run = runs.shown_run()
if run is not None:
    st.divider()
    runs.picker(run, language)
    live.run_view(run, language)
    if run.status not in runs.WAITING:
        evaluation.evaluation(run, language)
