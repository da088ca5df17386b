"""One run's actions: rename, note, pin, open in Build, download its best model, its
script and its notebook, delete (after a confirmation)."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from builder.access import Actor
from builder.codegen import export_script
from builder.notebook import Outcome, export_notebook
from builder.errors import LabError
from builder.store import Run, Store
from builder.text import t
from components import safe, services, state
from components.identity import current_actor
from components.compare import runs as chosen_runs

RUN, CONFIRM = "compare_manage", "compare_confirm_delete"
BUILD_PAGE = "pages/build.py"


def manage(runs: list[Run], names: dict[int, str], lang: str) -> None:
    """Pick a run (the first chosen one by default) and act on it."""
    ids = [r.id for r in runs]
    first = next((r.id for r in chosen_runs.chosen(runs)), ids[0])
    if st.session_state.get(RUN) not in ids:
        st.session_state[RUN] = first
    by_id = {r.id: r for r in runs}
    run = by_id[st.selectbox(t("compare.manage_run", lang), ids, key=RUN,
                             format_func=names.get)]
    details, files = st.columns(2, gap="large")
    with details:
        _details(run, lang)
    with files:
        _files(run, lang)
        _delete(run, names[run.id], lang)


def _details(run: Run, lang: str) -> None:
    with st.form(f"compare_edit_{run.id}", border=False):
        name = st.text_input(t("compare.col_name", lang), run.name, max_chars=80)
        note = st.text_area(t("compare.col_note", lang), run.note, max_chars=2000, height=80)
        if st.form_submit_button(t("compare.save", lang), icon=":material/save:"):
            if _changed(lang, lambda store, actor: (store.rename(run.id, name, actor=actor),
                                                    store.set_note(run.id, note, actor=actor))):
                st.toast(t("compare.saved", lang, name=safe.escape(name or "—")))
                st.rerun()
    st.toggle(t("compare.pin", lang), value=run.pinned, key=f"compare_pin_{run.id}",
              on_change=lambda: _changed(lang, lambda store, actor: store.set_pinned(
                  run.id, st.session_state[f"compare_pin_{run.id}"], actor=actor)))


def _changed(lang: str, change: Callable[[Store, Actor], object]) -> bool:
    """Apply a change as this session's actor; a refusal (not the owner…) is a toast."""
    try:
        change(services.store(), current_actor())
    except LabError as exc:
        st.toast(safe.error(exc, lang))
        return False
    return True


def _files(run: Run, lang: str) -> None:
    if st.button(t("compare.open_build", lang), icon=":material/edit:", key="compare_open"):
        state.load(run.architecture, run.dataset)
        st.switch_page(BUILD_PAGE)
    best = services.store().artifact(run.id, "best")
    st.download_button(t("compare.download_model", lang),
                       lambda: best.read_bytes() if best else b"",
                       f"run-{run.id}-best.keras", mime="application/octet-stream",
                       icon=":material/neurology:", key="compare_model", on_click="ignore",
                       disabled=best is None,
                       help=None if best else t("compare.no_model", lang))
    try:
        script = export_script(run.architecture, run.dataset, run.settings, lang)
    except LabError as exc:
        st.caption(safe.error(exc, lang))
        return
    st.download_button(t("compare.download_script", lang), script, f"run-{run.id}.py",
                       mime="text/x-python", icon=":material/code:", key="compare_script",
                       on_click="ignore")
    st.download_button(t("compare.download_notebook", lang), lambda: run_notebook(run, lang),
                       f"run-{run.id}.ipynb", mime="application/x-ipynb+json",
                       icon=":material/description:", key="compare_notebook", on_click="ignore")


def run_notebook(run: Run, lang: str) -> str:
    """The run as a notebook: its model and settings, and the result LayerLab reached."""
    results = run.results or {}
    outcome = Outcome(run.id, run.name, run.epochs_done, results.get("test_accuracy"),
                      results.get("test_loss"))
    return export_notebook(run.architecture, run.dataset, run.settings, lang, outcome)


def _delete(run: Run, name: str, lang: str) -> None:
    if st.session_state.get(CONFIRM) != run.id:
        st.button(t("compare.delete", lang), icon=":material/delete:", key="compare_delete",
                  disabled=run.active,
                  help=t("compare.delete_active", lang) if run.active else None,
                  on_click=lambda: st.session_state.update({CONFIRM: run.id}))
        return
    st.warning(t("compare.delete_confirm", lang, name=safe.escape(name)))
    yes, no = st.columns(2)
    yes.button(t("compare.delete_yes", lang), type="primary", key="compare_delete_yes",
               on_click=_really_delete, args=(run.id, lang))
    no.button(t("compare.cancel", lang), key="compare_delete_no",
              on_click=lambda: st.session_state.pop(CONFIRM, None))


def _really_delete(run_id: int, lang: str) -> None:
    st.session_state.pop(CONFIRM, None)
    if not _changed(lang, lambda store, actor: store.delete(run_id, actor=actor)):
        return
    chosen_runs.choose([i for i in st.session_state.get(chosen_runs.CHOSEN, []) if i != run_id])
