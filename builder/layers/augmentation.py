"""Augmentation layers: random changes of training images (inactive at test time)."""
from __future__ import annotations

from typing import Any, Mapping

from builder import rules
from builder.layers.base import (IMAGE_ONLY, UNCHANGED, LayerType, Param, choice_param, float_param,
                                 text)

FILL = {**IMAGE_ONLY, "fill_mode": ("reflect",), "interpolation": ("bilinear",),
        "fill_value": (0.0,)}
FACTOR = dict(help=text("fraction of the image, e.g. 0.1 = up to 10 %",
                        "이미지에 대한 비율, 예: 0.1 = 최대 10 %"))


def _augmentation(name: str, params: tuple[Param, ...], en: str, ko: str,
                  keras_call: tuple[str, ...] = (), keras_defaults: Mapping[str, Any] | None = None,
                  keras_fixed: Mapping[str, tuple[Any, ...]] = FILL) -> LayerType:
    return LayerType(
        name, "augmentation", params, shape=lambda s, p: rules.image_unchanged(s),
        key_params=tuple(p.name for p in params[:1]),
        keras_fixed=keras_fixed, keras_call=keras_call, keras_defaults=keras_defaults or {},
        explain=text(en + " Active only while training; at test time images pass unchanged.",
                     ko + " 학습할 때만 동작하고, 평가할 때는 이미지를 그대로 통과시킵니다."),
        formula=UNCHANGED, role="augmentation",
    )


TYPES = (
    _augmentation("RandomFlip", (choice_param("mode", "horizontal",
                                              ("horizontal", "vertical", "horizontal_and_vertical")),),
                  "Mirrors training images at random.", "학습 이미지를 무작위로 뒤집습니다.",
                  keras_defaults={"mode": "horizontal_and_vertical"}, keras_fixed=IMAGE_ONLY),
    _augmentation("RandomRotation", (float_param("factor", 0.1, 0.0, 1.0, **FACTOR),),
                  "Rotates training images by up to factor·360°.",
                  "학습 이미지를 최대 factor·360°만큼 무작위로 회전합니다.", keras_call=("factor",)),
    _augmentation("RandomZoom", (float_param("height_factor", 0.1, -0.99, 1.0, **FACTOR),
                                 float_param("width_factor", None, -0.99, 1.0, optional=True, **FACTOR)),
                  "Zooms training images in or out at random.",
                  "학습 이미지를 무작위로 확대하거나 축소합니다.",
                  keras_call=("height_factor",), keras_defaults={"width_factor": None}),
    _augmentation("RandomTranslation", (float_param("height_factor", 0.1, -1.0, 1.0, **FACTOR),
                                        float_param("width_factor", 0.1, -1.0, 1.0, **FACTOR)),
                  "Shifts training images up, down, left or right at random.",
                  "학습 이미지를 상하좌우로 무작위 이동합니다.",
                  keras_call=("height_factor", "width_factor")),
)
