"""Pictures of what a layer made of an image: NumPy only, no Streamlit.

Tiles of one layer share the layer's value range (a dead channel stays dark next to a
busy one); a large view gets its own range; Grad-CAM is drawn over the image in colour.
"""
from __future__ import annotations

import numpy as np

TILE = 56       # displayed tile size in pixels
STRONGEST = 16  # tiles shown before "show all"


def strongest(maps: np.ndarray, count: int = STRONGEST) -> np.ndarray:
    """Channel indices of ``maps`` (h, w, c), the highest mean activation first."""
    return np.argsort(-maps.mean(axis=(0, 1)), kind="stable")[:count]


def grey(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values mapped to uint8 0–255 between ``low`` and ``high``."""
    span = high - low if high > low else 1.0
    return np.clip(np.rint((values - low) / span * 255), 0, 255).astype("uint8")


def enlarge(image: np.ndarray, side: int = TILE) -> np.ndarray:
    """Repeat whole pixels so the longer side reaches about ``side`` (small maps stay sharp)."""
    scale = max(1, side // max(image.shape[:2]))
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def tiles(maps: np.ndarray, channels: np.ndarray, side: int = TILE) -> list[np.ndarray]:
    """One enlarged grey tile per chosen channel, all on the layer's common range."""
    low, high = float(maps.min()), float(maps.max())
    return [enlarge(grey(maps[..., c], low, high), side) for c in channels]


def picture(image: np.ndarray, side: int = 112) -> np.ndarray:
    """A dataset image (H, W, 1|3 uint8) ready for ``st.image``."""
    shown = image[..., 0] if image.shape[-1] == 1 else image
    return enlarge(shown, side)


def kernel_tiles(kernels: np.ndarray, side: int = 40) -> list[np.ndarray]:
    """The first Conv2D's filters (kh, kw, cin, cout): RGB when cin is 3, else the mean."""
    low, high = float(kernels.min()), float(kernels.max())
    out = []
    for k in range(kernels.shape[-1]):
        w = kernels[..., k]
        w = w if w.shape[-1] == 3 else w.mean(axis=-1)
        out.append(enlarge(grey(w, low, high), side))
    return out


def heat_colours(cam: np.ndarray) -> np.ndarray:
    """uint8 (h, w) heat → RGB from dark blue through green and yellow to red."""
    x = cam.astype("float32") / 255.0
    red = np.clip(1.5 - np.abs(4 * x - 3), 0, 1)
    green = np.clip(1.5 - np.abs(4 * x - 2), 0, 1)
    blue = np.clip(1.5 - np.abs(4 * x - 1), 0, 1)
    return (np.stack([red, green, blue], axis=-1) * 255).astype("uint8")


def overlay(image: np.ndarray, cam: np.ndarray, side: int = 112, alpha: float = 0.45) -> np.ndarray:
    """The heat map stretched over the image (nearest blocks, then whole-pixel enlarged)."""
    height, width = image.shape[:2]
    rows = np.minimum((np.arange(height) * cam.shape[0]) // height, cam.shape[0] - 1)
    cols = np.minimum((np.arange(width) * cam.shape[1]) // width, cam.shape[1] - 1)
    heat = heat_colours(cam[rows][:, cols]).astype("float32")
    base = image.astype("float32")
    base = np.repeat(base, 3, axis=-1) if base.shape[-1] == 1 else base
    return enlarge(((1 - alpha) * base + alpha * heat).astype("uint8"), side)
