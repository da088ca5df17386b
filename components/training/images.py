"""Showing dataset images: enlarged by whole pixels (small images stay sharp), with captions."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import streamlit as st

SIDE = 72  # displayed size in pixels


def viewable(image: np.ndarray, side: int = SIDE) -> np.ndarray:
    """uint8 H×W (grey), H×W×3 or H×W×4 for st.image, each pixel repeated to reach ``side``."""
    if image.ndim == 3 and image.shape[2] in (1, 2):
        image = image[..., 0]
    scale = max(1, side // max(image.shape[:2]))
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def gallery(images: Sequence[np.ndarray], captions: Sequence[str]) -> None:
    """A wrapping row of images with a caption under each."""
    if len(images):
        st.image([viewable(i) for i in images], caption=list(captions), width=SIDE)
