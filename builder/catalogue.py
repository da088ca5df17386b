"""The layer catalogue: the one place a layer type is defined.

Each :class:`LayerType` holds its parameters (defaults, bounds, choices), its shape,
parameter and FLOPs rules, its Keras mapping and its explanation in Korean and English.
The palette, the parameter editor, the analysis, the Keras builder, the code export, the
JSON loaders and the docs all read this table; adding a layer type here is enough.

Parameter names are Keras constructor argument names, so the Keras mapping of a layer
is its parameters, with sizes written as tuples. ``keras_fixed`` lists the other Keras
settings LayerLab reads only at these values (Keras JSON import); ``keras_call`` and
``keras_defaults`` make exported code read like hand-written Keras.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import prod
from typing import Any, Callable, Mapping

from builder import rules
from builder.errors import LabError
from builder.rules import Shape

ACTIVATIONS = ("relu", "linear", "sigmoid", "tanh", "softmax", "elu", "selu", "gelu",
               "swish", "softplus", "leaky_relu")
GROUPS = ("convolution", "pooling", "core", "regularization", "augmentation", "blocks")


class ParamError(LabError):
    """A parameter value is outside what the catalogue allows; the message says why."""


@dataclass(frozen=True)
class Param:
    """One layer parameter. ``kind`` is int, float, choice, bool or size (an (h, w) pair)."""

    name: str
    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    optional: bool = False  # None allowed, meaning "Keras's default rule" (see help)
    help: Mapping[str, str] = field(default_factory=dict)

    def normalize(self, value: Any) -> Any:
        """Return the stored form of ``value`` or raise :class:`ParamError` saying why."""
        if value is None and self.optional:
            return None
        if self.kind == "size":
            return self._size(value)
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise ParamError("param_bool", name=self.name, got=_show(value))
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise ParamError("param_choice", name=self.name, got=_show(value),
                             choices=", ".join(map(str, self.choices)))
        if self.kind == "int":
            return self._number(value, int)
        return float(self._number(value, float))

    def _number(self, value: Any, kind: type) -> int | float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not ok or (kind is int and not isinstance(value, int)) or value != value \
                or not self.low <= value <= self.high:
            code = "param_int" if kind is int else "param_float"
            raise ParamError(code, name=self.name, low=_num(self.low), high=_num(self.high),
                             got=_show(value))
        return value

    def _size(self, value: Any) -> list[int]:
        pair = [value, value] if not isinstance(value, (list, tuple)) else list(value)
        if len(pair) != 2:
            raise ParamError("param_size", name=self.name, got=_show(value))
        return [self._number(v, int) for v in pair]


def _num(x: float | None) -> str:
    return f"{x:g}" if x is not None else "?"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class LayerType:
    """Everything LayerLab knows about one Keras layer type (or block type)."""

    name: str
    group: str
    params: tuple[Param, ...]
    shape: Callable[[Shape, dict], Shape]
    explain: Mapping[str, str]
    formula: Mapping[str, str]
    weights: Callable[[Shape, dict], tuple[int, int]] = lambda shape, p: (0, 0)
    flops: Callable[[Shape, Shape, dict], int] = lambda inp, out, p: 0
    key_params: tuple[str, ...] = ()
    keras_fixed: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    keras_call: tuple[str, ...] = ()  # parameters exported code writes positionally
    keras_defaults: Mapping[str, Any] = field(default_factory=dict)  # Keras's own; code omits them
    paths: tuple[int, int] = (0, 0)  # (min, max) parallel paths; (0, 0) for plain layers

    @property
    def is_block(self) -> bool:
        return self.paths != (0, 0)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.normalize(p.default) for p in self.params}

    def normalize(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Fill defaults, check every value, reject unknown names (raises ParamError)."""
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            raise ParamError("param_unknown", name=_show(sorted(map(str, unknown))[0]),
                             layer=self.name)
        return {p.name: p.normalize(params.get(p.name, p.default)) for p in self.params}

    def keras_kwargs(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Keras constructor arguments: the parameters, with sizes as tuples."""
        return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _text(en: str, ko: str) -> dict[str, str]:
    return {"en": en, "ko": ko}


def _int(name: str, default: int, low: int, high: int, **kw: Any) -> Param:
    return Param(name, "int", default, low, high, **kw)


def _size(name: str, default: int | None, high: int, **kw: Any) -> Param:
    return Param(name, "size", default, 1, high, **kw)


def _choice(name: str, default: str, choices: tuple[str, ...]) -> Param:
    return Param(name, "choice", default, choices=choices)


def _float(name: str, default: float, low: float, high: float, **kw: Any) -> Param:
    return Param(name, "float", default, low, high, **kw)


ACTIVATION = _choice("activation", "relu", ACTIVATIONS)
PADDING = _choice("padding", "valid", ("valid", "same"))
USE_BIAS = Param("use_bias", "bool", True)
IMAGE_ONLY = {"data_format": (None, "channels_last")}
FILL = {**IMAGE_ONLY, "fill_mode": ("reflect",), "interpolation": ("bilinear",),
        "fill_value": (0.0,)}
KERAS_LINEAR = {"activation": "linear", "use_bias": True}  # Keras default of Dense and Conv2D


def _conv(p: dict) -> tuple:
    return tuple(p["kernel_size"]), tuple(p["strides"])


def _pool_window(p: dict) -> tuple:
    return tuple(p["pool_size"]), tuple(p["strides"] or p["pool_size"])


def _pooling(name: str, verb_en: str, verb_ko: str) -> LayerType:
    return LayerType(
        name, "pooling",
        (_size("pool_size", 2, 16), _size("strides", None, 16, optional=True), PADDING),
        shape=lambda s, p: rules.window_shape(s, *_pool_window(p), p["padding"]),
        flops=lambda i, o, p: rules.pool_flops(o, _pool_window(p)[0]),
        key_params=("pool_size",),
        keras_fixed=IMAGE_ONLY, keras_defaults={"strides": None, "padding": "valid"},
        explain=_text(
            f"Slides a window over each channel and keeps its {verb_en}, shrinking the map "
            "(2×2 halves height and width). No weights to learn; it makes the model cheaper and "
            "more tolerant of small shifts.",
            f"각 채널 위로 창을 움직이며 {verb_ko} 값을 남겨 특징 맵을 줄입니다(2×2면 가로·세로가 절반). "
            "학습할 가중치는 없고, 계산을 줄이며 작은 이동에 덜 민감하게 만듭니다."),
        formula=_text("out = ⌊(n − pool + 2·pad) / stride⌋ + 1 (stride = pool when empty); 0 params",
                      "출력 = ⌊(n − 풀 + 2·패딩) / 보폭⌋ + 1 (보폭이 비면 풀 크기); 파라미터 0개"),
    )


def _global_pool(name: str, verb_en: str, verb_ko: str) -> LayerType:
    return LayerType(
        name, "pooling", (), shape=lambda s, p: rules.global_pool_shape(s),
        flops=lambda i, o, p: prod(i),
        keras_fixed={**IMAGE_ONLY, "keepdims": (False,)},
        explain=_text(
            f"Takes the {verb_en} of each whole channel, turning an H×W×C map into C numbers. "
            "A light alternative to Flatten before the classifier.",
            f"채널 전체의 {verb_ko} 값을 취해 H×W×C 맵을 C개의 숫자로 만듭니다. "
            "분류기 앞에서 Flatten 대신 쓰는 가벼운 방법입니다."),
        formula=_text("(H, W, C) → (C,); 0 params", "(H, W, C) → (C,); 파라미터 0개"),
    )


def _augmentation(name: str, params: tuple[Param, ...], en: str, ko: str,
                  keras_call: tuple[str, ...] = (), keras_defaults: Mapping[str, Any] | None = None,
                  keras_fixed: Mapping[str, tuple[Any, ...]] = FILL) -> LayerType:
    return LayerType(
        name, "augmentation", params, shape=lambda s, p: rules.image_unchanged(s),
        key_params=tuple(p.name for p in params[:1]),
        keras_fixed=keras_fixed, keras_call=keras_call, keras_defaults=keras_defaults or {},
        explain=_text(en + " Active only while training; at test time images pass unchanged.",
                      ko + " 학습할 때만 동작하고, 평가할 때는 이미지를 그대로 통과시킵니다."),
        formula=_text("shape unchanged; 0 params", "형태 그대로; 파라미터 0개"),
    )


FACTOR = dict(help=_text("fraction of the image, e.g. 0.1 = up to 10 %",
                         "이미지에 대한 비율, 예: 0.1 = 최대 10 %"))

LAYER_TYPES: tuple[LayerType, ...] = (
    LayerType(
        "Conv2D", "convolution",
        (_int("filters", 32, 1, 4096), _size("kernel_size", 3, 31), _size("strides", 1, 16),
         PADDING, ACTIVATION, USE_BIAS),
        shape=lambda s, p: rules.window_shape(s, *_conv(p), p["padding"], p["filters"]),
        weights=lambda s, p: (rules.conv_weights(s, _conv(p)[0], p["filters"], p["use_bias"]), 0),
        flops=lambda i, o, p: rules.conv_flops(o, _conv(p)[0], i[-1]),
        key_params=("filters", "kernel_size", "strides", "activation"),
        keras_fixed={**IMAGE_ONLY, "dilation_rate": (1, [1, 1], (1, 1)), "groups": (1,)},
        keras_call=("filters", "kernel_size"),
        keras_defaults={"strides": [1, 1], "padding": "valid", **KERAS_LINEAR},
        explain=_text(
            "Slides small learned filters over the image; each filter finds one local pattern "
            "(an edge, a corner, later whole parts) and writes a feature map. The workhorse of "
            "image models.",
            "작은 필터를 이미지 위로 움직이며 학습합니다. 필터마다 한 가지 지역 패턴(모서리, 꼭짓점, "
            "나중에는 물체의 부분)을 찾아 특징 맵을 만듭니다. 이미지 모델의 핵심 레이어입니다."),
        formula=_text("out = ⌊(n − k + 2·pad) / stride⌋ + 1; params = (k·k·C_in + 1)·filters",
                      "출력 = ⌊(n − k + 2·패딩) / 보폭⌋ + 1; 파라미터 = (k·k·C_입력 + 1)·필터 수"),
    ),
    _pooling("MaxPooling2D", "largest value", "가장 큰"),
    _pooling("AveragePooling2D", "average", "평균"),
    _global_pool("GlobalAveragePooling2D", "average", "평균"),
    _global_pool("GlobalMaxPooling2D", "largest value", "가장 큰"),
    LayerType(
        "Flatten", "core", (), shape=lambda s, p: rules.flatten_shape(s),
        keras_fixed=IMAGE_ONLY,
        explain=_text("Lays a feature map out as one long vector so Dense layers can read it.",
                      "특징 맵을 한 줄로 펼쳐 Dense 레이어가 읽을 수 있게 합니다."),
        formula=_text("(H, W, C) → (H·W·C,); 0 params", "(H, W, C) → (H·W·C,); 파라미터 0개"),
    ),
    LayerType(
        "Dense", "core", (_int("units", 128, 1, 65536), ACTIVATION, USE_BIAS),
        shape=lambda s, p: rules.dense_shape(s, p["units"]),
        weights=lambda s, p: (rules.dense_weights(s, p["units"], p["use_bias"]), 0),
        flops=lambda i, o, p: rules.dense_flops(i, p["units"]),
        key_params=("units", "activation"),
        keras_fixed={"quantization_config": (None,)}, keras_call=("units",),
        keras_defaults=KERAS_LINEAR,
        explain=_text(
            "Every input connects to every unit (fully connected). Used at the end to combine "
            "features into a decision; the last Dense has one unit per class with softmax.",
            "모든 입력이 모든 유닛에 연결됩니다(완전 연결). 마지막에 특징을 모아 판단하며, 마지막 Dense는 "
            "클래스마다 유닛 하나와 softmax를 씁니다."),
        formula=_text("params = (N_in + 1)·units", "파라미터 = (N_입력 + 1)·유닛 수"),
    ),
    LayerType(
        "Activation", "core", (ACTIVATION,), shape=lambda s, p: s,
        key_params=("activation",), keras_call=("activation",),
        explain=_text("Applies a non-linear function to every value (e.g. relu = max(0, x)).",
                      "모든 값에 비선형 함수를 적용합니다(예: relu = max(0, x))."),
        formula=_text("shape unchanged; 0 params", "형태 그대로; 파라미터 0개"),
    ),
    LayerType(
        "Rescaling", "core", (_float("scale", 1 / 255, -1e6, 1e6), _float("offset", 0.0, -1e6, 1e6)),
        shape=lambda s, p: s, flops=lambda i, o, p: prod(i), key_params=("scale",),
        keras_call=("scale",), keras_defaults={"offset": 0.0},
        explain=_text("Multiplies inputs by scale and adds offset, e.g. 1/255 turns pixels 0–255 "
                      "into 0–1 inside the model.",
                      "입력에 scale을 곱하고 offset을 더합니다. 예: 1/255로 0–255 픽셀을 모델 안에서 0–1로 바꿉니다."),
        formula=_text("y = x·scale + offset; 0 params", "y = x·scale + offset; 파라미터 0개"),
    ),
    LayerType(
        "Dropout", "regularization", (_float("rate", 0.5, 0.0, 0.99),),
        shape=lambda s, p: s, key_params=("rate",),
        keras_fixed={"noise_shape": (None,)}, keras_call=("rate",),
        explain=_text(
            "While training, randomly switches off this fraction of values so the model cannot "
            "rely on any single feature: a simple guard against overfitting.",
            "학습 중에 이 비율만큼 값을 무작위로 꺼서 모델이 한 특징에만 의존하지 못하게 합니다. "
            "과적합을 막는 간단한 방법입니다."),
        formula=_text("shape unchanged; 0 params", "형태 그대로; 파라미터 0개"),
    ),
    LayerType(
        "BatchNormalization", "regularization",
        (_float("momentum", 0.99, 0.0, 1.0), _float("epsilon", 0.001, 1e-9, 1.0)),
        shape=lambda s, p: s,
        weights=lambda s, p: (2 * s[-1], 2 * s[-1]),
        flops=lambda i, o, p: 2 * prod(i),
        keras_fixed={"axis": (-1, [-1]), "center": (True,), "scale": (True,), "renorm": (False,),
                     "renorm_clipping": (None,), "virtual_batch_size": (None,),
                     "adjustment": (None,)},
        keras_defaults={"momentum": 0.99, "epsilon": 0.001},
        explain=_text(
            "Normalises each channel to mean 0 and variance 1 over the batch, then learns a scale "
            "and shift. Training becomes faster and more stable.",
            "배치마다 각 채널을 평균 0, 분산 1로 맞춘 뒤 크기와 이동을 학습합니다. "
            "학습이 빠르고 안정적이 됩니다."),
        formula=_text("params = 4·C (γ, β trainable; moving mean and variance not trainable)",
                      "파라미터 = 4·C (γ, β는 학습, 이동 평균·분산은 학습하지 않음)"),
    ),
    _augmentation("RandomFlip", (_choice("mode", "horizontal",
                                         ("horizontal", "vertical", "horizontal_and_vertical")),),
                  "Mirrors training images at random.", "학습 이미지를 무작위로 뒤집습니다.",
                  keras_defaults={"mode": "horizontal_and_vertical"}, keras_fixed=IMAGE_ONLY),
    _augmentation("RandomRotation", (_float("factor", 0.1, 0.0, 1.0, **FACTOR),),
                  "Rotates training images by up to factor·360°.",
                  "학습 이미지를 최대 factor·360°만큼 무작위로 회전합니다.", keras_call=("factor",)),
    _augmentation("RandomZoom", (_float("height_factor", 0.1, -0.99, 1.0, **FACTOR),
                                 _float("width_factor", None, -0.99, 1.0, optional=True, **FACTOR)),
                  "Zooms training images in or out at random.",
                  "학습 이미지를 무작위로 확대하거나 축소합니다.",
                  keras_call=("height_factor",), keras_defaults={"width_factor": None}),
    _augmentation("RandomTranslation", (_float("height_factor", 0.1, -1.0, 1.0, **FACTOR),
                                        _float("width_factor", 0.1, -1.0, 1.0, **FACTOR)),
                  "Shifts training images up, down, left or right at random.",
                  "학습 이미지를 상하좌우로 무작위 이동합니다.",
                  keras_call=("height_factor", "width_factor")),
    LayerType(
        "Residual", "blocks", (_choice("activation", "relu", ACTIVATIONS),),
        shape=lambda s, p: s, paths=(1, 1), key_params=("activation",),
        explain=_text(
            "A main path of layers plus a shortcut that carries the input around it; the two are "
            "added. If the shapes differ, the shortcut gets a 1×1 Conv2D projection. Skip "
            "connections let gradients flow straight back, so deep networks still train.",
            "여러 레이어로 된 주 경로와, 입력을 그대로 건너 보내는 지름길(shortcut)을 더합니다. 형태가 다르면 "
            "지름길에 1×1 Conv2D 투영을 넣습니다. 기울기가 지름길로 곧장 흐르므로 깊은 신경망도 잘 학습됩니다."),
        formula=_text("out = activation(main(x) + shortcut(x)); projection params = (C_in + 1)·C_out",
                      "출력 = 활성화(주경로(x) + 지름길(x)); 투영 파라미터 = (C_입력 + 1)·C_출력"),
    ),
    LayerType(
        "Branch", "blocks", (_choice("merge", "concatenate", ("concatenate", "add")),),
        shape=lambda s, p: s, paths=(2, 4), key_params=("merge",),
        explain=_text(
            "Two to four parallel paths see the same input (e.g. 1×1, 3×3 and 5×5 convolutions, "
            "as in Inception); their outputs are joined channel-wise or added.",
            "2–4개의 병렬 경로가 같은 입력을 봅니다(예: Inception처럼 1×1, 3×3, 5×5 합성곱). "
            "출력은 채널 방향으로 이어 붙이거나 더합니다."),
        formula=_text("concatenate: C = C₁ + C₂ + …; add: all shapes equal",
                      "이어 붙이기: C = C₁ + C₂ + …; 더하기: 모든 형태가 같아야 함"),
    ),
)

CATALOGUE: dict[str, LayerType] = {t.name: t for t in LAYER_TYPES}


def layer_type(name: str) -> LayerType | None:
    """The catalogue entry for ``name``, or None for an unknown type."""
    return CATALOGUE.get(name)


def by_group() -> dict[str, list[LayerType]]:
    """Catalogue entries grouped for the palette, in catalogue order."""
    return {g: [t for t in LAYER_TYPES if t.group == g] for g in GROUPS}
