"""The live summary: totals as metrics (with the last edit's change) and a per-layer table."""
from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from builder.analysis import Report, analyse
from builder.architecture import Architecture
from builder.compare import compact
from builder.text import t
from components.canvas.view import shape_text

if TYPE_CHECKING:  # pandas loads on first use: the Build page's first render needs none
    import pandas as pd


def human_bytes(n: int) -> str:
    """1536 → "1.5 KB"; binary steps, one decimal."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


def params_delta(report: Report, before: Architecture | None, classes: int) -> int | None:
    """Change in total parameters caused by the last edit (None before the first edit)."""
    if before is None:
        return None
    return report.total_params - analyse(before, classes).total_params


def metrics(report: Report, before: Architecture | None, classes: int, lang: str) -> None:
    """Total params (with the last edit's change as delta), trainable, FLOPs, memory, output."""
    delta = params_delta(report, before, classes)
    cols = st.columns(5)
    cols[0].metric(t("summary.total", lang), f"{report.total_params:,}",
                   delta=f"{delta:+,}" if delta else None, border=True)
    cols[1].metric(t("summary.trainable", lang), f"{report.trainable:,}", border=True)
    cols[2].metric(t("summary.flops", lang), compact(report.flops), border=True)
    cols[3].metric(t("summary.memory", lang), human_bytes(report.memory), border=True)
    cols[4].metric(t("build.output", lang), shape_text(report.output_shape), border=True)


def table(arch: Architecture, report: Report, lang: str) -> pd.DataFrame:
    """One row per layer (blocks' insides indented): output shape, params, share, FLOPs, memory."""
    names = {address: layer.name for address, layer in arch.walk()}
    rows = [{
        "#": ".".join(str(a + 1) for a in row.address),
        t("summary.layer", lang): "    " * (len(row.address) // 2)
        + (f"{names.get(row.address)} ({row.type})" if names.get(row.address) else row.type),
        t("summary.output", lang): shape_text(row.output_shape),
        t("summary.params", lang): row.params,
        t("build.share", lang): round(report.share(row), 1),
        "FLOPs": row.flops,
        t("build.memory", lang): human_bytes(row.memory),
    } for row in report.rows]
    import pandas as pd
    return pd.DataFrame(rows)


def show_table(arch: Architecture, report: Report, lang: str) -> None:
    share = t("build.share", lang)
    st.dataframe(table(arch, report, lang), hide_index=True, width="stretch", column_config={
        t("summary.params", lang): st.column_config.NumberColumn(format="localized"),
        "FLOPs": st.column_config.NumberColumn(format="compact"),
        share: st.column_config.ProgressColumn(share, format="%.1f %%", min_value=0, max_value=100),
    })
