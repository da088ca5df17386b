"""Strings of the beginner's path: refused settings, the pair dialog, live run notes."""

TEXT: dict[str, dict[str, str]] = {
    # a typed setting outside its range: refused next to the field, Start waits
    "error.setting_refused": {
        "en": "{field} {got} is not used: allowed {allowed}",
        "ko": "{field} {got}은(는) 쓰지 않습니다: 허용 범위 {allowed}"},
    "train.range_learning_rate": {"en": "more than 0, at most 10", "ko": "0보다 크고 10 이하"},
    "train.range_batch_size": {"en": "1 to 8192", "ko": "1 ~ 8192"},
    "train.range_epochs": {"en": "1 to 1000", "ko": "1 ~ 1000"},
    "train.range_limit": {"en": "empty (all images) or at least 10",
                          "ko": "비워 두기(모든 이미지) 또는 10 이상"},
    "train.range_seed": {"en": "0 to 2147483647", "ko": "0 ~ 2147483647"},
    # the live run
    "train.run_unnamed": {"en": "unnamed model", "ko": "이름 없는 모델"},
    "train.device": {"en": "Training on {device}", "ko": "{device}에서 학습 중"},
    "train.exploding": {
        "en": "The loss is exploding: it is far above where it started. Learning rate {rate} "
              "is probably too large; if the loss keeps rising the run ends as diverged.",
        "ko": "손실이 폭발하고 있습니다: 처음보다 훨씬 커졌습니다. 학습률 {rate}이(가) 너무 큰 것 "
              "같습니다. 손실이 계속 커지면 실행은 발산으로 끝납니다."},
    "train.retry_rate": {"en": "Retry with learning rate {rate}", "ko": "학습률 {rate}(으)로 다시 학습"},
    # the evaluation of a run that did not complete
    "train.diverged_guide": {
        "en": "This run diverged, so its numbers say nothing about the model's size or the "
              "number of epochs: lower the learning rate first and train again.",
        "ko": "이 실행은 발산했으므로 이 숫자로는 모델 크기나 에포크 수를 판단할 수 없습니다. "
              "먼저 학습률을 낮추고 다시 학습하세요."},
    "train.partial_evaluation": {
        "en": "No test-set evaluation: the run ended before it. Its best epoch so far ({epoch}) "
              "reached {accuracy} accuracy (see the chart above).",
        "ko": "테스트 평가 없음: 그 전에 실행이 끝났습니다. 지금까지 가장 좋은 에포크({epoch})의 "
              "정확도는 {accuracy}입니다 (위 차트 참고)."},
    # the pair button's dialog on the Build page
    "compare.pair_dialog": {"en": "Train on MNIST and CIFAR-10", "ko": "MNIST와 CIFAR-10에서 학습"},
    "compare.pair_dialog_intro": {
        "en": "Two runs of this model, one per dataset, with the same settings. Few epochs "
              "and images give a first comparison in a minute or two and keep the trainer "
              "free for others; leave the image limit empty for all images.",
        "ko": "이 모델을 데이터셋마다 한 번씩, 같은 설정으로 두 번 학습합니다. 에포크와 이미지가 "
              "적으면 1~2분 안에 첫 비교를 볼 수 있고 다른 사람도 곧 학습할 수 있습니다. 모든 "
              "이미지를 쓰려면 이미지 수를 비워 두세요."},
    "compare.pair_dialog_start": {"en": "Start both and compare", "ko": "둘 다 시작하고 비교하기"},
}
