"""Compare: run history, the chosen runs side by side, one model on two datasets."""
import streamlit as st

from builder.text import t
from components import frame, lang, steps
from components.compare import diff, manage, pair, present, table, views
from components.compare import runs as store_runs

frame.require()
language = lang.current()
runs = store_runs.all_runs()
title_col, present_col = st.columns([3, 1], vertical_alignment="bottom")
title_col.title(t("app.compare", language), anchor=False)
with present_col:
    presenting = present.toggle(language)
if presenting:
    present.view(store_runs.chosen(runs), store_runs.rows(runs), language)
    st.stop()

steps.step_bar("compare", language)
history_tab, compare_tab, pair_tab = st.tabs(
    [t(f"compare.tab_{name}", language) for name in ("history", "compare", "pair")])
with history_tab:
    shown = table.history(runs, language)
    if runs:
        with st.expander(t("compare.manage", language), icon=":material/tune:"):
            manage.manage(runs, language)
with compare_tab:
    chosen = table.picker(runs, language)
    views.curves(chosen, language)
    if len(chosen) > 1:
        st.subheader(t("compare.diff", language), anchor=False)
        diff.settings(chosen, language)
        diff.architectures(chosen, language)
    st.subheader(t("compare.tradeoff", language), anchor=False)
    views.trade_off(shown, language)
with pair_tab:
    pair.section(language)
