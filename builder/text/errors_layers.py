"""Strings of the analysis's size limits and layer fixes (the layers area)."""

TEXT: dict[str, dict[str, str]] = {
    "fix.move_after_flatten": {"en": "Move this Dense after {layer}",
                               "ko": "이 Dense를 {layer} 뒤로 옮기기"},
    "problem.too_many_params": {
        "en": "the model has {params} parameters, more than the limit of {limit}; the biggest layer, "
              "this {layer}, holds {layer_params}",
        "ko": "모델의 파라미터가 {params}개로 한도 {limit}개를 넘습니다. 가장 큰 레이어인 이 {layer}에 "
              "{layer_params}개가 있습니다"},
    "hint.too_many_params": {
        "en": "make this layer smaller (fewer units or filters), or shrink its input: pooling or "
              "strides before Flatten, or GlobalAveragePooling2D instead of Flatten",
        "ko": "이 레이어를 줄이거나(유닛·필터 수), 입력을 줄이세요: Flatten 앞에 풀링이나 보폭, "
              "또는 Flatten 대신 GlobalAveragePooling2D"},
    "problem.too_much_memory": {
        "en": "training needs about {memory} for the weights and a batch's activations, more than the "
              "{limit} one trainer has; the biggest layer, this {layer}, holds {layer_params} parameters",
        "ko": "학습에 가중치와 한 배치의 활성값으로 약 {memory}이(가) 필요해 학습 프로세스 하나가 쓸 수 있는 "
              "{limit}을(를) 넘습니다. 가장 큰 레이어인 이 {layer}의 파라미터는 {layer_params}개입니다"},
    "hint.too_much_memory": {
        "en": "shrink the feature maps early (pooling or strides), use fewer filters or units, "
              "or a smaller batch",
        "ko": "앞쪽에서 특징 맵을 줄이거나(풀링, 보폭) 필터·유닛 수나 배치 크기를 줄이세요"},
    "problem.big_model": {
        "en": "a big model: {params} parameters, about {memory} to train (the biggest layer, this "
              "{layer}, holds {layer_params}); training will be slow",
        "ko": "큰 모델입니다: 파라미터 {params}개, 학습에 약 {memory} 필요(가장 큰 레이어인 이 {layer}에 "
              "{layer_params}개). 학습이 느립니다"},
    "hint.big_model": {
        "en": "check the time forecast on the Train page before Start, or make this layer smaller",
        "ko": "시작하기 전에 학습 페이지의 예상 시간을 확인하거나 이 레이어를 줄이세요"},
}
