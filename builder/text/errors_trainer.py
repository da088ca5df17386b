"""Strings of the trainer: how a run diverged, a full disk, damaged checkpoints, notes."""

TEXT: dict[str, dict[str, str]] = {
    "error.diverged": {
        "en": "{why}: the learning rate {rate} is probably too large; retry with {suggested}",
        "ko": "{why}. 학습률 {rate}이(가) 너무 큰 것 같습니다. {suggested}(으)로 다시 해 보세요"},
    "diverged.nan": {
        "en": "the loss became infinite or NaN at epoch {epoch}, batch {batch}",
        "ko": "{epoch}번째 에포크, {batch}번째 배치에서 손실이 무한대나 NaN이 되었습니다"},
    "diverged.exploded": {
        "en": "the loss rose to more than {factor} times its starting value in epoch {epoch}",
        "ko": "{epoch}번째 에포크에서 손실이 처음 값의 {factor}배를 넘게 커졌습니다"},
    "diverged.chance": {
        "en": "accuracy stayed at chance level for all of epoch {epoch} while the loss grew",
        "ko": "{epoch}번째 에포크 내내 정확도가 찍기 수준에 머물고 손실은 커졌습니다"},
    "error.disk_full": {
        "en": "the disk is full: training stopped; the metrics written before and the last saved checkpoint are kept (free some space, then Continue)",
        "ko": "디스크가 가득 찼습니다. 학습을 멈췄으며 그 전에 기록된 지표와 마지막으로 저장된 체크포인트는 남아 있습니다 (공간을 비운 뒤 이어서 학습하세요)"},
    "error.disk_full_no_checkpoint": {
        "en": "the disk is full: training stopped before any checkpoint could be saved, so this run cannot continue; the metrics written before are kept (free some space and train it again)",
        "ko": "디스크가 가득 찼습니다. 체크포인트를 하나도 저장하기 전에 학습을 멈췄으므로 이 실행은 이어서 학습할 수 없습니다. 그 전에 기록된 지표는 남아 있습니다 (공간을 비운 뒤 다시 학습하세요)"},
    "error.checkpoint_damaged": {
        "en": "run {id} cannot continue: its saved models are damaged ({detail})",
        "ko": "{id}번 실행은 이어서 학습할 수 없습니다. 저장된 모델이 손상되었습니다 ({detail})"},
    "note.last_damaged": {
        "en": "the last saved model was damaged; training went on from the best epoch's model",
        "ko": "마지막으로 저장된 모델이 손상되어 가장 좋은 에포크의 모델에서 이어서 학습했습니다"},
    "cli.train.continue": {"en": "continue a stopped or finished run in the foreground",
                           "ko": "멈췄거나 끝난 실행을 이어서 학습합니다 (포그라운드)"},
    "cli.continue.queued": {
        "en": "run {id} was taken by a waiting trainer: it continues in the background (see `runs show {id}`)",
        "ko": "{id}번 실행은 대기 중이던 학습 프로세스가 맡았습니다. 백그라운드에서 이어집니다 (`runs show {id}` 참고)"},
    "cli.train.more": {"en": "epochs more than it has finished (default: the rest of its plan)",
                       "ko": "끝난 에포크보다 더 학습할 에포크 수 (기본: 원래 계획의 나머지)"},
}
