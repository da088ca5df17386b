"""The pictures both inside views draw: the input with its Grad-CAM and probabilities, and
one row of feature maps per layer (the recorded view and "Try your own input")."""
from __future__ import annotations

from typing import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from builder import inside
from builder.architecture import position
from builder.layers import shape_text
from builder.text import t
from components.inside import render


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
