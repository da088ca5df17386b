"""Errors of experiments (builder.experiments): knobs, values, impossible variants."""

from builder.text.entry import pair


TEXT: dict[str, dict[str, str]] = {
    "error.experiment_knob": pair(
        "unknown knob {knob}: use N.param for a parameter of layer N (e.g. 1.filters), "
        "N.present, depth, or a setting ({settings})",
        "알 수 없는 실험 항목입니다: {knob}. N번째 레이어의 파라미터는 N.param(예: 1.filters), "
        "N.present, depth, 또는 설정({settings})을 쓰세요"),
    "error.experiment_layer": pair("{knob}: there is no such layer (the model has {count} layers)",
                                 "{knob}: 그런 레이어가 없습니다 (모델의 레이어는 {count}개)"),
    "error.experiment_param": pair("{knob}: {where} has no parameter {name} (it has: {names})",
                                 "{knob}: {where}에는 {name} 파라미터가 없습니다 (있는 것: {names})"),
    "error.experiment_value": pair("{knob}: {detail}", "{knob}: {detail}"),
    "error.experiment_no_values": pair("{knob}: give at least one value",
                                     "{knob}: 값을 하나 이상 주세요"),
    "error.experiment_seeds": pair("seeds must be a whole number from 1 to {limit}, got {got}",
                                 "시드 수는 1–{limit} 사이의 정수여야 합니다. 받은 값: {got}"),
    "error.experiment_too_many": pair(
        "{runs} runs ({values} values × {seeds} seeds) is more than {limit}: use fewer values "
        "or seeds",
        "실행 {runs}개(값 {values}개 × 시드 {seeds}개)는 한도 {limit}개보다 많습니다. 값이나 시드를 "
        "줄이세요"),
    "error.experiment_impossible": pair("with {knob} = {value} the model cannot train: {problem}",
                                      "{knob} = {value}이면 모델을 학습할 수 없습니다: {problem}"),
    "error.experiment_no_pair": pair(
        "depth needs a Conv2D followed by MaxPooling2D in the model's main stack",
        "depth에는 모델의 주 스택에 Conv2D 바로 뒤에 MaxPooling2D가 있어야 합니다"),
    "error.cli_experiment_usage": pair(
        "use: experiment ARCH --vary KNOB=V1,V2,…  or  experiment show ID  or  experiment list",
        "사용법: experiment ARCH --vary KNOB=V1,V2,…  또는  experiment show ID  또는  experiment list"),
    "error.experiment_continue_epochs": pair(
        "this experiment varies the epochs: continuing its runs would make them all alike",
        "이 실험은 에포크를 바꾸는 실험입니다. 실행을 이어 학습하면 모두 같아집니다"),
}
