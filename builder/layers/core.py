"""Core layers: Flatten, Dense, Activation, Rescaling.

``FLATTEN`` and ``DENSE`` are also the types the analysis's fixes insert (a missing
Flatten, a classifier head); :mod:`builder.layers` names them ``FLATTEN`` and ``CLASSIFIER``.
"""
from __future__ import annotations

from math import prod

from builder import rules
from builder.layers.base import (ACTIVATION, IMAGE_ONLY, KERAS_LINEAR, UNCHANGED, USE_BIAS,
                                 LayerType, Lines, bias_text, float_param, int_param,
                                 params_text, text)


def _dense_worked(p: dict, row, lang: str) -> Lines:
    return [f"({row.input_shape[-1]:,}{bias_text(p)})·{p['units']} = {params_text(row.params, lang)}"]


FLATTEN = LayerType(
    "Flatten", "core", (), shape=lambda s, p: rules.flatten_shape(s),
    worked=lambda p, row, lang: ["·".join(map(str, row.input_shape)) + f" = {row.output_shape[0]:,}"],
    keras_fixed=IMAGE_ONLY,
    explain=text("Lays a feature map out as one long vector so Dense layers can read it.",
                 "특징 맵을 한 줄로 펼쳐 Dense 레이어가 읽을 수 있게 합니다."),
    formula=text("(H, W, C) → (H·W·C,); 0 params", "(H, W, C) → (H·W·C,); 파라미터 0개"),
    role="flatten",
)

DENSE = LayerType(
    "Dense", "core", (int_param("units", 128, 1, 65536), ACTIVATION, USE_BIAS),
    shape=lambda s, p: rules.dense_shape(s, p["units"]),
    weights=lambda s, p: (rules.dense_weights(s, p["units"], p["use_bias"]), 0),
    flops=lambda i, o, p: rules.dense_flops(i, p["units"]),
    worked=_dense_worked, per_position=True,
    key_params=("units", "activation"),
    keras_fixed={"quantization_config": (None,)}, keras_call=("units",),
    keras_positional=("units", "activation"),
    keras_defaults=KERAS_LINEAR,
    explain=text(
        "Every input connects to every unit (fully connected). Used at the end to combine "
        "features into a decision; the last Dense has one unit per class with softmax.",
        "모든 입력이 모든 유닛에 연결됩니다(완전 연결). 마지막에 특징을 모아 판단하며, 마지막 Dense는 "
        "클래스마다 유닛 하나와 softmax를 씁니다."),
    formula=text("params = (N_in + 1)·units", "파라미터 = (N_입력 + 1)·유닛 수"),
    role="dense",
)

TYPES = (
    FLATTEN,
    DENSE,
    LayerType(
        "Activation", "core", (ACTIVATION,), shape=lambda s, p: s,
        key_params=("activation",), keras_call=("activation",),
        explain=text("Applies a non-linear function to every value (e.g. relu = max(0, x)).",
                     "모든 값에 비선형 함수를 적용합니다(예: relu = max(0, x))."),
        formula=UNCHANGED,
        role="activation",
    ),
    LayerType(
        "Rescaling", "core",
        (float_param("scale", 1 / 255, -1e6, 1e6), float_param("offset", 0.0, -1e6, 1e6)),
        shape=lambda s, p: s, flops=lambda i, o, p: prod(i), key_params=("scale",),
        keras_call=("scale",), keras_defaults={"offset": 0.0},
        explain=text("Multiplies inputs by scale and adds offset, e.g. 1/255 turns pixels 0–255 "
                     "into 0–1 inside the model.",
                     "입력에 scale을 곱하고 offset을 더합니다. 예: 1/255로 0–255 픽셀을 모델 안에서 0–1로 바꿉니다."),
        formula=text("y = x·scale + offset; 0 params", "y = x·scale + offset; 파라미터 0개"),
        role="rescaling",
    ),
)
