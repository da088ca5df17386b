"""LayerLab: build a neural network by dragging layers, train it, compare runs.

The frame: page setup, the language switch and navigation. Pages live in pages/.

Every visit runs this file as the script (``__main__``), which draws the frame. Before
that, ``streamlit run app.py`` finds ``app`` at the bottom and imports this file once, as
the server starts: that only warms the modules the first page needs (components/warm.py).
"""
import streamlit as st

from components import warm


def main() -> None:
    from builder.text import t
    from components import files, frame, keeping, lang
    from components.classroom import gate

    st.set_page_config(page_title="LayerLab", page_icon=":material/construction:", layout="wide")
    language = lang.switch()
    pages = [st.Page("pages/build.py", title=t("app.build", language), icon=":material/construction:", default=True),
             st.Page("pages/train.py", title=t("app.train", language), icon=":material/model_training:"),
             st.Page("pages/compare.py", title=t("app.compare", language), icon=":material/compare_arrows:")]
    st.sidebar.caption(t("app.about", language))
    frame.enter()
    pages = gate.pages(pages, language)  # class mode: join form, leaderboard, teacher; kept model
    files.restore_link(language)  # a share link, or this tab's own URL after a refresh
    st.navigation(pages).run()
    keeping.keep_in_url()


if __name__ == "__main__":
    main()
else:  # the server's start
    app = st.App("app.py", lifespan=warm.lifespan)
