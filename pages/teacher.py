"""Teacher (class mode): the class's settings, the challenge, every student, the spotlight."""
import streamlit as st

from builder.text import t
from components import frame, identity, lang
from components.classroom import teacher

frame.require()
language = lang.current()
st.title(t("class.teacher", language), anchor=False)
actor = identity.current_actor()
if not actor.teacher:  # the page is not in the navigation; a guessed URL ends here
    st.error(t("error.teacher_only", language), icon=":material/lock:")
    st.stop()
students_tab, challenge_tab, class_tab = st.tabs(
    [t(f"class.tab_{name}", language) for name in ("students", "challenge", "class")])
with students_tab:
    teacher.students(actor, language)
    teacher.spotlight(actor, language)
with challenge_tab:
    teacher.challenge_form(actor, language)
with class_tab:
    teacher.class_settings(actor, language)
