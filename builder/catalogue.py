"""Kept for existing imports: the layer types now live in :mod:`builder.layers`."""
from builder.layers import *  # noqa: F401,F403
from builder.layers import __all__  # noqa: F401
