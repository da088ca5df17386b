"""The parameter editor of the selected layer, with its explanation and worked formulas.

One native widget per layer-type parameter; choices come from the type's ``Param``
entries. Widget keys carry the model revision, so after any change (canvas, undo, fix)
the widgets are drawn fresh from the model.

Number fields take any number: a value outside the parameter's range is refused by its
layer type, visibly. The field shows the model's value again, a message next to it names
the refused value and the allowed range, and the Problems panel lists it (``refusal``)
until the next change of the model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from builder import edits
from builder.architecture import MAX_NAME, Address, Architecture, position
from builder.arithmetic import shortcut, worked
from builder.layers import LayerType, Param, block_type, layer_type
from builder.errors import LabError
from builder.text import t
from components import safe, state
from components.canvas.view import value_text

REFUSED = "editor_refused"
NAME = "__name"  # the refusal's "parameter" when a layer name is refused


@dataclass(frozen=True)
class Refusal:
    """A typed value its layer type refused; the model kept ``kept``."""

    address: Address
    param: str
    error: LabError
    kept: Any
    revision: int

    def markdown(self, lang: str) -> str:
        """The refusal as Markdown: the refused value's message and the kept value escaped."""
        return t("editor.refused", lang, detail=safe.error(self.error, lang),
                 kept=safe.escape(value_text(self.kept)))


def refusal() -> Refusal | None:
    """The value refused since the model last changed, if any."""
    refused = st.session_state.get(REFUSED)
    return refused if refused is not None and refused.revision == state.revision() else None


def editor(lang: str) -> None:
    """The selected layer's settings, or a hint to select one."""
    address = state.selected()
    with st.container(key="layer-editor"):
        st.subheader(t("build.layer_settings", lang), anchor=False)
        if address is None:
            st.info(t("build.select_hint", lang), icon=":material/touch_app:")
            return
        layer = edits.get(state.architecture(), address)
        kind = layer_type(layer.type)
        st.caption(position(address, layer.type, lang))
        _name_input(address, layer.name, lang)
        refused = refusal()
        if refused and refused.address == address and refused.param == NAME:
            st.error(refused.markdown(lang), icon=":material/block:")
        for param in kind.params:
            _param_input(address, param, layer.params.get(param.name), lang)
            if refused and refused.address == address and refused.param == param.name:
                st.error(refused.markdown(lang), icon=":material/block:")
        explanation(kind, address, lang)


def explanation(kind: LayerType, address: Address, lang: str) -> None:
    """What the layer does, its general formula, and the formula with this layer's numbers."""
    st.markdown(f"**{kind.name}** — {kind.explain[lang]}")
    row = state.report().row(address)
    block = block_type(kind.name)
    if block is not None and block.shortcut and row is not None and shortcut(row, lang):
        st.info(shortcut(row, lang), icon=":material/alt_route:")
    st.caption(t("build.formula", lang))
    st.code(kind.formula[lang], language=None, wrap_lines=True)
    lines = worked(state.architecture(), state.report(), address, lang)
    if lines:
        st.caption(t("build.worked", lang))
        st.code("\n".join(lines), language=None, wrap_lines=True)


def _key(address: Address, name: str, part: str = "") -> str:
    return f"param-{state.revision()}-{'.'.join(map(str, address))}-{name}{part}"


def _name_input(address: Address, name: str, lang: str) -> None:
    key = _key(address, NAME)
    st.text_input(t("build.layer_name", lang), value=name, max_chars=MAX_NAME, key=key,
                  on_change=_rename, args=(address, key))


def _param_input(address: Address, param: Param, value: Any, lang: str) -> None:
    label = param.name
    help_text = param.help.get(lang) if param.help else None
    if param.optional:
        auto_key = _key(address, param.name, ":auto")
        auto = st.checkbox(t("build.auto", lang, name=param.name), value=value is None,
                           key=auto_key, help=t("build.auto_help", lang),
                           on_change=_set_auto, args=(address, param, auto_key))
        if auto:
            return
    key = _key(address, param.name)
    change = dict(on_change=_set_param, args=(address, param, key), help=help_text)
    if param.kind == "choice":
        st.selectbox(label, param.choices, index=param.choices.index(value), key=key, **change)
    elif param.kind == "bool":
        st.toggle(label, value=value, key=key, **change)
    elif param.kind == "size":
        _size_input(param, value, key, change)
    elif param.kind == "int":
        st.number_input(_ranged(label, param), value=int(value), step=1, key=key, **change)
    else:
        st.number_input(_ranged(label, param), value=float(value), key=key,
                        step=_float_step(param), format="%g", **change)


def _size_input(param: Param, value: list[int], key: str, change: dict[str, Any]) -> None:
    left, right = st.columns(2)
    left.number_input(_ranged(f"{param.name} (H)", param), value=value[0], step=1, key=f"{key}:h", **change)
    right.number_input(_ranged(f"{param.name} (W)", param), value=value[1], step=1, key=f"{key}:w", **change)


def _ranged(label: str, param: Param) -> str:
    """The label with the allowed range, e.g. "filters (1–4096)": the field itself takes any
    number, so a value outside is refused by the layer type with a message, never clamped."""
    return f"{label} ({param.low:g}–{param.high:g})"


def _float_step(param: Param) -> float:
    return 0.01 if param.high - param.low <= 2 else 0.1


def fallback(param: Param) -> Any:
    """The value an optional parameter takes when "auto" is switched off: 1 (or 0.1), in bounds."""
    start = 0.1 if param.kind == "float" else 1
    value = min(max(start, param.low), param.high)
    return [int(value)] * 2 if param.kind == "size" else value


def _read(param: Param, key: str) -> Any:
    if param.kind == "size":
        return [st.session_state[f"{key}:h"], st.session_state[f"{key}:w"]]
    return st.session_state[key]


def _apply(address: Address, **params: Any) -> None:
    try:
        _commit_change(edits.set_params(state.architecture(), address, **params))
    except LabError as exc:
        (name, _), = params.items()
        kept = edits.get(state.architecture(), address).params.get(name)
        state.bump()
        st.session_state[REFUSED] = Refusal(address, name, exc, kept, state.revision())


def _commit_change(arch: Architecture) -> None:
    """Commit ``arch`` only when it differs. Streamlit can replay the change callbacks of
    widgets from an interrupted run; committing those no-ops would bump the revision and
    make the canvas drop the user's next click as stale."""
    if arch != state.architecture():
        state.commit(arch)


def _set_param(address: Address, param: Param, key: str) -> None:
    _apply(address, **{param.name: _read(param, key)})


def _set_auto(address: Address, param: Param, key: str) -> None:
    auto = st.session_state[key]
    _apply(address, **{param.name: None if auto else fallback(param)})


def _rename(address: Address, key: str) -> None:
    try:
        _commit_change(edits.rename(state.architecture(), address, st.session_state[key]))
    except LabError as exc:
        kept = edits.get(state.architecture(), address).name
        state.bump()
        st.session_state[REFUSED] = Refusal(address, NAME, exc, kept, state.revision())
