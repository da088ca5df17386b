"""Strings of the layer editor (the layers area)."""

TEXT: dict[str, dict[str, str]] = {
    "editor.refused": {"en": "Not applied: {detail}. The model keeps {kept}.",
                       "ko": "적용하지 않았습니다: {detail}. 모델은 {kept} 값을 그대로 씁니다."},
}
