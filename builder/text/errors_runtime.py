"""Errors of the run store, the queue and ownership (builder.store, builder.access, pool)."""

TEXT: dict[str, dict[str, str]] = {
    "error.not_owner": {
        "en": "only the owner of run {id} or the teacher may change it",
        "ko": "{id}번 실행은 만든 사람이나 선생님만 바꿀 수 있습니다"},
    "error.experiment_not_owner": {
        "en": "only the owner of experiment {id} or the teacher may change it",
        "ko": "{id}번 실험은 만든 사람이나 선생님만 바꿀 수 있습니다"},
    "error.teacher_only": {
        "en": "only the teacher may change the class settings",
        "ko": "수업 설정은 선생님만 바꿀 수 있습니다"},
    "error.queue_full": {
        "en": "you already have {limit} runs waiting; wait until one starts, or stop one",
        "ko": "이미 {limit}개의 실행이 대기 중입니다. 하나가 시작될 때까지 기다리거나 하나를 멈추세요"},
    "error.experiment_missing": {"en": "there is no experiment {id}", "ko": "{id}번 실험이 없습니다"},
    "error.lease_lost": {
        "en": "this trainer lost run {id} (it was paused too long, or another trainer took the run over); it stopped without changing the run",
        "ko": "이 학습 프로세스는 {id}번 실행을 잃었습니다 (너무 오래 멈춰 있었거나 다른 프로세스가 넘겨받았습니다). 실행을 바꾸지 않고 멈췄습니다"},
    "error.stalled": {
        "en": "the trainer stopped answering for more than {seconds} s and was ended; the metrics and the best model so far, if any, are kept",
        "ko": "학습 프로세스가 {seconds}초 넘게 응답하지 않아 끝냈습니다. 지금까지의 지표와 가장 좋은 모델이 있다면 남아 있습니다"},
    "error.store_corrupt": {
        "en": "the run store at {path} is damaged ({reason}); LayerLab left it untouched. Move it aside or restore a backup to start afresh, or set {env} to another file",
        "ko": "{path}의 실행 기록 저장소가 손상되었습니다 ({reason}). LayerLab은 이 파일을 건드리지 않았습니다. 새로 시작하려면 파일을 옮기거나 백업을 복원하거나, {env}을(를) 다른 파일로 지정하세요"},
    "error.out_of_memory": {
        "en": "the trainer ran out of memory and the system ended it (forecast peak memory {memory}); try fewer filters or units, a smaller batch size or fewer images. The metrics and the best model so far, if any, are kept",
        "ko": "학습 중 메모리가 부족해 시스템이 학습 프로세스를 끝냈습니다 (예상 최대 메모리 {memory}). 필터나 유닛 수, 배치 크기 또는 이미지 수를 줄여 보세요. 지금까지의 지표와 가장 좋은 모델이 있다면 남아 있습니다"},
}
