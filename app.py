"""LayerLab: build a neural network by dragging layers, train it, compare runs.

The frame: page setup, the language switch and navigation. Pages live in pages/.
"""
import streamlit as st

from builder.text import t
from components import files, frame, lang
from components.classroom import gate

st.set_page_config(page_title="LayerLab", page_icon=":material/construction:", layout="wide")
language = lang.switch()
pages = [st.Page("pages/build.py", title=t("app.build", language), icon=":material/construction:", default=True),
         st.Page("pages/train.py", title=t("app.train", language), icon=":material/model_training:"),
         st.Page("pages/compare.py", title=t("app.compare", language), icon=":material/compare_arrows:")]
st.sidebar.caption(t("app.about", language))
frame.enter()
files.restore_link(language)  # a share link, or this tab's own URL after a refresh
st.navigation(gate.pages(pages, language)).run()  # class mode: join form, leaderboard, teacher
files.keep_in_url()
