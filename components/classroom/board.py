"""The leaderboard's views: the live table, the projector podium, Reveal, the CSV, the spotlight."""
from __future__ import annotations

import time

import streamlit as st

from builder import formats
from builder.classroom.challenge import Challenge
from builder.datasets import DATASETS
from builder.classroom.leaderboard import (REVEALED, Entry, leaderboard, not_ranked, ranking_csv,
                                          trained_epochs)
from builder.errors import LabError
from builder.store import epoch_rows
from builder.text import t
from components import identity, safe, services

LIVE_SECONDS = 2
SPOTLIGHT = "class.spotlight"
PROJECTOR_STYLE = "<style>.stMainBlockContainer { padding-top: 1.5rem; }</style>"


def revealed() -> bool:
    return bool(services.store().get_setting(REVEALED, False))


def challenge_text(challenge: Challenge | None, lang: str) -> None:
    """The challenge's text and its rules, as plain text."""
    if challenge is None:
        st.caption(t("class.no_challenge", lang))
        return
    if challenge.text:
        st.info(safe.escape(challenge.text), icon=":material/flag:")
    st.caption(" · ".join(rules(challenge, lang)))


def rules(challenge: Challenge, lang: str) -> list[str]:
    """One short phrase per rule that is set."""
    parts = []
    for field, key in (("dataset", "class.rule_dataset"), ("limit", "class.rule_limit"),
                       ("max_epochs", "class.rule_epochs"), ("max_params", "class.rule_params")):
        value = getattr(challenge, field)
        if field == "dataset" and value in DATASETS:
            value = DATASETS[value].title[lang]   # by its name, never its id
        if value is not None:
            parts.append(t(key, lang, value=f"{value:,}" if isinstance(value, int) else value))
    if challenge.layer_types:
        parts.append(t("class.rule_layers", lang, value=", ".join(challenge.layer_types)))
    if challenge.deadline is not None:
        ended = challenge.deadline <= time.time()
        parts.append(t("class.rule_ended" if ended else "class.rule_deadline", lang,
                       value=formats.clock(challenge.deadline)))
    return parts


def table(entries: list[Entry], final: bool, lang: str) -> None:
    """The ranking; after Reveal also each student's private score, the places moved and
    the gap between public and private accuracy (overfitting to what one could see)."""
    if not entries:
        st.info(t("class.board_empty", lang), icon=":material/hourglass_empty:")
        return
    rows = [{t("class.col_rank", lang): e.final_rank if final else e.rank,
             t("class.col_owner", lang): e.owner,
             t("class.col_run", lang): e.run_name,
             t("class.col_public", lang): formats.points(e.public_accuracy),
             **({t("class.col_private", lang): formats.points(e.private_accuracy),
                 t("class.col_gap", lang): formats.gap(e.public_accuracy, e.private_accuracy),
                 t("class.col_moved", lang): formats.moved(e.moved)} if final else {}),
             t("class.col_params", lang): e.params, t("class.col_epochs", lang): e.epochs,
             t("class.col_seconds", lang): e.seconds} for e in entries]
    percent = st.column_config.NumberColumn(format=formats.PERCENT_COLUMN)
    import pandas as pd  # on first use: the Build page loads this module and stays light
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={t("class.col_public", lang): percent,
                                t("class.col_private", lang): percent,
                                t("class.col_params", lang): st.column_config.NumberColumn(
                                    format="localized"),
                                t("class.col_seconds", lang): st.column_config.NumberColumn(
                                    format="%.1f s")})


def podium(entries: list[Entry], final: bool, lang: str) -> None:
    """The top three, big, for the projector: place in words (no emoji: a projector PC may
    have no emoji font), score, and after Reveal the places moved and the gap."""
    top = entries[:3]
    if not top:
        st.info(t("class.board_empty", lang), icon=":material/hourglass_empty:")
        return
    for column, entry in zip(st.columns(3), top):
        score = entry.private_accuracy if final else entry.public_accuracy
        place = entry.final_rank if final else entry.rank
        column.metric(t("class.place", lang, n=place, owner=safe.escape(entry.owner)),
                      formats.percent(score), icon=":material/trophy:" if place == 1 else None,
                      delta=None if entry.moved is None
                      else t("class.moved", lang, n=formats.moved(entry.moved)),
                      delta_color="off", delta_arrow="off", border=True,
                      delta_description=None if not final else t(
                          "class.gap_of", lang,
                          gap=formats.gap(entry.public_accuracy, entry.private_accuracy)))


def shake_up(entries: list[Entry], lang: str) -> None:
    """After Reveal: one line when nobody moved, saying what would have moved someone."""
    if entries and all(e.moved == 0 for e in entries):
        st.info(t("class.nobody_moved", lang), icon=":material/drag_handle:")


def reveal_button(lang: str) -> None:
    """Teacher: show or hide the private half's scores."""
    done = revealed()
    if st.button(t("class.hide_final" if done else "class.reveal", lang), key="class_reveal",
                 type="secondary" if done else "primary", icon=":material/visibility:"):
        services.store().set_setting(REVEALED, not done, actor=identity.current_actor())
        st.rerun()


def download(entries: list[Entry], lang: str) -> None:
    st.download_button(t("class.csv", lang), ranking_csv(entries), file_name="leaderboard.csv",
                       mime="text/csv", icon=":material/download:", key="class_csv",
                       on_click="ignore")


def spotlight(entries: list[Entry], lang: str) -> None:
    """The run the teacher put in the spotlight, or else the leader's ranked run: who, which
    run (and whether it is the one ranked), its accuracy by epoch, drawn and in words."""
    held = services.store().get_setting(SPOTLIGHT)
    run_id = held if isinstance(held, int) else entries[0].run_id if entries else None
    if run_id is None:
        return
    try:
        run = services.store().run(run_id)
    except LabError:
        return
    owner = run.owner or "—"
    name = run.name.removeprefix(f"{owner} · ")  # a default name starts with its owner
    title = t("class.spotlight_of", lang, owner=safe.escape(owner), name=safe.escape(name))
    st.markdown(f"**{title}**")
    ranked = next((e.run_id for e in entries if e.owner == run.owner), None)
    which = "ranked" if ranked == run.id else "other" if ranked else "unranked"
    st.caption(t(f"class.spotlight_{which}", lang, id=run.id, ranked=ranked))
    points = [(m.epoch, m.val_accuracy if m.val_accuracy is not None else m.accuracy)
              for m in epoch_rows(services.store().metrics(run.id, kind="epoch"))]
    points = [(epoch, share) for epoch, share in points if share is not None]
    if points:
        from components.classroom.spotlight_chart import figure, summary
        st.plotly_chart(figure(points, lang), config={"displayModeBar": False},
                        alt=summary(points, lang), key=f"class_spotlight_chart_{run.id}")
        st.caption(summary(points, lang))
    st.caption(t("class.spotlight_status", lang, status=formats.status(run.status, lang),
                 epochs=trained_epochs(run)))


def board(lang: str, projector: bool) -> None:
    """Everything that updates live. On the projector the podium, the notes and the
    spotlight share one 1280×720 screen (notes beside the spotlight, less padding)."""
    final = revealed()
    entries = services.shared().every(("leaderboard", final), LIVE_SECONDS,  # one read per server
                                      lambda: leaderboard(services.store(), final))
    if not projector:
        table(entries, final, lang)
        notes(entries, final, lang)
        spotlight(entries, lang)
        download(entries, lang)
        others(lang)
        return
    st.html(PROJECTOR_STYLE)
    podium(entries, final, lang)
    notes_col, spotlight_col = st.columns([2, 3])
    with notes_col:
        notes(entries, final, lang)
    with spotlight_col:
        spotlight(entries, lang)


def others(lang: str) -> None:
    """Finished runs the board leaves out, each with the reason."""
    left = not_ranked(services.store())
    if left:
        with st.expander(f"{t('class.not_ranked', lang)} ({len(left)})"):
            for run in left:
                st.markdown(f"- **{safe.escape(run.owner)}** · {safe.escape(run.run_name)} "
                            f"(#{run.run_id}, {safe.escape(run.dataset[:60])}): "
                            f"{t(run.reason, lang)}")


def notes(entries: list[Entry], final: bool, lang: str) -> None:
    """After Reveal: whether anyone moved, and what the final ranking means."""
    if final:
        shake_up(entries, lang)
        st.caption(t("class.final_note", lang))
