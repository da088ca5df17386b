"""Pure shape, parameter and FLOPs rules, one small function each.

Shapes never include the batch dimension: an image is ``(H, W, C)``, a vector ``(N,)``.
A rule that cannot apply raises :class:`ShapeError` carrying a message code from the
translation table and the actual numbers, so the message can say "a 3×3 kernel does not
fit a 2×2 map" instead of "negative dimension".
"""
from __future__ import annotations

from math import prod

from builder.errors import LabError

Shape = tuple[int, ...]


class ShapeError(LabError):
    """A layer cannot be applied to its input shape; ``code`` names the message."""


def require_image(shape: Shape) -> tuple[int, int, int]:
    """Layers that slide over an image need a 3-D ``(H, W, C)`` input."""
    if len(shape) != 3:
        raise ShapeError("needs_image", shape=shape)
    return shape[0], shape[1], shape[2]


def window_length(n: int, k: int, s: int, padding: str) -> int:
    """Output length of a sliding window (convolution or pooling) along one axis.

    ``valid``: ⌊(n − k) / s⌋ + 1, and the window must fit (n ≥ k).
    ``same``:  ⌈n / s⌉ (zero padding keeps every position).
    """
    if padding == "same":
        return -(-n // s)
    if n < k:
        raise ShapeError("window_too_big", n=n, k=k)
    return (n - k) // s + 1


def window_shape(shape: Shape, kernel: tuple[int, int], strides: tuple[int, int],
                 padding: str, channels: int | None = None) -> Shape:
    """Output ``(H', W', C')`` of a 2-D window; ``channels`` replaces C when given."""
    h, w, c = require_image(shape)
    try:
        out_h = window_length(h, kernel[0], strides[0], padding)
        out_w = window_length(w, kernel[1], strides[1], padding)
    except ShapeError:
        raise ShapeError("kernel_too_big", kh=kernel[0], kw=kernel[1], h=h, w=w) from None
    return out_h, out_w, c if channels is None else channels


def dense_shape(shape: Shape, units: int) -> Shape:
    """Dense acts on the last axis: ``(..., N) → (..., units)``."""
    if not shape:
        raise ShapeError("needs_features", shape=shape)
    return (*shape[:-1], units)


def flatten_shape(shape: Shape) -> Shape:
    """Flatten: ``(H, W, C) → (H·W·C,)``."""
    return (prod(shape),)


def global_pool_shape(shape: Shape) -> Shape:
    """Global pooling keeps one number per channel: ``(H, W, C) → (C,)``."""
    return (require_image(shape)[2],)


def image_unchanged(shape: Shape) -> Shape:
    """Augmentation layers change pixels, not the shape; they need an image."""
    require_image(shape)
    return shape


def conv_weights(shape: Shape, kernel: tuple[int, int], filters: int, bias: bool) -> int:
    """Conv2D parameters: (kh·kw·C_in + 1)·filters, without the +1 when there is no bias."""
    return (kernel[0] * kernel[1] * shape[-1] + int(bias)) * filters


def dense_weights(shape: Shape, units: int, bias: bool) -> int:
    """Dense parameters: (N_in + 1)·units, without the +1 when there is no bias."""
    return (shape[-1] + int(bias)) * units


def conv_flops(out: Shape, kernel: tuple[int, int], in_channels: int) -> int:
    """Multiply-adds of Conv2D: H'·W'·filters·kh·kw·C_in."""
    return prod(out) * kernel[0] * kernel[1] * in_channels


def dense_flops(shape: Shape, units: int) -> int:
    """Multiply-adds of Dense: (positions)·N_in·units."""
    return prod(shape) * units


def pool_flops(out: Shape, pool: tuple[int, int]) -> int:
    """Operations of a pooling window: H'·W'·C·ph·pw."""
    return prod(out) * pool[0] * pool[1]


def merge_shape(shapes: list[Shape], mode: str) -> Shape:
    """Merge parallel paths. ``add``: all shapes equal. ``concatenate``: equal except the
    last axis, which is summed (C₁ + C₂ + …)."""
    first = shapes[0]
    if mode == "add":
        for i, other in enumerate(shapes[1:], start=2):
            if other != first:
                raise ShapeError("add_mismatch", a=first, b=other, path_a=1, path_b=i)
        return first
    for i, other in enumerate(shapes[1:], start=2):
        if len(other) != len(first) or other[:-1] != first[:-1]:
            raise ShapeError("concat_mismatch", a=first, b=other, path_a=1, path_b=i)
    return (*first[:-1], sum(s[-1] for s in shapes))


def projection_strides(inp: Shape, out: Shape) -> tuple[int, int] | None:
    """Strides of the 1×1 shortcut projection that maps ``inp`` onto ``out``'s size.

    With padding 'same' a stride s gives ⌈n / s⌉, so we look for the s per axis with
    ⌈n_in / s⌉ = n_out. ``None`` when no stride fits (e.g. 28 → 26 after a 'valid' conv).
    """
    if len(inp) != 3 or len(out) != 3:
        return None
    strides = []
    for n_in, n_out in zip(inp[:2], out[:2]):
        fitting = [s for s in range(1, n_in + 1) if -(-n_in // s) == n_out]
        if not fitting:
            return None
        strides.append(fitting[0])
    return strides[0], strides[1]
