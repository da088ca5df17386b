"""Strings of experiments: the effect reading, the effect view, presets and the CLI."""


def _t(en: str, ko: str) -> dict[str, str]:
    return {"en": en, "ko": ko}


TEXT: dict[str, dict[str, str]] = {
    # values and knobs in words
    "experiment.with": _t("with", "있음"),
    "experiment.without": _t("without", "없음"),
    "experiment.all": _t("all", "전체"),
    "experiment.auto": _t("auto", "자동"),
    "experiment.knob_learning_rate": _t("learning rate", "학습률"),
    "experiment.knob_batch_size": _t("batch size", "배치 크기"),
    "experiment.knob_epochs": _t("epochs", "에포크"),
    "experiment.knob_limit": _t("training images", "학습 이미지 수"),
    "experiment.knob_optimizer": _t("optimizer", "옵티마이저"),
    "experiment.knob_dataset": _t("dataset", "데이터셋"),
    "experiment.knob_depth": _t("Conv2D+MaxPooling2D pairs", "Conv2D+MaxPooling2D 쌍"),
    # the reading
    "experiment.reading": _t(
        "{new} instead of {old} {what}: {params} parameters, {accuracy} % accuracy, {verdict}.",
        "{what} {old} 대신 {new}: 파라미터 {params}개, 정확도 {accuracy} %p, {verdict}."),
    "experiment.reading_wait": _t("The reading appears when two values have test results.",
                                  "두 값의 테스트 결과가 나오면 해석이 나타납니다."),
    "experiment.verdict_within": _t("within the spread between seeds",
                                    "시드 간 차이 범위 안입니다"),
    "experiment.verdict_beyond": _t("more than the spread between seeds",
                                    "시드 간 차이보다 큽니다"),
    "experiment.verdict_one_seed": _t(
        "one seed each, so noise cannot be told apart: repeat with more seeds",
        "값마다 시드가 하나뿐이라 우연과 구별할 수 없습니다. 시드를 늘려 반복하세요"),
    # presets (builder.experiments.PRESETS)
    "experiment.preset_filters": _t("How many filters?", "필터는 몇 개면 될까?"),
    "experiment.preset_filters_about": _t(
        "The seed MNIST CNN with 8, 16, 32 and 64 filters in its first convolution.",
        "튜토리얼 MNIST CNN의 첫 합성곱 필터를 8, 16, 32, 64개로 바꿔 봅니다."),
    "experiment.preset_pooling": _t("Does pooling matter?", "풀링이 중요할까?"),
    "experiment.preset_pooling_about": _t(
        "The seed MNIST CNN with and without its first MaxPooling2D: watch the parameters.",
        "튜토리얼 MNIST CNN에서 첫 MaxPooling2D를 넣고 빼 봅니다. 파라미터 수를 보세요."),
    "experiment.preset_dropout": _t("Dropout vs overfitting", "드롭아웃과 과적합"),
    "experiment.preset_dropout_about": _t(
        "A Dropout after the seed CNN's Dense layer at rates 0, 0.25 and 0.5, trained on only "
        "2,000 images for 8 epochs so that overfitting shows.",
        "튜토리얼 CNN의 Dense 뒤에 Dropout을 넣어 비율 0, 0.25, 0.5로 바꿉니다. 과적합이 보이도록 "
        "이미지 2,000장으로 8 에포크 학습합니다."),
    "experiment.preset_kernel": _t("Kernel size", "커널 크기"),
    "experiment.preset_kernel_about": _t(
        "The first convolution's window at 3×3, 5×5 and 7×7.",
        "첫 합성곱의 창 크기를 3×3, 5×5, 7×7로 바꿔 봅니다."),
    "experiment.preset_datasets": _t("MNIST vs CIFAR-10", "MNIST 대 CIFAR-10"),
    "experiment.preset_datasets_about": _t(
        "The same CNN on digits and on colour photos: the input shape follows the dataset.",
        "같은 CNN을 숫자와 컬러 사진에 학습합니다. 입력 형태는 데이터셋을 따릅니다."),
    "experiment.preset_learning_rate": _t("Learning rate too high/too low",
                                          "학습률이 너무 크거나 작으면"),
    "experiment.preset_learning_rate_about": _t(
        "Learning rates 0.00001, 0.001 and 0.1: too small learns slowly, too large diverges.",
        "학습률 0.00001, 0.001, 0.1: 너무 작으면 느리게 배우고, 너무 크면 발산합니다."),
    # the command line (builder.cli_experiment)
    "cli.experiment": _t("vary one thing, train every variant, print the effect",
                         "한 가지를 바꿔 모든 변형을 학습하고 효과를 보여 줍니다"),
    "cli.experiment.arch": _t("a template name or architecture file; or show ID, or list",
                              "템플릿 이름이나 구조 파일; 또는 show ID, list"),
    "cli.experiment.id": _t("the experiment to show", "보여 줄 실험 번호"),
    "cli.experiment.vary": _t("what varies and its values, e.g. 1.filters=16,32,64 or "
                              "learning_rate=0.01,0.001",
                              "바꿀 항목과 값들, 예: 1.filters=16,32,64 또는 learning_rate=0.01,0.001"),
    "cli.experiment.seeds": _t("runs per value with different seeds (1–5)",
                               "값마다 시드를 바꿔 학습할 횟수 (1–5)"),
    "cli.experiment.variant": _t("{knob} = {value}: {params} parameters, {seeds} run(s)",
                                 "{knob} = {value}: 파라미터 {params}개, 실행 {seeds}개"),
    "cli.experiment.forecast": _t("{runs} runs, about {minutes} min one after another",
                                  "실행 {runs}개, 하나씩 하면 약 {minutes}분"),
    "cli.experiment.progress": _t("#{id} {name}: {status}, epoch {epoch}/{epochs}",
                                  "#{id} {name}: {status}, 에포크 {epoch}/{epochs}"),
    "cli.experiment.stopped": _t("experiment {id} stopped", "실험 {id}을(를) 멈췄습니다"),
    "cli.experiment.title": _t("Experiment {id} · {name} · {seeds} seed(s) per value",
                               "실험 {id} · {name} · 값마다 시드 {seeds}개"),
    "cli.experiment.params": _t("parameters", "파라미터"),
    "cli.experiment.accuracy": _t("test accuracy (min–max)", "테스트 정확도 (최소–최대)"),
    "cli.experiment.time": _t("time", "시간"),
    "cli.experiment.runs": _t("runs", "실행"),
    "cli.experiment.best": _t("best", "최고"),
    "cli.experiment.knee": _t("knee", "무릎"),
}
