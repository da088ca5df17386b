"""The run history: filters, the sortable table, the picker of runs to compare, CSV export.

Sorting is the table's own (click a column header); selecting rows in the table or
names in the picker chooses the runs the rest of the page compares.
"""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from builder import formats
from builder.compare import RunRow, csv_cell, filter_rows
from builder.datasets import DATASETS
from builder.store import Run
from builder.text import t
from components.compare import runs as chosen_runs

TABLE, PICKER = "compare_table", "compare_picker"
FILTER_TEXT, FILTER_DATA, FILTER_STATUS, FILTER_PIN = (
    "compare_find", "compare_datasets", "compare_statuses", "compare_pinned")
COLUMNS = ("id", "name", "label", "dataset", "summary", "params", "flops", "epochs",
           "best_epoch", "test_accuracy", "test_loss", "seconds", "status", "created", "pinned",
           "note")
# On screen the key columns come first and fit a laptop without scrolling sideways; the
# label already holds the id and the name (both stay in the CSV), and the columns in
# FOLDED start hidden (the table's column menu shows them; the CSV has them all).
SHOWN = ("label", "test_accuracy", "params", "status", "dataset", "epochs", "seconds",
         "pinned", "note", "best_epoch", "test_loss", "flops", "summary", "created")
FOLDED = ("best_epoch", "test_loss", "flops", "summary", "created")
NUMBERS = {"test_accuracy": f"{{:.{formats.DIGITS}f}} %", "seconds": "{:.1f} s", "best_epoch": "{:.0f}",
           "test_loss": "{:.4f}"}  # how numbers read; a run without one shows "—", not None


def frame(rows: list[RunRow], lang: str = "en") -> pd.DataFrame:
    """The table's data: one row per run in ``COLUMNS`` order, accuracy in percent,
    datasets by title and statuses in ``lang``."""
    data = pd.DataFrame([asdict(r) for r in rows], columns=list(COLUMNS))
    data["test_accuracy"] = data["test_accuracy"].astype(float) * 100
    data["dataset"] = data["dataset"].map(lambda d: _dataset_title(d, lang))
    data["status"] = data["status"].map(lambda s: t(f"compare.status_{s}", lang))
    return data


def styled(data: pd.DataFrame):
    """The table as shown: numbers formatted, a missing one as "—" (sorting stays numeric)."""
    return data.style.format(NUMBERS, na_rep="—")


def history(runs: list[Run], names: dict[int, str], lang: str) -> list[RunRow]:
    """Filters, the table and its CSV download; returns the rows shown."""
    rows = chosen_runs.rows(runs, names)
    shown = filter_rows(rows, *_filters(rows, lang))
    data = frame(shown, lang)
    st.dataframe(styled(data), key=TABLE, hide_index=True, on_select=_on_select(data),
                 selection_mode="multi-row", column_config=_columns(lang),
                 column_order=SHOWN, width="stretch")
    st.download_button(t("compare.csv", lang), lambda: data.map(csv_cell).to_csv(index=False),
                       "layerlab-runs.csv", mime="text/csv", icon=":material/table:",
                       key="compare_csv", on_click="ignore", disabled=data.empty)
    return shown


def picker(runs: list[Run], names: dict[int, str], lang: str) -> list[Run]:
    """The runs to compare, by label; returns them in the order chosen."""
    st.session_state[PICKER] = [r.id for r in chosen_runs.chosen(runs)]
    st.multiselect(t("compare.pick", lang), [r.id for r in runs], key=PICKER,
                   format_func=names.get, placeholder=t("compare.pick_hint", lang),
                   on_change=_on_pick)
    return chosen_runs.chosen(runs)


def _dataset_title(name: str, lang: str) -> str:
    return DATASETS[name].title[lang] if name in DATASETS else name


def _filters(rows: list[RunRow], lang: str) -> tuple[str, list[str], list[str], bool]:
    text_col, data_col, status_col, pin_col = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
    text = text_col.text_input(t("compare.find", lang), key=FILTER_TEXT,
                               placeholder=t("compare.find_hint", lang))
    datasets = data_col.multiselect(t("compare.datasets", lang),
                                    sorted({r.dataset for r in rows}), key=FILTER_DATA,
                                    format_func=lambda d: _dataset_title(d, lang))
    statuses = status_col.multiselect(t("compare.statuses", lang),
                                      sorted({r.status for r in rows}), key=FILTER_STATUS,
                                      format_func=lambda s: t(f"compare.status_{s}", lang))
    pinned = pin_col.toggle(t("compare.pinned_only", lang), key=FILTER_PIN)
    return text, datasets, statuses, pinned


def _columns(lang: str) -> dict[str, st.column_config.Column]:
    label = lambda name: t(f"compare.col_{name}", lang)  # noqa: E731
    config = st.column_config
    columns = {
        "label": config.TextColumn(label("label"), width=280, pinned=True),
        "test_accuracy": config.NumberColumn(label("test_accuracy"), width=110),
        "params": config.NumberColumn(label("params"), format="localized", width=95),
        "status": config.TextColumn(label("status"), width=95),
        "dataset": config.TextColumn(label("dataset"), width=120),
        "epochs": config.NumberColumn(label("epochs"), width=65),
        "seconds": config.NumberColumn(label("seconds"), width=90),
        "pinned": config.CheckboxColumn(label("pinned"), width=60),
        "note": config.TextColumn(label("note")),
        "best_epoch": config.NumberColumn(label("best_epoch")),
        "test_loss": config.NumberColumn(label("test_loss")),
        "flops": config.NumberColumn(label("flops"), format="compact"),
        "summary": config.TextColumn(label("summary"), width="large"),
        "created": config.DatetimeColumn(label("created"), format="YYYY-MM-DD HH:mm"),
    }
    return {name: {**column, "hidden": True} if name in FOLDED else column
            for name, column in columns.items()}


def _on_select(data: pd.DataFrame):
    def chosen_in_table() -> None:
        positions = st.session_state[TABLE].selection.rows
        chosen_runs.choose([int(data["id"].iloc[p]) for p in positions])
    return chosen_in_table


def _on_pick() -> None:
    chosen_runs.choose(st.session_state[PICKER])
