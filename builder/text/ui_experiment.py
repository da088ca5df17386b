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
    # the Compare page's Experiment tab (components/compare/experiment*.py)
    "compare.tab_experiment": _t("Experiment", "실험"),
    "experiment.presets": _t("Ready-made experiments on the seed models:",
                             "튜토리얼 모델로 바로 하는 실험:"),
    "experiment.model": _t("Model: **{name}** on {dataset}", "모델: **{name}**, 데이터셋 {dataset}"),
    "experiment.use_build": _t("Use the Build page's model", "Build 페이지 모델 쓰기"),
    "experiment.knob": _t("What varies", "바꿀 항목"),
    "experiment.present": _t("with / without", "있음 / 없음"),
    "experiment.values": _t("Values (comma-separated)", "값 (쉼표로 구분)"),
    "experiment.values_help": _t(
        "e.g. 16, 32, 64 · 3x3, 5x5 · with, without · all (no image limit)",
        "예: 16, 32, 64 · 3x3, 5x5 · with, without · all (이미지 수 제한 없음)"),
    "experiment.seeds": _t("Seeds per value", "값마다 시드 수"),
    "experiment.seeds_help": _t(
        "Each value trains this many times with different random starts, so the class can "
        "tell an effect from noise.",
        "값마다 무작위 시작을 바꿔 이만큼 학습합니다. 효과와 우연을 구별할 수 있습니다."),
    "experiment.params_change": _t("Δ parameters", "Δ 파라미터"),
    "experiment.shapes": _t("Output shape of each layer", "레이어별 출력 형태"),
    "experiment.problems": _t("Problems", "문제"),
    "experiment.runs": _t("Runs", "실행"),
    "experiment.cost": _t("**{runs} runs**, about **{time}** one after another",
                          "**실행 {runs}개**, 하나씩 학습하면 약 **{time}**"),
    "experiment.cost_unknown": _t("**{runs} runs** (the dataset's size is unknown, so no forecast)",
                                  "**실행 {runs}개** (데이터셋 크기를 몰라 예측할 수 없습니다)"),
    "experiment.forecast_help": _t(
        "The sum of every run's forecast; with several workers or a Ray cluster runs train "
        "at the same time.",
        "모든 실행 예측의 합입니다. 작업자가 여럿이거나 Ray 클러스터에서는 동시에 학습합니다."),
    "experiment.start": _t("Train every variant", "모든 변형 학습"),
    "experiment.none": _t("No experiment yet: choose what varies above and start one.",
                          "아직 실험이 없습니다. 위에서 바꿀 항목을 골라 시작하세요."),
    "experiment.pick": _t("Experiment", "실험"),
    "experiment.secondary": _t("Bars show", "막대"),
    "experiment.axis_params": _t("parameters", "파라미터"),
    "experiment.axis_seconds": _t("training time (s)", "학습 시간 (초)"),
    "experiment.axis_accuracy": _t("test accuracy (mean, min–max)",
                                   "테스트 정확도 (평균, 최소–최대)"),
    "experiment.axis_seeds": _t("each seed", "시드별"),
    "experiment.axis_curve_validation": _t("validation accuracy", "검증 정확도"),
    "experiment.axis_curve_train": _t("training accuracy", "학습 정확도"),
    "experiment.best": _t("best", "최고"),
    "experiment.knee": _t("knee", "무릎"),
    "experiment.status": _t("{ended} of {total} runs ended · {knob} · {seeds} seed(s) per value",
                            "실행 {total}개 중 {ended}개 끝남 · {knob} · 값마다 시드 {seeds}개"),
    "experiment.stop": _t("Stop experiment", "실험 멈추기"),
    "experiment.continue": _t("Continue", "이어 학습"),
    "experiment.more_epochs": _t("More epochs for every run", "모든 실행에 더할 에포크"),
    "experiment.continue_go": _t("Continue every run", "모든 실행 이어 학습"),
    "experiment.delete": _t("Delete", "삭제"),
    "experiment.delete_confirm": _t("This removes the experiment and its {n} run(s), with their "
                                    "metrics and saved models.",
                                    "실험과 그 실행 {n}개를 지표, 저장된 모델과 함께 지웁니다."),
    "experiment.delete_go": _t("Delete the experiment", "실험 삭제"),
    "experiment.deleted": _t("Experiment #{id} was deleted.", "#{id} 실험을 지웠습니다."),
    "experiment.continued": _t("{n} run(s) continue for {epochs} more epochs.",
                               "실행 {n}개를 {epochs} 에포크 더 학습합니다."),
    "experiment.cost_parallel": _t(", about **{time}** with {workers} at once",
                                   ", {workers}개씩 동시에 하면 약 **{time}**"),
    "experiment.mean": _t("Mean", "평균"),
    "experiment.min": _t("Min", "최소"),
    "experiment.max": _t("Max", "최대"),
    "experiment.std": _t("Std", "표준편차"),
    "experiment.mark": _t("Mark", "표시"),
    "experiment.compare_runs": _t("Compare these runs", "이 실행들 비교"),
    # the Build page's Vary this
    "experiment.vary_this": _t("Vary this", "이것 바꿔 보기"),
    "experiment.vary_param": _t("Parameter", "파라미터"),
    "experiment.vary_go": _t("Set up the experiment", "실험 준비하기"),
}
