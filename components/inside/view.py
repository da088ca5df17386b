"""The "Inside the model" view: feature maps, kernels, Grad-CAM and probabilities of the
probe images, epoch by epoch, for one run (Train page) or two side by side (Compare).

Reads the run's ``inside`` recordings (NumPy only: the server never loads TensorFlow);
"Try your own input" lives in :mod:`components.inside.own`.
"""
from __future__ import annotations

import streamlit as st

from builder import checkpoints, inside
from builder.errors import LabError
from builder.store import Run, Store
from builder.text import t
from components import safe
from components.inside import own
from components.inside.panels import layer_rows, overview

EXPLAINED = ("feature_map", "shrink", "heat")


def section(run: Run, store: Store, lang: str) -> None:
    """Train page: the recorded view of ``run`` and "Try your own input"."""
    st.subheader(t("inside.title", lang), anchor=False)
    explain(lang)
    try:
        recorded = load(store, run.id)
    except LabError as exc:
        stopped = checkpoints.stopped_early(run.results)
        st.info(t("inside.none_stopped", lang, **stopped) if stopped else safe.error(exc, lang))
    else:
        recorded_view(recorded, lang, key=f"inside_{run.id}")
    own.section(run, store, lang)


def compare(runs: list[Run], names: dict[int, str], chosen: list[Run], store: Store,
            lang: str) -> None:
    """Compare page: the same probe image for two runs side by side."""
    st.subheader(t("inside.compare_title", lang), anchor=False)
    recorded = [r.id for r in runs if store.artifact(r.id, inside.KIND) is not None]
    if not recorded:
        st.caption(t("inside.compare_none", lang))
        return
    default = [r.id for r in chosen if r.id in recorded][:2] or recorded[:1]
    picked = st.multiselect(t("inside.compare_pick", lang), recorded, default=default,
                            max_selections=2, format_func=lambda i: names.get(i, str(i)),
                            key="inside_compare_runs")
    if not picked:
        return
    explain(lang)
    try:
        shown = {run_id: load(store, run_id) for run_id in picked}
    except LabError as exc:
        st.info(safe.error(exc, lang))
        return
    count = min(len(s.labels) for s in shown.values())

    def label(i: int) -> str:  # "3" for two MNIST runs, "3 / cat" for MNIST and CIFAR-10
        names = [s.class_names[int(s.labels[i])] for s in shown.values()]
        return " / ".join(dict.fromkeys(names))

    image = st.radio(t("inside.image", lang), range(count), horizontal=True, format_func=label,
                     key="inside_compare_image")
    for column, run_id in zip(st.columns(len(picked)), picked):
        with column:
            st.markdown(f"**{safe.escape(names.get(run_id, str(run_id)))}**")
            recorded_view(shown[run_id], lang, key=f"inside_cmp_{run_id}", image=image)


def explain(lang: str) -> None:
    with st.expander(t("inside.explain", lang), icon=":material/school:"):
        for name in EXPLAINED:
            st.markdown(f"**{t(f'inside.what_{name}', lang)}** {t(f'inside.why_{name}', lang)}")


def load(store: Store, run_id: int) -> inside.Inside:
    """The run's recordings (cached while the file is unchanged); LabError when none."""
    path = store.artifact(run_id, inside.KIND)
    if path is None:
        raise LabError("no_inside", id=run_id)
    return _read(str(path), path.stat().st_mtime_ns, run_id)


@st.cache_resource(max_entries=6, show_spinner=False)
def _read(path: str, mtime: int, run_id: int) -> inside.Inside:
    from pathlib import Path
    return inside.read(Path(path), run_id)


def recorded_view(recorded: inside.Inside, lang: str, key: str, image: int | None = None) -> None:
    """Image picker, epoch slider, image / Grad-CAM / probabilities, then one row per layer."""
    names = recorded.class_names
    if image is None:
        image = st.radio(t("inside.image", lang), range(len(recorded.labels)), horizontal=True,
                         format_func=lambda i: names[int(recorded.labels[i])], key=f"{key}_image")
    best = recorded.best_epoch
    epochs = recorded.epochs
    default = best if best in epochs else epochs[-1]
    epoch = epochs[0] if len(epochs) == 1 else st.select_slider(
        t("inside.epoch", lang), epochs, value=default, key=f"{key}_epoch",
        format_func=lambda e: f"{e} ★" if e == best else str(e), help=t("inside.epoch_help", lang))
    at = epochs.index(epoch)
    cam = recorded.cam[at, image] if recorded.cam is not None else None
    overview(recorded.images[image], cam, recorded.probabilities[at, image], names, lang,
             key=f"{key}_probs")
    kernels = recorded.kernels[at] if recorded.kernels is not None else None
    layer_rows(recorded.layers, lambda i: recorded.feature_maps(i, at, image), lang, key,
               kernels=kernels, kernel_layer=recorded.kernel_layer)
