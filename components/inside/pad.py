"""The drawing pad: a small Streamlit Custom Components v2 component (a canvas that takes
mouse, pen and touch strokes).

Python sends ``{height, width, texts}``; after every stroke the browser sends the drawing
as the model's H×W grey values (the ink centred as MNIST centres its digits), or None
after Clear. :func:`pad` returns it as a uint8 array, or None.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from builder.text import t
from components import custom

_component = custom.component("pad", Path(__file__).parent)


def pad(height: int, width: int, key: str, lang: str) -> np.ndarray | None:
    """Draw the pad; the current drawing as uint8 (height, width), or None."""
    texts = {name: t(f"inside.pad_{name}", lang) for name in ("clear", "hint", "label")}
    _component(key=key, data={"height": height, "width": width, "texts": texts},
               on_drawing_change=lambda: None)
    return drawing(st.session_state.get(key, {}).get("drawing"), height, width)


def drawing(value: Any, height: int, width: int) -> np.ndarray | None:
    """The browser's value as pixels; anything malformed counts as no drawing."""
    if not isinstance(value, dict) or value.get("height") != height or value.get("width") != width:
        return None
    pixels = value.get("pixels")
    if not isinstance(pixels, list) or len(pixels) != height * width:
        return None
    try:
        array = np.clip(np.asarray(pixels, dtype="float64"), 0, 255).astype("uint8")
    except (TypeError, ValueError):
        return None
    return array.reshape(height, width)
