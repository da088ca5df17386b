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
}
