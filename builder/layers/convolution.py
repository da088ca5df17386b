"""Convolution layers: learned filters slid over the image."""
from __future__ import annotations

from builder import rules
from builder.layers.base import (ACTIVATION, IMAGE_ONLY, KERAS_LINEAR, PADDING, USE_BIAS, LayerType,
                                 Lines, bias_text, int_param, params_text, size_param, text,
                                 window_lines)


def _window(p: dict) -> tuple:
    return tuple(p["kernel_size"]), tuple(p["strides"])


def _conv_worked(p: dict, row, lang: str) -> Lines:
    kh, kw = p["kernel_size"]
    params = (f"({kh}·{kw}·{row.input_shape[-1]}{bias_text(p)})·{p['filters']} = "
              f"{params_text(row.params, lang)}")
    return [params, *window_lines(row, p["kernel_size"], p["strides"], p["padding"])]


CONV2D = LayerType(
    "Conv2D", "convolution",
    (int_param("filters", 32, 1, 4096), size_param("kernel_size", 3, 31), size_param("strides", 1, 16),
     PADDING, ACTIVATION, USE_BIAS),
    shape=lambda s, p: rules.window_shape(s, *_window(p), p["padding"], p["filters"]),
    weights=lambda s, p: (rules.conv_weights(s, _window(p)[0], p["filters"], p["use_bias"]), 0),
    flops=lambda i, o, p: rules.conv_flops(o, _window(p)[0], i[-1]),
    worked=_conv_worked,
    key_params=("filters", "kernel_size", "strides", "activation"),
    keras_fixed={**IMAGE_ONLY, "dilation_rate": (1, [1, 1], (1, 1)), "groups": (1,)},
    keras_call=("filters", "kernel_size"),
    keras_defaults={"strides": [1, 1], "padding": "valid", **KERAS_LINEAR},
    explain=text(
        "Slides small learned filters over the image; each filter finds one local pattern "
        "(an edge, a corner, later whole parts) and writes a feature map. The workhorse of "
        "image models.",
        "작은 필터를 이미지 위로 움직이며 학습합니다. 필터마다 한 가지 지역 패턴(모서리, 꼭짓점, "
        "나중에는 물체의 부분)을 찾아 특징 맵을 만듭니다. 이미지 모델의 핵심 레이어입니다."),
    formula=text("out = ⌊(n − k + 2·pad) / stride⌋ + 1; params = (k·k·C_in + 1)·filters",
                 "출력 = ⌊(n − k + 2·패딩) / 보폭⌋ + 1; 파라미터 = (k·k·C_입력 + 1)·필터 수"),
)

TYPES = (CONV2D,)
