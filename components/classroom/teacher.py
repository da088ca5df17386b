"""The teacher page's parts: class settings, the challenge form, the students, the runs."""
from __future__ import annotations

import time
from collections import defaultdict

import pandas as pd
import streamlit as st

from builder.access import Actor
from builder.analysis import analyse
from builder.layers import CATALOGUE
from builder.classroom import roster
from builder import formats
from builder.classroom.challenge import Challenge, current, set_challenge
from builder.classroom.deadline import MAX_MINUTES, extend_deadline
from builder.classroom.visibility import HIDE
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.layers import shape_text
from builder.store import Run
from builder.text import t
from components import safe, services, state
from components.classroom import board
from components.classroom.board import SPOTLIGHT

QUEUE = "queue.max_queued"
BUILD_PAGE = "pages/build.py"
DONE = "class_challenge_done"  # the last change's confirmation, shown until the next one


def class_settings(actor: Actor, lang: str) -> None:
    """Class code, queue cap N, and whether students see each other's runs."""
    s = services.store()
    with st.form("class_settings"):
        left, middle, right = st.columns(3)
        code = left.text_input(t("class.set_code", lang),
                               s.get_setting(roster.CODE_SETTING, "") or "",
                               type="password", help=t("class.set_code_help", lang))
        cap = middle.number_input(t("class.set_queue", lang), 1, 20, int(s.get_setting(QUEUE, 2)),
                                  help=t("class.set_queue_help", lang))
        hide = right.toggle(t("class.set_hide", lang), bool(s.get_setting(HIDE, False)),
                            help=t("class.set_hide_help", lang))
        if st.form_submit_button(t("class.save", lang), icon=":material/save:"):
            for key, value in ((roster.CODE_SETTING, code.strip()), (QUEUE, int(cap)),
                               (HIDE, hide)):
                s.set_setting(key, value, actor=actor)
            st.toast(t("class.saved", lang))


def challenge_form(actor: Actor, lang: str) -> None:
    """Set or clear the challenge; the last change stays confirmed on screen with its time,
    and the challenge now in force is shown in words above the form."""
    now = current(services.store()) or Challenge()
    if (done := st.session_state.get(DONE)):
        st.success(done, icon=":material/check_circle:")
    if now != Challenge():
        st.caption(t("class.ch_now", lang, rules=" · ".join(board.rules(now, lang))
                     or t("class.any", lang)))
    with st.form("class_challenge"):
        text = st.text_area(t("class.ch_text", lang), now.text, max_chars=500, height=70)
        a, b, c = st.columns(3)
        names = list(DATASETS)   # a challenge always has one: by default the teacher's current one
        dataset = a.selectbox(t("class.ch_dataset", lang), names,
                              names.index(now.dataset or state.dataset().name),
                              format_func=lambda n: DATASETS[n].title[lang])
        limit = b.number_input(t("class.ch_limit", lang), 10, None, now.limit, step=500)
        epochs = c.number_input(t("class.ch_epochs", lang), 1, 1000, now.max_epochs)
        d, e = st.columns(2)
        params = d.number_input(t("class.ch_params", lang), 1, None, now.max_params, step=1000)
        minutes = e.number_input(t("class.ch_minutes", lang), 1, 24 * 60,
                                 _minutes_left(now.deadline), help=t("class.ch_minutes_help", lang))
        types = st.multiselect(t("class.ch_layers", lang), list(CATALOGUE), list(now.layer_types),
                               placeholder=t("class.any", lang))
        save, clear = st.columns(2)
        if save.form_submit_button(t("class.ch_save", lang), type="primary",
                                   icon=":material/flag:"):
            _apply(actor, lang, "class.ch_set_at", lambda: Challenge(
                dataset or None, _int(limit), _int(epochs), tuple(types), _int(params),
                None if minutes is None else time.time() + 60 * minutes, text.strip()))
        if clear.form_submit_button(t("class.ch_clear", lang), icon=":material/flag_circle:"):
            _apply(actor, lang, "class.ch_cleared", lambda: None)
    if now.deadline is not None:
        _extend_form(actor, lang)


def _extend_form(actor: Actor, lang: str) -> None:
    """Only the deadline, later by some minutes (from now once it has passed)."""
    with st.form("class_extend"):
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        more = left.number_input(t("class.ch_extend_minutes", lang), 1, MAX_MINUTES, 5,
                                 help=t("class.ch_extend_help", lang))
        if right.form_submit_button(t("class.ch_extend", lang), icon=":material/more_time:"):
            try:
                deadline = extend_deadline(services.store(), int(more), actor=actor)
            except LabError as exc:
                st.error(safe.error(exc, lang), icon=":material/error:")
                return
            _done(t("class.ch_extended", lang, time=formats.clock(deadline)))


def _apply(actor: Actor, lang: str, confirm: str, make) -> None:
    try:
        set_challenge(services.store(), make(), actor=actor)
    except LabError as exc:
        st.error(safe.error(exc, lang), icon=":material/error:")
        return
    _done(t(confirm, lang, time=formats.clock(time.time())))


def _done(message: str) -> None:
    """Confirm a change: a toast now, and the message on the panel after the rerun."""
    st.session_state[DONE] = message
    st.toast(message, icon=":material/check_circle:")
    st.rerun()


def students(actor: Actor, lang: str) -> None:
    """Every student: model summary, runs and their status; open a model; remove."""
    people = roster.students(services.store())
    by_owner: dict[str, list[Run]] = defaultdict(list)
    for run in services.store().runs():
        by_owner[run.owner].append(run)
    if not people:
        st.info(t("class.no_students", lang), icon=":material/group:")
        return
    st.dataframe(pd.DataFrame([_row(p, by_owner[p.name], lang) for p in people]),
                 hide_index=True, width="stretch")
    names = [p.name for p in people]
    pick_col, open_col, remove_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    name = pick_col.selectbox(t("class.student", lang), names, key="class_student")
    chosen = next(p for p in people if p.name == name)
    if open_col.button(t("class.open_model", lang), icon=":material/edit:", key="class_open",
                       disabled=chosen.model_json is None):
        state.load(chosen.model)
        st.switch_page(BUILD_PAGE)
    if remove_col.button(t("class.remove", lang), icon=":material/person_remove:",
                         key="class_remove"):
        roster.remove(services.store(), name, actor=actor)
        st.rerun()


def _row(student: roster.Student, runs: list[Run], lang: str) -> dict:
    model = student.model
    report = analyse(model) if model else None
    last = report.rows[-1].output_shape if report and report.rows else None
    best = max(((r.results or {}).get("test_accuracy") for r in runs
                 if (r.results or {}).get("test_accuracy") is not None), default=None)
    return {t("class.col_owner", lang): student.name,
            t("class.col_layers", lang): len(list(model.walk())) if model else None,
            t("class.col_params", lang): report.total_params if report else None,
            t("class.col_shape", lang): shape_text(last) if last else "",
            t("class.col_runs", lang): len(runs),
            t("class.col_status", lang): ", ".join(
                f"#{r.id} {formats.status(r.status, lang)}" for r in runs[:4]),
            t("class.col_best", lang): formats.percent(best)}


def spotlight(actor: Actor, lang: str) -> None:
    """Choose the run shown on the leaderboard for the projector."""
    runs = [r for r in services.store().runs() if r.owner]
    options = [None] + [r.id for r in runs]
    labels = {r.id: f"#{r.id} · {r.owner} · {r.name} · {formats.status(r.status, lang)}"
              for r in runs}
    held = services.store().get_setting(SPOTLIGHT)
    picked = st.selectbox(t("class.spotlight", lang), options,
                          options.index(held) if held in options else 0,
                          format_func=lambda i: labels.get(i, t("class.spotlight_leader", lang)),
                          key="class_spotlight")
    if picked != held:
        services.store().set_setting(SPOTLIGHT, picked, actor=actor)
        st.toast(t("class.saved", lang))


def _minutes_left(deadline: float | None) -> int | None:
    return None if deadline is None else max(1, round((deadline - time.time()) / 60))


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


