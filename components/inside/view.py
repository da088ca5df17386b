"""The "Inside the model" view: feature maps, kernels, Grad-CAM and probabilities of the
probe images, epoch by epoch, for one run (Train page) or two side by side (Compare).

Reads the run's ``inside`` recordings (NumPy only: the server never loads TensorFlow);
"Try your own input" lives in :mod:`components.inside.own`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from builder import inside
from builder.architecture import position
from builder.errors import LabError
from builder.layers import shape_text
from builder.store import Run, Store
from builder.text import t
from components import safe
from components.inside import render

EXPLAINED = ("feature_map", "shrink", "heat")


def section(run: Run, store: Store, lang: str) -> None:
    """Train page: the recorded view of ``run`` and "Try your own input"."""
    from components.inside import own
    st.subheader(t("inside.title", lang), anchor=False)
    explain(lang)
    try:
        recorded = load(store, run.id)
    except LabError as exc:
        st.info(safe.error(exc, lang))
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


def overview(picture: np.ndarray, cam: np.ndarray | None, probabilities: np.ndarray,
             names: list[str], lang: str, key: str) -> None:
    """The input, the Grad-CAM overlay and the probability bars in one row."""
    guess = int(np.argmax(probabilities))
    image_col, cam_col, bars_col = st.columns([1, 1, 2])
    image_col.image(render.picture(picture), caption=t("inside.input", lang))
    if cam is not None:
        cam_col.image(render.overlay(picture, cam), caption=t("inside.cam", lang, name=names[guess]))
        cam_col.caption(t("inside.cam_help", lang))
    else:
        cam_col.caption(t("inside.no_cam", lang))
    with bars_col:
        st.plotly_chart(probability_figure(probabilities, names, lang), key=key,
                        config={"displayModeBar": False})


def probability_figure(probabilities: np.ndarray, names: list[str], lang: str) -> go.Figure:
    guess = int(np.argmax(probabilities))
    colours = ["#e4572e" if i == guess else "#8da0cb" for i in range(len(names))]
    figure = go.Figure(go.Bar(x=probabilities, y=names, orientation="h", marker_color=colours,
                              text=[f"{p:.0%}" for p in probabilities], textposition="outside",
                              hovertemplate="%{y}: %{x:.2%}<extra></extra>"))
    figure.update_layout(height=40 + 22 * len(names), margin=dict(l=0, r=30, t=24, b=0),
                         title=dict(text=t("inside.probabilities", lang), font_size=13),
                         xaxis=dict(range=[0, 1.15], tickformat=".0%", showgrid=False),
                         yaxis=dict(autorange="reversed", type="category"))
    return figure


def layer_label(spot: inside.Spot, lang: str) -> str:
    """As the Build canvas names it: position and type, the user's name, the output shape."""
    name = f" · {spot.name}" if spot.name else ""
    return f"{position(spot.address, spot.type, lang)}{name} → {'×'.join(map(str, spot.shape))}"


def layer_rows(layers: list[inside.Spot], maps_of: Callable[[int], np.ndarray], lang: str,
               key: str, kernels: np.ndarray | None = None, kernel_layer: int | None = None) -> None:
    """One row per recorded layer (the strongest tiles, or all), then a large view."""
    show_all = st.toggle(t("inside.show_all", lang), key=f"{key}_all")
    for i, spot in enumerate(layers):
        maps = maps_of(i)
        label_col, tiles_col = st.columns([1, 4], vertical_alignment="center")
        label_col.markdown(f"**{layer_label(spot, lang)}**")
        if spot.stored != spot.shape:
            label_col.caption(t("inside.stored", lang, shape=shape_text(spot.stored)))
        channels = (np.arange(maps.shape[-1]) if show_all
                    else render.strongest(maps))
        tiles_col.image(render.tiles(maps, channels), caption=[f"#{c + 1}" for c in channels],
                        width=render.TILE)
        if i == kernel_layer and kernels is not None:
            tiles_col.caption(t("inside.kernels", lang))
            tiles_col.image(render.kernel_tiles(kernels[..., :render.STRONGEST if not show_all else None]),
                            width=40)
    large_view(layers, maps_of, lang, key)


def large_view(layers: list[inside.Spot], maps_of: Callable[[int], np.ndarray], lang: str,
               key: str) -> None:
    """One map of one layer, big, with its value range and a value on hover."""
    layer_col, channel_col = st.columns(2)
    layer = layer_col.selectbox(t("inside.large_layer", lang), range(len(layers)),
                                format_func=lambda i: layer_label(layers[i], lang),
                                key=f"{key}_large_layer")
    maps = maps_of(layer)
    channel = channel_col.selectbox(t("inside.large_channel", lang), range(maps.shape[-1]),
                                    format_func=lambda c: f"#{c + 1}", key=f"{key}_large_channel")
    values = maps[..., min(channel, maps.shape[-1] - 1)]
    figure = go.Figure(go.Heatmap(z=values, colorscale="gray", hovertemplate="%{z:.3f}<extra></extra>"))
    figure.update_layout(height=320, width=360, margin=dict(l=0, r=0, t=0, b=0),
                         yaxis=dict(autorange="reversed", scaleanchor="x", visible=False),
                         xaxis=dict(visible=False))
    st.plotly_chart(figure, key=f"{key}_large", config={"displayModeBar": False})
    st.caption(t("inside.range", lang, low=f"{values.min():.3g}", high=f"{values.max():.3g}"))
