"""Convolution layers: learned filters slid over the image (plain, depthwise, separable,
transposed)."""
from __future__ import annotations

from math import prod

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
    keras_positional=("filters", "kernel_size", "strides", "padding"),
    keras_defaults={"strides": [1, 1], "padding": "valid", **KERAS_LINEAR},
    explain=text(
        "Slides small learned filters over the image; each filter finds one local pattern "
        "(an edge, a corner, later whole parts) and writes a feature map. The workhorse of "
        "image models.",
        "작은 필터를 이미지 위로 움직이며 학습합니다. 필터마다 한 가지 지역 패턴(모서리, 꼭짓점, "
        "나중에는 물체의 부분)을 찾아 특징 맵을 만듭니다. 이미지 모델의 핵심 레이어입니다."),
    formula=text("out = ⌊(n − k + 2·pad) / stride⌋ + 1; params = (k·k·C_in + 1)·filters",
                 "출력 = ⌊(n − k + 2·패딩) / 보폭⌋ + 1; 파라미터 = (k·k·C_입력 + 1)·필터 수"),
                 role="convolution",
)

DEPTH_MULTIPLIER = int_param("depth_multiplier", 1, 1, 64)
DEPTHWISE_FIXED = {**IMAGE_ONLY, "dilation_rate": (1, [1, 1], (1, 1))}
# Keras's defaults of DepthwiseConv2D and SeparableConv2D
DEPTHWISE_DEFAULTS = {"strides": [1, 1], "padding": "valid", "depth_multiplier": 1, **KERAS_LINEAR}


def _depthwise_weights(s: tuple, p: dict) -> int:
    """One k×k filter per input channel and multiplier: kh·kw·C_in·m (+ C_in·m biases)."""
    kh, kw = p["kernel_size"]
    return (kh * kw + int(p["use_bias"])) * s[-1] * p["depth_multiplier"]


def _depthwise_worked(p: dict, row, lang: str) -> Lines:
    kh, kw = p["kernel_size"]
    m = p["depth_multiplier"]
    params = f"({kh}·{kw}{bias_text(p)})·{row.input_shape[-1]}·{m} = {params_text(row.params, lang)}"
    return [params, *window_lines(row, p["kernel_size"], p["strides"], p["padding"])]


DEPTHWISE = LayerType(
    "DepthwiseConv2D", "convolution",
    (size_param("kernel_size", 3, 31), size_param("strides", 1, 16), PADDING, DEPTH_MULTIPLIER,
     ACTIVATION, USE_BIAS),
    shape=lambda s, p: rules.window_shape(s, *_window(p), p["padding"],
                                          rules.require_image(s)[2] * p["depth_multiplier"]),
    weights=lambda s, p: (_depthwise_weights(s, p), 0),
    flops=lambda i, o, p: prod(o) * prod(p["kernel_size"]),
    worked=_depthwise_worked,
    key_params=("kernel_size", "strides", "depth_multiplier"),
    keras_fixed=DEPTHWISE_FIXED, keras_call=("kernel_size",),
    keras_defaults=DEPTHWISE_DEFAULTS,
    explain=text(
        "Like Conv2D, but each input channel gets its own small filter and channels are never "
        "mixed: far fewer weights. Used (followed by a 1×1 Conv2D) in mobile networks.",
        "Conv2D와 비슷하지만 입력 채널마다 따로 작은 필터를 쓰고 채널을 섞지 않아 가중치가 훨씬 적습니다. "
        "(뒤에 1×1 Conv2D를 붙여) 모바일용 신경망에서 씁니다."),
    formula=text("out = ⌊(n − k + 2·pad) / stride⌋ + 1, C_out = C_in·m; params = (k·k + 1)·C_in·m",
                 "출력 = ⌊(n − k + 2·패딩) / 보폭⌋ + 1, C_출력 = C_입력·m; 파라미터 = (k·k + 1)·C_입력·m"),
                 role="depthwise",
)


def _separable_weights(s: tuple, p: dict) -> int:
    """Depthwise kh·kw·C_in·m, then pointwise C_in·m·filters (+ filters biases)."""
    kh, kw = p["kernel_size"]
    inner = s[-1] * p["depth_multiplier"]
    return kh * kw * inner + inner * p["filters"] + int(p["use_bias"]) * p["filters"]


def _separable_worked(p: dict, row, lang: str) -> Lines:
    kh, kw = p["kernel_size"]
    inner = f"{row.input_shape[-1]}·{p['depth_multiplier']}"
    bias = f" + {p['filters']}" if p["use_bias"] else ""
    params = f"{kh}·{kw}·{inner} + {inner}·{p['filters']}{bias} = {params_text(row.params, lang)}"
    return [params, *window_lines(row, p["kernel_size"], p["strides"], p["padding"])]


SEPARABLE = LayerType(
    "SeparableConv2D", "convolution",
    (int_param("filters", 32, 1, 4096), size_param("kernel_size", 3, 31), size_param("strides", 1, 16),
     PADDING, DEPTH_MULTIPLIER, ACTIVATION, USE_BIAS),
    shape=lambda s, p: rules.window_shape(s, *_window(p), p["padding"], p["filters"]),
    weights=lambda s, p: (_separable_weights(s, p), 0),
    flops=lambda i, o, p: prod(o[:2]) * i[-1] * p["depth_multiplier"] * (prod(p["kernel_size"])
                                                                         + p["filters"]),
    worked=_separable_worked,
    key_params=("filters", "kernel_size", "strides", "activation"),
    keras_fixed=DEPTHWISE_FIXED, keras_call=("filters", "kernel_size"),
    keras_defaults=DEPTHWISE_DEFAULTS,
    explain=text(
        "A depthwise convolution (one filter per channel) followed by a 1×1 convolution that "
        "mixes the channels: nearly what Conv2D does, with far fewer weights.",
        "채널마다 필터 하나인 깊이별 합성곱 뒤에 채널을 섞는 1×1 합성곱을 잇습니다. Conv2D와 거의 같은 일을 "
        "훨씬 적은 가중치로 합니다."),
    formula=text("params = k·k·C_in·m + C_in·m·filters + filters",
                 "파라미터 = k·k·C_입력·m + C_입력·m·필터 수 + 필터 수"),
                 role="convolution",
)


def _transpose_length(n: int, k: int, s: int, padding: str) -> int:
    """Keras's rule: 'same' gives n·s, 'valid' n·s + max(k − s, 0)."""
    return n * s + (max(k - s, 0) if padding == "valid" else 0)


def _transpose_shape(shape: tuple, p: dict) -> tuple:
    h, w, _ = rules.require_image(shape)
    (kh, kw), (sh, sw) = _window(p)
    return (_transpose_length(h, kh, sh, p["padding"]), _transpose_length(w, kw, sw, p["padding"]),
            p["filters"])


def _transpose_worked(p: dict, row, lang: str) -> Lines:
    kh, kw = p["kernel_size"]
    params = (f"({kh}·{kw}·{row.input_shape[-1]}{bias_text(p)})·{p['filters']} = "
              f"{params_text(row.params, lang)}")
    lines = []
    for axis, n, k, s in (("H", row.input_shape[0], kh, p["strides"][0]),
                          ("W", row.input_shape[1], kw, p["strides"][1])):
        extra = f" + max({k} − {s}, 0)" if p["padding"] == "valid" else ""
        lines.append(f"{axis}: {n}·{s}{extra} = {_transpose_length(n, k, s, p['padding'])}")
    return [params, *([lines[0][3:]] if lines[0][3:] == lines[1][3:] else lines)]


TRANSPOSE = LayerType(
    "Conv2DTranspose", "convolution",
    (int_param("filters", 32, 1, 4096), size_param("kernel_size", 3, 31), size_param("strides", 1, 16),
     PADDING, ACTIVATION, USE_BIAS),
    shape=_transpose_shape,
    weights=lambda s, p: (rules.conv_weights(s, _window(p)[0], p["filters"], p["use_bias"]), 0),
    flops=lambda i, o, p: prod(i) * prod(p["kernel_size"]) * p["filters"],
    worked=_transpose_worked,
    key_params=("filters", "kernel_size", "strides", "activation"),
    keras_fixed={**IMAGE_ONLY, "dilation_rate": (1, [1, 1], (1, 1)), "output_padding": (None,)},
    keras_call=("filters", "kernel_size"),
    keras_defaults={"strides": [1, 1], "padding": "valid", **KERAS_LINEAR},
    explain=text(
        "The reverse of a strided Conv2D: spreads each input value over a learned k×k patch, so "
        "the map grows (strides 2 doubles height and width). Used to upsample, e.g. in decoders.",
        "보폭이 있는 Conv2D의 반대입니다. 입력값 하나를 학습한 k×k 조각으로 펼쳐 특징 맵을 키웁니다"
        "(보폭 2면 가로·세로가 두 배). 디코더처럼 크기를 키울 때 씁니다."),
    formula=text("out = n·stride + max(k − stride, 0) ('valid'), n·stride ('same'); "
                 "params = (k·k·C_in + 1)·filters",
                 "출력 = n·보폭 + max(k − 보폭, 0) ('valid'), n·보폭 ('same'); "
                 "파라미터 = (k·k·C_입력 + 1)·필터 수"),
                 role="convolution",
)

TYPES = (CONV2D, DEPTHWISE, SEPARABLE, TRANSPOSE)
