"""Strings of the screens a class looks at: Reveal, the podium, the spotlight, the
challenge panel's confirmations."""

TEXT: dict[str, dict[str, str]] = {
    "class.col_gap": {"en": "Public − private", "ko": "공개 − 비공개"},
    "class.place": {"en": "#{n} {owner}", "ko": "{n}위 {owner}"},
    "class.gap_of": {"en": "public − private: {gap}", "ko": "공개 − 비공개: {gap}"},
    "class.nobody_moved": {
        "en": "Nobody moved: on the hidden half every model kept its place. A student moves up "
              "when their model does better on new images than the one above it; a large "
              "public − private gap shows a model tuned to the images it could see.",
        "ko": "순위가 바뀐 학생이 없습니다. 숨겨 둔 절반에서도 모든 모델이 제자리를 지켰습니다. "
              "새 이미지에서 바로 위 모델보다 잘하면 순위가 오릅니다. 공개 − 비공개 차이가 크면 "
              "보이는 이미지에 맞춰진 모델입니다."},
    "class.spotlight_ranked": {"en": "Run #{id}: the run ranked on the leaderboard.",
                               "ko": "실행 #{id}: 리더보드에 오른 실행입니다."},
    "class.spotlight_other": {"en": "Run #{id}: not the ranked run (that is run #{ranked}).",
                              "ko": "실행 #{id}: 순위에 오른 실행이 아닙니다 (순위 실행은 #{ranked})."},
    "class.spotlight_unranked": {"en": "Run #{id}: not on the leaderboard.",
                                 "ko": "실행 #{id}: 리더보드에 없는 실행입니다."},
    "class.spotlight_leader": {"en": "the leader's ranked run", "ko": "1위의 순위 실행"},
    "class.spotlight_axis_x": {"en": "Epoch", "ko": "에포크"},
    "class.spotlight_axis_y": {"en": "Validation accuracy (%)", "ko": "검증 정확도 (%)"},
    "class.spotlight_summary": {"en": "Validation accuracy by epoch: {values}",
                                "ko": "에포크별 검증 정확도: {values}"},
    "class.rule_ended": {"en": "ended at {value}", "ko": "{value}에 마감됨"},
    "class.ch_now": {"en": "Now set: {rules}", "ko": "지금 과제: {rules}"},
    "class.ch_set_at": {"en": "Challenge set at {time}.", "ko": "{time}에 과제를 정했습니다."},
    "class.ch_cleared": {"en": "Challenge cleared at {time}.", "ko": "{time}에 과제를 지웠습니다."},
    "class.ch_extend": {"en": "Extend the deadline", "ko": "마감 연장"},
    "class.ch_extend_minutes": {"en": "Minutes more", "ko": "연장할 시간(분)"},
    "class.ch_extend_help": {"en": "Counted from the deadline, or from now when it has passed.",
                             "ko": "마감 시각부터, 이미 지났으면 지금부터 셉니다."},
    "class.ch_extended": {"en": "Deadline moved to {time}.", "ko": "마감을 {time}(으)로 옮겼습니다."},
    "error.no_deadline": {"en": "The challenge has no deadline to extend.",
                          "ko": "연장할 마감이 없습니다."},
    "forecast.with_wait": {
        "en": "Done about **{time}** after the click, **{wait}** of it waiting behind the "
              "{runs} runs already queued or training.",
        "ko": "누른 뒤 약 **{time}** 뒤에 끝납니다. 그중 **{wait}**은(는) 이미 대기 중이거나 "
              "학습 중인 실행 {runs}개를 기다리는 시간입니다."},
    "forecast.no_wait": {"en": "Nothing is queued ahead: done about **{time}** after the click.",
                         "ko": "앞에 대기 중인 실행이 없습니다. 누른 뒤 약 **{time}** 뒤에 끝납니다."},
    "compare.pair_forecast": {"en": "Both runs: {text}", "ko": "두 실행: {text}"},
}
