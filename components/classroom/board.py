"""The leaderboard's views: the live table, the projector podium, Reveal, the CSV, the spotlight."""
from __future__ import annotations

import time

import streamlit as st

from builder.classroom.challenge import Challenge
from builder.classroom.leaderboard import REVEALED, Entry, leaderboard, ranking_csv
from builder.errors import LabError
from builder.store import epoch_rows
from builder.text import t
from components import identity, safe, services

LIVE_SECONDS = 2
SPOTLIGHT = "class.spotlight"
MEDALS = ("🥇", "🥈", "🥉")


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
        if value is not None:
            parts.append(t(key, lang, value=f"{value:,}" if isinstance(value, int) else value))
    if challenge.layer_types:
        parts.append(t("class.rule_layers", lang, value=", ".join(challenge.layer_types)))
    if challenge.deadline is not None:
        parts.append(t("class.rule_deadline", lang,
                       value=time.strftime("%H:%M", time.localtime(challenge.deadline))))
    return parts


def table(entries: list[Entry], final: bool, lang: str) -> None:
    if not entries:
        st.info(t("class.board_empty", lang), icon=":material/hourglass_empty:")
        return
    rows = [{t("class.col_rank", lang): e.final_rank if final else e.rank,
             t("class.col_owner", lang): e.owner,
             t("class.col_run", lang): e.run_name,
             t("class.col_public", lang): e.public_accuracy,
             **({t("class.col_private", lang): e.private_accuracy,
                 t("class.col_moved", lang): _moved(e.moved)} if final else {}),
             t("class.col_params", lang): e.params, t("class.col_epochs", lang): e.epochs,
             t("class.col_seconds", lang): e.seconds} for e in entries]
    percent = st.column_config.NumberColumn(format="percent")
    import pandas as pd  # on first use: the Build page loads this module and stays light
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={t("class.col_public", lang): percent,
                                t("class.col_private", lang): percent})


def podium(entries: list[Entry], final: bool, lang: str) -> None:
    """The top three, big, for the projector."""
    top = entries[:3]
    if not top:
        st.info(t("class.board_empty", lang), icon=":material/hourglass_empty:")
        return
    for column, medal, entry in zip(st.columns(3), MEDALS, top):
        score = entry.private_accuracy if final else entry.public_accuracy
        column.metric(f"{medal} {safe.escape(entry.owner)}", f"{score:.1%}",
                      delta=None if entry.moved is None
                      else t("class.moved", lang, n=_moved(entry.moved)),
                      delta_color="off")


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


def spotlight(lang: str) -> None:
    """The run the teacher put in the spotlight: who, the score, its accuracy curve."""
    run_id = services.store().get_setting(SPOTLIGHT)
    if not isinstance(run_id, int):
        return
    try:
        run = services.store().run(run_id)
    except LabError:
        return
    st.subheader(t("class.spotlight_of", lang, owner=safe.escape(run.owner or "—"),
                   name=safe.escape(run.name)), anchor=False)
    points = [(m.epoch, m.val_accuracy if m.val_accuracy is not None else m.accuracy)
              for m in epoch_rows(services.store().metrics(run.id, kind="epoch"))]
    if points:
        import pandas as pd
        st.line_chart(pd.DataFrame(points, columns=["epoch", "accuracy"]).set_index("epoch"),
                      height=220)
    st.caption(t("class.spotlight_status", lang, status=t(f"train.status_{run.status}", lang),
                 epochs=run.epochs_done))


def board(lang: str, projector: bool) -> None:
    """Everything that updates live."""
    final = revealed()
    entries = services.shared().every(("leaderboard", final), LIVE_SECONDS,  # one read per server
                                      lambda: leaderboard(services.store(), final))
    (podium if projector else table)(entries, final, lang)
    if final:
        st.caption(t("class.final_note", lang))
    spotlight(lang)
    if not projector:
        download(entries, lang)


def _moved(n: int | None) -> str:
    return "" if not n else f"{'+' if n > 0 else '−'}{abs(n)}"

