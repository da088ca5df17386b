"""Leaderboard (class mode): each student's best run, live; podium for the projector;
Reveal (teacher) shows the hidden half's scores and the final ranking; CSV download."""
import streamlit as st

from builder.classroom.challenge import current
from builder.text import t
from components import frame, identity, lang, services
from components.classroom import board

frame.require()
language = lang.current()
title_col, toggle_col = st.columns([3, 1], vertical_alignment="bottom")
title_col.title(t("class.leaderboard", language), anchor=False)
projector = toggle_col.toggle(t("class.podium", language), key="class_podium")
board.challenge_text(current(services.store()), language)
if identity.current_actor().teacher:
    board.reveal_button(language)


@st.fragment(run_every=board.LIVE_SECONDS)
def live() -> None:
    board.board(language, projector)


live()
