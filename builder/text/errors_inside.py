"""Errors and CLI strings of the inside-the-model recordings and the inference worker."""

from builder.text.entry import pair


TEXT: dict[str, dict[str, str]] = {
    "error.no_inside": pair(
        "run {id} has no recordings of its layers (it was trained before LayerLab recorded "
        "them, or stopped before its first epoch ended)",
        "{id}번 실행에는 레이어 기록이 없습니다 (LayerLab이 기록하기 전에 학습했거나 첫 에포크가 "
        "끝나기 전에 멈췄습니다)"),
    "error.inside_damaged": pair("the layer recordings of run {id} cannot be read: {reason}",
                               "{id}번 실행의 레이어 기록을 읽을 수 없습니다: {reason}"),
    "error.no_model_file": pair(
        "run {id} has no tested model to ask (it has not been evaluated yet, or its file was "
        "deleted); the run itself is unchanged",
        "{id}번 실행에는 물어볼 테스트된 모델이 없습니다 (아직 평가하지 않았거나 파일이 지워졌습니다). "
        "실행 자체는 그대로입니다"),
    "error.image_unreadable": pair(
        "this file is not an image LayerLab can read (PNG, JPEG, GIF, BMP or WebP)",
        "LayerLab이 읽을 수 있는 이미지가 아닙니다 (PNG, JPEG, GIF, BMP, WebP)"),
    "error.image_too_big": pair("the file is {size} MB; images up to {limit} MB are accepted",
                              "파일이 {size} MB입니다. {limit} MB까지의 이미지만 받습니다"),
    "error.image_size": pair(
        "the image is {width}×{height} pixels; each side must be {low} to {high} pixels",
        "이미지가 {width}×{height} 픽셀입니다. 각 변은 {low}~{high} 픽셀이어야 합니다"),
    "error.image_pixels": pair(
        "the image is {width}×{height} pixels ({pixels:,}); for this model at most {limit:,} "
        "pixels are decoded: make it smaller, or save it as JPEG (reduced while it is read)",
        "이미지가 {width}×{height} 픽셀({pixels:,})입니다. 이 모델에는 {limit:,} 픽셀까지만 "
        "읽습니다. 크기를 줄이거나 JPEG로 저장하세요 (읽으면서 줄입니다)"),
    "error.image_channels": pair(
        "the model expects {expected} channel(s) per pixel, but this input has {got}",
        "모델은 픽셀당 채널 {expected}개를 받는데 이 입력은 {got}개입니다"),
    "error.inference_failed": pair("the prediction failed: {detail}", "예측에 실패했습니다: {detail}"),
    "error.inference_timeout": pair(
        "the prediction worker did not answer within {seconds} s; it was restarted, try again",
        "예측 작업자가 {seconds}초 안에 답하지 않아 다시 시작했습니다. 다시 시도하세요"),
    "cli.predict": pair("predict the class of an image with the model a run's test scored (its "
                        "best epoch's, or the model as stopped when no epoch ended)",
                        "실행에서 테스트한 모델(가장 좋은 에포크의 모델, 끝난 에포크가 없으면 멈춘 "
                        "순간의 모델)로 이미지의 클래스를 예측합니다"),
    "cli.predict.image": pair("an image file (PNG, JPEG, …)", "이미지 파일 (PNG, JPEG 등)"),
    "cli.predict.top": pair("how many classes to print", "출력할 클래스 수"),
    "cli.train.inside": pair("what was recorded inside the model while it trained",
                           "학습하는 동안 모델 안에서 기록한 것"),
    "cli.inside.summary": pair("{epochs} epoch(s) · {images} image(s) · {bytes:,} bytes",
                             "에포크 {epochs}개 · 이미지 {images}장 · {bytes:,} 바이트"),
}
