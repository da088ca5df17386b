"""The fixed split of a test set into a public and a private half, as in Kaggle
competitions: the same for every run, every student and every page (seeded)."""
from __future__ import annotations

import numpy as np

SEED = 20_240_515


def public_half(n: int) -> np.ndarray:
    """A boolean mask over ``n`` test images: True for the public half (fixed seed)."""
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(SEED).permutation(n)[: n // 2]] = True
    return mask
