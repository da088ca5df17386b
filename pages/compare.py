"""Compare: run history, the chosen runs side by side, one model on two datasets."""
import streamlit as st

from builder.compare import run_labels
from builder.text import t
from components import frame, lang, services, steps
from components.compare import diff, experiment, manage, pair, present, table, views
from components.compare import runs as store_runs
from components.inside import view as inside_view

frame.require()
frame.quiet_status()
language = lang.current()
runs = store_runs.all_runs()
names = run_labels(runs, language)  # one label per run, the same in every list and chart
title_col, present_col = st.columns([3, 1], vertical_alignment="bottom")
title_col.title(t("app.compare", language), anchor=False)
with present_col:
    presenting = present.toggle(language)
if presenting:
    present.view(store_runs.chosen(runs), store_runs.rows(runs, names), names, language)
    experiment.present_view(language)
    st.stop()

steps.step_bar("compare", language)
labels = [t(f"compare.tab_{name}", language) for name in ("history", "compare", "pair", "experiment")]
history_tab, compare_tab, pair_tab, experiment_tab = st.tabs(
    labels, default=labels[2] if pair.landing_tab() else experiment.tab_default(language))
with history_tab:
    shown = table.history(runs, names, language)
    if runs:
        with st.expander(t("compare.manage", language), icon=":material/tune:"):
            manage.manage(runs, names, language)
with compare_tab:
    chosen = table.picker(runs, names, language)
    views.curves(chosen, names, language)
    if len(chosen) > 1:
        st.subheader(t("compare.diff", language), anchor=False)
        diff.settings(chosen, names, language)
        diff.architectures(chosen, names, language)
    st.subheader(t("compare.tradeoff", language), anchor=False)
    views.trade_off(shown, language)
    inside_view.compare(runs, names, chosen, services.store(), language)
with pair_tab:
    pair.section(language)
with experiment_tab:
    experiment.section(language)
