"""Strings of the app frame: navigation, language switch, the six-step bar, placeholders."""

TEXT: dict[str, dict[str, str]] = {
    "app.language": {"en": "Language", "ko": "언어"},
    "app.build": {"en": "Build", "ko": "만들기"},
    "app.train": {"en": "Train", "ko": "학습"},
    "app.compare": {"en": "Compare", "ko": "비교"},
    "app.about": {"en": "LayerLab: build a neural network by dragging layers, see its shapes "
                        "and parameter counts live, train it and compare runs.",
                  "ko": "LayerLab: 레이어를 끌어다 신경망을 만들고, 형태와 파라미터 수를 바로 확인하고, "
                        "학습시키고, 결과를 비교합니다."},
    # the seed tutorial's six steps
    "step.import": {"en": "Import libraries", "ko": "라이브러리 임포트"},
    "step.create": {"en": "Create the model", "ko": "모델 생성"},
    "step.add": {"en": "Add layers", "ko": "레이어 추가"},
    "step.compile": {"en": "Compile", "ko": "모델 컴파일"},
    "step.train": {"en": "Train", "ko": "모델 훈련"},
    "step.evaluate": {"en": "Evaluate", "ko": "모델 평가"},
    "step.help": {"en": "The six steps of the tutorial; the blue ones happen on this page.",
                  "ko": "튜토리얼의 여섯 단계입니다. 파란색 단계를 이 페이지에서 합니다."},
}
