"""Error texts for oversized datasets, the dataset worker and settings that leave no data."""

TEXT: dict[str, dict[str, str]] = {
    "error.npz_too_big": {
        "en": "the dataset's arrays would take {size:,} bytes in memory; the limit is {limit:,} "
              "(a server setting, {env})",
        "ko": "데이터셋 배열이 메모리에서 {size:,}바이트를 차지합니다. 한도는 {limit:,}바이트입니다 "
              "(서버 설정 {env})"},
    "error.npz_memory": {
        "en": "there was not enough memory to read the dataset (the limit is {limit:,} bytes, "
              "a server setting, {env}); try a smaller file",
        "ko": "데이터셋을 읽을 메모리가 부족합니다 (한도 {limit:,}바이트, 서버 설정 {env}). "
              "더 작은 파일을 사용해 보세요"},
    "error.dataset_worker": {
        "en": "the dataset could not be read: the process reading it stopped ({reason})",
        "ko": "데이터셋을 읽지 못했습니다: 읽던 프로세스가 멈췄습니다 ({reason})"},
    "error.split_no_training": {
        "en": "of {images:,} training images, a validation share of {split} leaves {fit:,} to "
              "learn from; at least {needed} are needed (one batch of {batch}): lower the "
              "validation share or the batch size, or raise the image limit",
        "ko": "학습 이미지 {images:,}장 중 검증 비율 {split}이면 학습에 {fit:,}장만 남습니다. "
              "최소 {needed}장(배치 크기 {batch}의 한 배치)이 필요합니다: 검증 비율이나 배치 크기를 "
              "줄이거나 이미지 한도를 늘리세요"},
    "error.split_no_validation": {
        "en": "of {images:,} training images, a validation share of {split} leaves no image "
              "to validate on: raise the validation share or the image limit, or set it to 0",
        "ko": "학습 이미지 {images:,}장 중 검증 비율 {split}이면 검증에 쓸 이미지가 없습니다. "
              "검증 비율이나 이미지 한도를 늘리거나 검증 비율을 0으로 하세요"},
}
