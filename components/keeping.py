"""Where a person's model is kept between visits, and "My models".

Outside class mode the model lives in the tab's URL (``?a=…&d=…``, like its share link),
written the moment it changes, so a refresh or a bookmark brings it back. In class mode
each member's current model, its dataset and the Train settings are saved in the store
as they edit (:mod:`builder.store.drafts`): the class link, a new tab, another page or a
refresh start on it. The URL then carries no model, so an old tab cannot bring an old
model back over a newer one; a share link still opens (and becomes the current model).
A member also keeps named models: save, open, delete (only their own).
"""
from __future__ import annotations

import streamlit as st

from builder.access import Actor
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.text import t
from components import identity, safe, services, state
from components.lang import current as current_language

ATTACHED = "kept_for"        # the member whose current model this session shows
NAME_KEY, PICK_KEY = "my_model_name", "my_model_pick"
MESSAGE = "my_models_message"


def member() -> Actor | None:
    """The class member using this session (NOBODY before joining); None outside class mode."""
    return identity.current_actor() if identity.class_mode() else None


def keep() -> None:
    """Keep the current model where this session's next visit finds it."""
    actor = member()
    if actor is None:
        from components import files
        files.keep_in_url()
    elif actor.name and st.session_state.get(ATTACHED) == actor.name:
        try:
            services.store().save_model(actor.name, state.architecture(), state.dataset().name,
                                        _chosen(), actor=actor)
        except LabError as exc:
            st.toast(safe.escape(exc.text(current_language())), icon=":material/error:")


def keep_in_url() -> None:
    """After a script run: outside class mode, the URL holds the model (also the first one)."""
    if member() is None:
        from components import files
        files.keep_in_url()


def attach(actor: Actor) -> None:
    """Class mode, every run: the first time this session knows ``actor``, it opens their
    current model (or keeps the session's when they have none yet)."""
    if not actor.name or st.session_state.get(ATTACHED) == actor.name:
        return
    st.session_state[ATTACHED] = actor.name
    try:
        kept = services.store().saved_model(actor.name, actor=actor)
    except LabError:
        return
    if kept is None:
        keep()
    else:
        _open(kept)


def my_models(lang: str) -> None:
    """Save the current model under a name, open or delete a kept one (class members)."""
    actor = member()
    if actor is None or not actor.name:
        return
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind:
        getattr(st, kind)(text)
    store = services.store()
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("build.model_name", lang), key=NAME_KEY,
                        value=state.architecture().name)
    save_col.button(t("build.model_save", lang), icon=":material/bookmark_add:", key="my_model_save",
                    on_click=_save, args=(actor, lang), width="stretch")
    kept = {d.name: d for d in store.saved_models(actor.name, actor=actor)}
    if not kept:
        st.caption(t("build.models_none", lang))
        return
    pick_col, open_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick_col.selectbox(t("build.my_models", lang), list(kept), key=PICK_KEY,
                       format_func=lambda n: t("build.model_line", lang, name=n,
                                               dataset=_title(kept[n].dataset, lang)))
    open_col.button(t("build.model_open", lang), icon=":material/folder_open:", key="my_model_open",
                    on_click=_pick, args=(actor, "open", lang), width="stretch")
    delete_col.button(t("build.model_delete", lang), icon=":material/delete:", key="my_model_delete",
                      on_click=_pick, args=(actor, "delete", lang), width="stretch")


def _save(actor: Actor, lang: str) -> None:
    name = st.session_state.get(NAME_KEY, "")
    try:
        services.store().save_model(actor.name, state.architecture(), state.dataset().name,
                                    _chosen(), name=name, actor=actor)
    except LabError as exc:
        st.session_state[MESSAGE] = ("error", safe.error(exc, lang))
        return
    st.session_state[MESSAGE] = ("success", t("build.model_saved", lang, name=safe.escape(name.strip())))


def _pick(actor: Actor, action: str, lang: str) -> None:
    name = st.session_state.get(PICK_KEY)
    store = services.store()
    try:
        if action == "delete":
            store.delete_model(actor.name, name, actor=actor)
            st.session_state[MESSAGE] = ("success", t("build.model_deleted", lang, name=safe.escape(name)))
            return
        kept = store.saved_model(actor.name, name, actor=actor)
        if kept is None:
            raise LabError("model_missing", name=name)
    except LabError as exc:
        st.session_state[MESSAGE] = ("error", safe.error(exc, lang))
        return
    state.load(kept.architecture, kept.dataset if kept.dataset in DATASETS else None)
    if kept.settings is not None:
        state.keep_settings(kept.settings)
    st.session_state[MESSAGE] = ("success", t("build.model_opened", lang, name=safe.escape(name)))


def _chosen():
    """The Train settings this person chose (None before they opened the Train form)."""
    return st.session_state.get(state.SETTINGS)


def _open(kept) -> None:
    dataset = kept.dataset if kept.dataset in DATASETS else state.dataset().name
    state.restore(kept.architecture, dataset, kept.settings)


def _title(dataset: str, lang: str) -> str:
    info = DATASETS.get(dataset)
    return info.title[lang] if info else dataset
