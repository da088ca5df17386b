"""Save, load, share and export: the model as LayerLab JSON, Keras JSON, a link, a script
or a notebook.

Uploads and pasted Keras code are checked for size (``architecture.MAX_BYTES``) and format
before anything changes; failures show the LabError's message (pasted code: each line's
problem). Code is read, never run (:mod:`builder.keras_code`). File names are shown as
plain text.
"""
from __future__ import annotations

import re

import streamlit as st

from builder.architecture import MAX_BYTES, Architecture
from builder.errors import LabError
from builder.text import t
from components import lang as language
from components import safe, share, state

UPLOAD_KEY, MESSAGE, LINK_DONE = "upload", "files_message", "share_link_done"
PASTE_KEY, PASTE_PROBLEMS = "paste_code", "paste_problems"


def file_stem(arch: Architecture) -> str:
    """A safe file name stem from the model's name: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", arch.name).strip("-")[:40] or "model"


def read_upload(content: bytes, code: bool = False) -> Architecture:
    """A LayerLab or Keras JSON upload, or (``code``) a Keras .py file, as an Architecture
    (raises LabError)."""
    if len(content) > MAX_BYTES:
        raise LabError("too_big", size=len(content), limit=MAX_BYTES)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise LabError("not_utf8") from None
    if code:
        from builder.keras_code import from_keras_code
        return from_keras_code(text)
    if '"layerlab.architecture"' in text:
        return Architecture.from_json(text)
    from builder.keras_json import from_keras_json
    return from_keras_json(text)


def restore_link(lang: str) -> None:
    """Open the model in the page's link (``?a=...``) as the session starts: a share link, or
    this tab's own URL after a refresh. After that the token there is the session's own
    (``keep_in_url``) and may be older than its model: a click sent before the browser got
    the last run's URL carries the one before, and opening it would undo the last edit."""
    token = st.query_params.get(share.ARCH_PARAM)
    if not token or st.session_state.get(LINK_DONE):
        return
    st.session_state[LINK_DONE] = True
    try:
        state.load(share.decode(token), st.query_params.get(share.DATASET_PARAM))
        _say("success", t("build.link_opened", lang))
    except LabError as exc:
        _say("error", safe.error(exc, lang))


def keep_in_url() -> None:
    """Write the model into the URL after every run (as its share link does), so a browser
    refresh or a bookmark brings it back; from now on restore_link leaves the URL alone."""
    token = share.encode(state.architecture())
    st.session_state[LINK_DONE] = True
    wanted = {share.ARCH_PARAM: token, share.DATASET_PARAM: state.dataset().name}
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def messages() -> None:
    """The last load's outcome (success or the reason it failed)."""
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "error":
        st.error(text, icon=":material/error:")


def save_load(lang: str) -> None:
    arch = state.architecture()
    stem = file_stem(arch)
    left, right = st.columns(2)
    with left:
        st.download_button(t("build.save_layerlab", lang), arch.to_json(), f"{stem}.layerlab.json",
                           mime="application/json", icon=":material/download:", key="save-layerlab")
        _keras_download(arch, stem, lang)
    with right:
        st.file_uploader(t("build.upload", lang), type=["json", "py"], key=UPLOAD_KEY,
                         max_upload_size=-(-MAX_BYTES // 2**20),  # the box says "1MB", not 200MB
                         help=t("build.upload_help", lang, limit=f"{MAX_BYTES:,}"),
                         on_change=_on_upload)
    paste_code(lang)


def paste_code(lang: str) -> None:
    """A box for Keras code: Load reads it (never runs it) and opens the model, with undo;
    code LayerLab cannot read lists each line's problem under the box."""
    with st.form("paste-code-form", border=False):
        st.text_area(t("build.paste", lang), key=PASTE_KEY, height=180, max_chars=MAX_BYTES,
                     placeholder=t("build.paste_placeholder", lang),
                     help=t("build.paste_help", lang))
        st.form_submit_button(t("build.paste_load", lang), icon=":material/input:",
                              key="paste-load", on_click=_on_paste)
    error = st.session_state.get(PASTE_PROBLEMS)
    if error is not None:
        from builder.keras_code import KerasCodeError
        lines = [safe.escape(line) for line in error.lines(lang)] \
            if isinstance(error, KerasCodeError) else [safe.error(error, lang)]
        st.error(t("build.paste_failed", lang) + "\n\n" + "\n".join(f"- {line}" for line in lines),
                 icon=":material/error:")


def _on_paste() -> None:
    from builder.keras_code import from_keras_code
    st.session_state[PASTE_PROBLEMS] = None
    try:
        state.load(from_keras_code(st.session_state.get(PASTE_KEY) or ""))
        _say("success", t("build.paste_loaded", language.current()))
    except LabError as exc:
        st.session_state[PASTE_PROBLEMS] = exc


def share_link(lang: str) -> None:
    base = (st.context.url or "").split("?")[0]
    url = share.link(base, state.architecture(), state.dataset().name)
    st.caption(t("build.share_help", lang))
    st.code(url, language=None, wrap_lines=True)
    st.link_button(t("build.share_open", lang), url, icon=":material/link:")


def code(lang: str) -> None:
    """The script (shown, and to download) and the same code as a notebook to download."""
    from builder.codegen import export_script
    from builder.notebook import export_notebook
    arch, dataset, settings = state.architecture(), state.dataset().name, state.settings()
    try:
        script = export_script(arch, dataset, settings, lang)
    except LabError as exc:
        st.info(safe.error(exc, lang), icon=":material/info:")
        return
    stem = file_stem(arch)
    left, right = st.columns(2)
    left.download_button(t("build.save_script", lang), script, f"{stem}.py", mime="text/x-python",
                         icon=":material/download:", key="save-script")
    right.download_button(t("build.save_notebook", lang),
                          lambda: export_notebook(arch, dataset, settings, lang), f"{stem}.ipynb",
                          mime="application/x-ipynb+json", icon=":material/description:",
                          key="save-notebook", on_click="ignore")
    st.code(script, language="python", line_numbers=True)


def _keras_download(arch: Architecture, stem: str, lang: str) -> None:
    from builder.keras_json import to_keras_json
    try:
        text = to_keras_json(arch)
    except LabError as exc:
        st.caption(safe.error(exc, lang))
        return
    st.download_button(t("build.save_keras", lang), text, f"{stem}.keras.json",
                       mime="application/json", icon=":material/download:", key="save-keras")


def _on_upload() -> None:
    upload, lang = st.session_state.get(UPLOAD_KEY), language.current()
    if upload is None:
        return
    try:
        state.load(read_upload(upload.getvalue(), upload.name.lower().endswith(".py")))
        _say("success", t("build.loaded", lang, name=safe.escape(upload.name)))
    except LabError as exc:
        _say("error", t("build.load_failed", lang, name=safe.escape(upload.name),
                        reason=safe.error(exc, lang)))


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE] = (kind, text)
