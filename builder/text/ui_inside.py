"""Strings of the "Inside the model" view and "Try your own input"."""

from builder.text.entry import pair


TEXT: dict[str, dict[str, str]] = {
    "inside.title": pair("Inside the model", "모델 들여다보기"),
    "inside.compare_title": pair("Inside the model, side by side", "모델 안을 나란히 보기"),
    "inside.compare_pick": pair("Runs to look inside (up to two)", "들여다볼 실행 (두 개까지)"),
    "inside.compare_none": pair("No run has recordings of its layers yet: they are made while a "
                              "run trains.", "아직 레이어 기록이 있는 실행이 없습니다. 기록은 학습하는 "
                              "동안 만들어집니다."),
    "inside.explain": pair("What am I looking at?", "무엇을 보고 있나요?"),
    "inside.what_feature_map": pair("A feature map", "특성 맵(feature map)"),
    "inside.why_feature_map": pair(
        "is what one filter of a layer finds in the image: each filter slides over the image "
        "and lights up (bright tiles) where its pattern appears — an edge, a stroke, a "
        "colour, later whole parts. A layer with 32 filters makes 32 maps.",
        "은 레이어의 필터 하나가 이미지에서 찾아낸 것입니다. 필터는 이미지 위를 미끄러지며 자기 "
        "패턴(모서리, 획, 색, 나중에는 물체의 부분)이 있는 곳에서 밝게 빛납니다. 필터가 32개인 "
        "레이어는 맵 32장을 만듭니다."),
    "inside.what_shrink": pair("Why the maps get smaller and more numerous:",
                             "맵이 점점 작아지고 많아지는 이유:"),
    "inside.why_shrink": pair(
        "pooling and 'valid' convolutions shrink the height and width, so each pixel of a "
        "deeper map sees a larger part of the image; meanwhile deeper layers have more "
        "filters, so they can tell apart more kinds of patterns. The model trades 'where' "
        "for 'what'.",
        "풀링과 'valid' 합성곱이 높이와 너비를 줄이므로 깊은 맵의 한 픽셀은 이미지의 더 넓은 부분을 "
        "봅니다. 동시에 깊은 레이어일수록 필터가 많아 더 많은 종류의 패턴을 구별합니다. 모델은 "
        "'어디에'를 내주고 '무엇을'을 얻습니다."),
    "inside.what_heat": pair("The heat map (Grad-CAM)", "히트맵 (Grad-CAM)"),
    "inside.why_heat": pair(
        "colours the parts of the image that pushed the model most towards its answer: the "
        "last convolution's maps, weighted by how much each one raises the predicted class. "
        "Red means 'this mattered', blue 'this did not'. It is coarse, as coarse as that "
        "layer's maps.",
        "는 모델을 그 답으로 가장 강하게 이끈 이미지 부분을 색으로 보여 줍니다. 마지막 합성곱의 "
        "맵들을, 각 맵이 예측한 클래스를 얼마나 높이는지로 가중해 더한 것입니다. 빨강은 '중요했다', "
        "파랑은 '중요하지 않았다'입니다. 그 레이어의 맵만큼 거칩니다."),
    "inside.image": pair("Test image", "테스트 이미지"),
    "inside.epoch": pair("Epoch", "에포크"),
    "inside.epoch_help": pair("Watch the maps change as the model learns; ★ marks the best "
                            "epoch (the saved model).",
                            "모델이 배우면서 맵이 어떻게 바뀌는지 보세요. ★는 최고 에포크(저장된 "
                            "모델)입니다."),
    "inside.input": pair("the input", "입력"),
    "inside.cam": pair("where it looked for “{name}”", "“{name}”을(를) 위해 본 곳"),
    "inside.cam_help": pair("red: mattered most", "빨강: 가장 중요했던 곳"),
    "inside.no_cam": pair("No heat map: the model has no convolution layer.",
                        "히트맵 없음: 모델에 합성곱 레이어가 없습니다."),
    "inside.probabilities": pair("Probabilities", "확률"),
    "inside.show_all": pair("Show all maps (not only the strongest 16)",
                          "모든 맵 보기 (가장 강한 16개만이 아니라)"),
    "inside.stored": pair("kept at {shape}", "{shape}(으)로 저장됨"),
    "inside.kernels": pair("its filters (kernels), first layer's weights",
                         "이 레이어의 필터(커널), 첫 레이어의 가중치"),
    "inside.large_layer": pair("Large view: layer", "크게 보기: 레이어"),
    "inside.large_channel": pair("map", "맵"),
    "inside.range": pair("values from {low} to {high} (dark to bright)",
                       "값 범위 {low} ~ {high} (어두움 → 밝음)"),
    "inside.own": pair("Try your own input", "직접 입력해 보기"),
    "inside.own_stopped": pair(
        "No epoch has ended, so this asks the model as it was at batch {batch} of {batches} in "
        "epoch {epoch}: the one tested above.",
        "끝난 에포크가 없으므로 {epoch}번째 에포크의 {batches}개 중 {batch}번째 배치까지 배운 모델, "
        "즉 위에서 테스트한 모델에게 묻습니다."),
    "inside.none_stopped": pair(
        "The layers are recorded at the end of each epoch. This run stopped at batch {batch} of "
        "{batches} in epoch {epoch}, before any epoch ended, so nothing is recorded yet: Continue "
        "to finish the epoch.",
        "레이어는 에포크가 끝날 때마다 기록됩니다. 이 실행은 {epoch}번째 에포크의 {batches}개 중 "
        "{batch}번째 배치에서, 에포크가 끝나기 전에 멈췄으므로 아직 기록이 없습니다. 이어서 학습하면 "
        "그 에포크를 마칩니다."),
    "inside.draw": pair("Draw a digit ({height}×{width} for the model)",
                      "숫자를 그려 보세요 (모델에는 {height}×{width})"),
    "inside.upload": pair("…or upload an image", "…또는 이미지 올리기"),
    "inside.upload_help": pair("Made {mode}, resized to {height}×{width}, pixels divided by 255 "
                             "— as the training images were.",
                             "{mode}(으)로 바꾸고 {height}×{width}(으)로 크기를 맞춘 뒤 픽셀을 255로 "
                             "나눕니다. 학습 이미지와 같습니다."),
    "inside.mode_grey": pair("grey", "흑백"),
    "inside.mode_rgb": pair("RGB colour", "RGB 컬러"),
    "inside.pad_clear": pair("Clear", "지우기"),
    "inside.pad_hint": pair("light strokes on black, like MNIST", "MNIST처럼 검은 바탕에 밝은 획"),
    "inside.pad_label": pair("drawing pad", "그림판"),
    "inside.predicting": pair("Asking the model…", "모델에 묻는 중…"),
    "inside.predicted": pair("Answered", "답했습니다"),
    "inside.phase_starting": pair("Starting the prediction worker…", "예측 작업자를 시작하는 중…"),
    "inside.phase_tensorflow": pair("Loading TensorFlow (once, takes a while)…",
                                  "TensorFlow를 불러오는 중 (한 번만, 시간이 걸립니다)…"),
    "inside.phase_model": pair("Loading the tested model…", "테스트한 모델을 불러오는 중…"),
    "inside.phase_predicting": pair("Predicting…", "예측하는 중…"),
    "inside.answer": pair("The model says **{name}** ({probability}).",
                        "모델의 답: **{name}** ({probability})."),
    "inside.steps": pair("What the model saw: {steps}", "모델이 본 것: {steps}"),
    "inside.step_centre": pair("ink scaled and centred (as MNIST digits are)",
                             "획의 크기를 맞추고 가운데로 (MNIST 숫자처럼)"),
    "inside.step_grey": pair("made grey", "흑백으로"),
    "inside.step_rgb": pair("made RGB", "RGB로"),
    "inside.step_resize": pair("resized", "크기 조정"),
    "inside.step_invert": pair("inverted (light digit on dark, as MNIST)",
                             "반전 (MNIST처럼 어두운 바탕에 밝은 글씨)"),
    "inside.step_scale": pair("pixels ÷ 255 (0–1)", "픽셀 ÷ 255 (0–1)"),
}
