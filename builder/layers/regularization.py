"""Regularization layers: Dropout and BatchNormalization."""
from __future__ import annotations

from math import prod

from builder.layers.base import UNCHANGED, LayerType, float_param, params_text, text
from builder.text import t

TYPES = (
    LayerType(
        "Dropout", "regularization", (float_param("rate", 0.5, 0.0, 0.99),),
        shape=lambda s, p: s, key_params=("rate",),
        keras_fixed={"noise_shape": (None,)}, keras_call=("rate",),
        explain=text(
            "While training, randomly switches off this fraction of values so the model cannot "
            "rely on any single feature: a simple guard against overfitting.",
            "학습 중에 이 비율만큼 값을 무작위로 꺼서 모델이 한 특징에만 의존하지 못하게 합니다. "
            "과적합을 막는 간단한 방법입니다."),
        formula=UNCHANGED,
        role="dropout",
    ),
    LayerType(
        "BatchNormalization", "regularization",
        (float_param("momentum", 0.99, 0.0, 1.0), float_param("epsilon", 0.001, 1e-9, 1.0)),
        shape=lambda s, p: s,
        weights=lambda s, p: (2 * s[-1], 2 * s[-1]),
        flops=lambda i, o, p: 2 * prod(i),
        worked=lambda p, row, lang: [f"4·{row.input_shape[-1]} = {params_text(row.params, lang)} "
                                     + t("arith.trainable", lang, n=f"{row.trainable:,}")],
        keras_fixed={"axis": (-1, [-1]), "center": (True,), "scale": (True,), "renorm": (False,),
                     "renorm_clipping": (None,), "virtual_batch_size": (None,),
                     "adjustment": (None,)},
        keras_defaults={"momentum": 0.99, "epsilon": 0.001},
        explain=text(
            "Normalises each channel to mean 0 and variance 1 over the batch, then learns a scale "
            "and shift. Training becomes faster and more stable.",
            "배치마다 각 채널을 평균 0, 분산 1로 맞춘 뒤 크기와 이동을 학습합니다. "
            "학습이 빠르고 안정적이 됩니다."),
        formula=text("params = 4·C (γ, β trainable; moving mean and variance not trainable)",
                     "파라미터 = 4·C (γ, β는 학습, 이동 평균·분산은 학습하지 않음)"),
                     role="normalization",
    ),
)
