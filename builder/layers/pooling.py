"""Pooling layers: windows that keep the largest or average value, and global pooling."""
from __future__ import annotations

from math import prod

from builder import rules
from builder.layers.base import (IMAGE_ONLY, PADDING, LayerType, Lines, shape_text, size_param,
                                 text, window_lines)


def _window(p: dict) -> tuple:
    return tuple(p["pool_size"]), tuple(p["strides"] or p["pool_size"])


def _pool_worked(p: dict, row, lang: str) -> Lines:
    return window_lines(row, p["pool_size"], p["strides"] or p["pool_size"], p["padding"])


def _keras_read(params: dict) -> dict:
    """Keras writes the default stride (= pool size) out; LayerLab keeps it empty."""
    if "pool_size" in params and params.get("strides") == params["pool_size"]:
        return {**params, "strides": None}
    return params


def _pooling(name: str, verb_en: str, verb_ko: str) -> LayerType:
    return LayerType(
        name, "pooling",
        (size_param("pool_size", 2, 16), size_param("strides", None, 16, optional=True), PADDING),
        shape=lambda s, p: rules.window_shape(s, *_window(p), p["padding"]),
        flops=lambda i, o, p: rules.pool_flops(o, _window(p)[0]),
        worked=_pool_worked, keras_read=_keras_read,
        key_params=("pool_size",),
        keras_fixed=IMAGE_ONLY, keras_defaults={"strides": None, "padding": "valid"},
        keras_positional=("pool_size", "strides", "padding"),
        explain=text(
            f"Slides a window over each channel and keeps its {verb_en}, shrinking the map "
            "(2×2 halves height and width). No weights to learn; it makes the model cheaper and "
            "more tolerant of small shifts.",
            f"각 채널 위로 창을 움직이며 {verb_ko} 값을 남겨 특징 맵을 줄입니다(2×2면 가로·세로가 절반). "
            "학습할 가중치는 없고, 계산을 줄이며 작은 이동에 덜 민감하게 만듭니다."),
        formula=text("out = ⌊(n − pool + 2·pad) / stride⌋ + 1 (stride = pool when empty); 0 params",
                     "출력 = ⌊(n − 풀 + 2·패딩) / 보폭⌋ + 1 (보폭이 비면 풀 크기); 파라미터 0개"),
        role="pooling",
    )


def _global_pool(name: str, verb_en: str, verb_ko: str) -> LayerType:
    return LayerType(
        name, "pooling", (), shape=lambda s, p: rules.global_pool_shape(s),
        flops=lambda i, o, p: prod(i),
        worked=lambda p, row, lang: [shape_text(row.input_shape) + f" → {row.output_shape[0]}"],
        keras_fixed={**IMAGE_ONLY, "keepdims": (False,)},
        explain=text(
            f"Takes the {verb_en} of each whole channel, turning an H×W×C map into C numbers. "
            "A light alternative to Flatten before the classifier.",
            f"채널 전체의 {verb_ko} 값을 취해 H×W×C 맵을 C개의 숫자로 만듭니다. "
            "분류기 앞에서 Flatten 대신 쓰는 가벼운 방법입니다."),
        formula=text("(H, W, C) → (C,); 0 params", "(H, W, C) → (C,); 파라미터 0개"),
        role="global_pooling",
    )


TYPES = (
    _pooling("MaxPooling2D", "largest value", "가장 큰"),
    _pooling("AveragePooling2D", "average", "평균"),
    _global_pool("GlobalAveragePooling2D", "average", "평균"),
    _global_pool("GlobalMaxPooling2D", "largest value", "가장 큰"),
)
