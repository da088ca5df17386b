"""*Vary this* on the Build page: the selected layer's parameter becomes an experiment's
knob, set up on the Compare page's Experiment tab (which reads :data:`PENDING`).

Kept apart from that tab's module, so the Build page loads neither pandas nor its charts."""
from __future__ import annotations

import streamlit as st

from builder import edits
from builder import experiments as ex
from builder.layers import layer_type
from builder.text import t
from components import state

COMPARE_PAGE = "pages/compare.py"
PENDING = "exp_pending"  # {"knob": …, "values": …} for the Experiment tab


def vary_this(lang: str) -> None:
    """A small popover under the layer editor (nothing when no layer with parameters is
    selected): pick the parameter and values, then open the experiment's preview."""
    address = state.selected()
    if address is None:
        return
    arch = state.architecture()
    kind = layer_type(edits.get(arch, address).type)
    if kind is None or not kind.params:
        return
    with st.popover(t("experiment.vary_this", lang), icon=":material/science:"):
        name = st.selectbox(t("experiment.vary_param", lang), [p.name for p in kind.params],
                            key="vary_param")
        knob = ex.parse_knob(ex.knob_text(address, name), arch)
        values = st.text_input(t("experiment.values", lang),
                               ", ".join(ex.suggest_values(knob, arch, state.settings())),
                               key=f"vary_values_{state.revision()}_{knob.text}",
                               help=t("experiment.values_help", lang))
        if st.button(t("experiment.vary_go", lang), key="vary_go", type="primary",
                     icon=":material/arrow_forward:"):
            st.session_state[PENDING] = {"knob": knob.text, "values": values}
            st.switch_page(COMPARE_PAGE)
