"""Strings of the Compare page: run history, comparisons, the MNIST/CIFAR-10 pair."""

from builder.text.entry import pair


TEXT: dict[str, dict[str, str]] = {
    "compare.tab_history": pair("Run history", "실행 기록"),
    "compare.tab_compare": pair("Compare runs", "실행 비교"),
    "compare.tab_pair": pair("MNIST vs CIFAR-10", "MNIST 대 CIFAR-10"),
    "compare.present": pair("Presentation view", "발표 보기"),
    "compare.present_help": pair("Large type and charts only, for a projector. Switch off to "
                               "return.", "프로젝터용으로 큰 글씨와 차트만 보여 줍니다. 끄면 돌아옵니다."),
    # the runs table
    "compare.find": pair("Find", "찾기"),
    "compare.find_hint": pair("name, dataset, note or layers", "이름, 데이터셋, 메모 또는 레이어"),
    "compare.datasets": pair("Datasets", "데이터셋"),
    "compare.statuses": pair("Status", "상태"),
    "compare.pinned_only": pair("Pinned only", "고정한 것만"),
    "compare.csv": pair("Download table (CSV)", "표 내려받기 (CSV)"),
    "compare.col_label": pair("Run", "실행"),
    "compare.col_pinned": pair("Pinned", "고정"),
    "compare.col_name": pair("Name", "이름"),
    "compare.col_dataset": pair("Dataset", "데이터셋"),
    "compare.col_summary": pair("Architecture", "구조"),
    "compare.col_params": pair("Parameters", "파라미터"),
    "compare.col_flops": pair("FLOPs", "FLOPs"),
    "compare.col_epochs": pair("Epochs", "에포크"),
    "compare.col_best_epoch": pair("Best epoch", "최고 에포크"),
    "compare.col_test_accuracy": pair("Test accuracy", "테스트 정확도"),
    "compare.col_test_loss": pair("Test loss", "테스트 손실"),
    "compare.col_seconds": pair("Training time", "학습 시간"),
    "compare.col_status": pair("Status", "상태"),
    "compare.col_created": pair("Date", "날짜"),
    "compare.col_note": pair("Note", "메모"),
    "compare.status_queued": pair("queued", "대기 중"),
    "compare.status_running": pair("running", "학습 중"),
    "compare.status_stopping": pair("stopping", "멈추는 중"),
    "compare.status_stopped": pair("stopped", "멈춤"),
    "compare.status_completed": pair("completed", "완료"),
    "compare.status_diverged": pair("diverged", "발산"),
    "compare.status_failed": pair("failed", "실패"),
    "compare.status_interrupted": pair("interrupted", "중단됨"),
    # a run's label (builder.compare.run_labels)
    "compare.label_epochs": pair("{n} ep", "{n} 에포크"),
    "compare.label_images": pair("{n} img", "이미지 {n}"),
    "compare.label_optimizer": pair("{value}", "{value}"),
    "compare.label_learning_rate": pair("lr {value}", "학습률 {value}"),
    "compare.label_batch_size": pair("batch {value}", "배치 {value}"),
    "compare.label_validation_split": pair("val {value}", "검증 {value}"),
    "compare.label_seed": pair("seed {value}", "시드 {value}"),
    "compare.label_more": pair("{n} more", "외 {n}개"),
    # one run's actions
    "compare.manage": pair("Rename, note, pin, open, download or delete a run",
                         "실행 이름 바꾸기, 메모, 고정, 열기, 내려받기, 삭제"),
    "compare.manage_run": pair("Run", "실행"),
    "compare.save": pair("Save name and note", "이름과 메모 저장"),
    "compare.saved": pair("Saved {name}.", "저장했습니다: {name}"),
    "compare.pin": pair("Pinned (shown first)", "고정 (맨 위에 표시)"),
    "compare.open_build": pair("Open in Build", "만들기에서 열기"),
    "compare.download_model": pair("Best model (.keras)", "최고 모델 (.keras)"),
    "compare.no_model": pair("This run has no saved model yet: it saves one after its first "
                           "full epoch.", "아직 저장된 모델이 없습니다. 첫 에포크를 마치면 저장됩니다."),
    "compare.download_script": pair("Training script (.py)", "학습 스크립트 (.py)"),
    "compare.delete": pair("Delete run", "실행 삭제"),
    "compare.delete_active": pair("Stop the run before deleting it.", "삭제하려면 먼저 학습을 멈추세요."),
    "compare.delete_confirm": pair("Delete {name} with its metrics and saved models? This cannot "
                                 "be undone.", "{name}의 기록과 저장된 모델을 삭제할까요? 되돌릴 수 "
                                               "없습니다."),
    "compare.delete_yes": pair("Yes, delete", "네, 삭제합니다"),
    "compare.cancel": pair("Cancel", "취소"),
    # comparing chosen runs
    "compare.pick": pair("Runs to compare", "비교할 실행"),
    "compare.pick_hint": pair("Choose runs here or select rows in the run history",
                            "여기서 고르거나 실행 기록 표에서 행을 선택하세요"),
    "compare.pick_first": pair("Choose two or more runs to overlay their curves.",
                             "두 개 이상의 실행을 고르면 학습 곡선을 겹쳐 보여 줍니다."),
    "compare.per_batch": pair("Per batch", "배치마다"),
    "compare.per_batch_help": pair("A point after every batch instead of every epoch: the way to "
                                 "see runs of one or two epochs.",
                                 "에포크마다가 아니라 배치마다 점을 찍습니다. 한두 에포크만 학습한 "
                                 "실행은 이렇게 보아야 잘 보입니다."),
    "compare.loss": pair("Loss", "손실"),
    "compare.accuracy": pair("Accuracy", "정확도"),
    "compare.train": pair("training", "훈련"),
    "compare.validation": pair("validation", "검증"),
    "compare.epoch": pair("Epoch", "에포크"),
    "compare.html": pair("Download chart (HTML)", "차트 내려받기 (HTML)"),
    "compare.png_help": pair("An interactive page that opens in any browser. For a picture, use "
                           "the camera button above the chart (download as PNG).",
                           "어느 브라우저에서나 열리는 대화형 페이지입니다. 그림이 필요하면 차트 위의 "
                           "카메라 버튼(PNG로 내려받기)을 쓰세요."),
    "compare.diff": pair("What differs", "무엇이 다른가"),
    "compare.only_different": pair("Only differences", "다른 것만"),
    "compare.same_settings": pair("These runs used the same settings.", "같은 설정으로 학습했습니다."),
    "compare.setting_dataset": pair("Dataset", "데이터셋"),
    "compare.setting_input_shape": pair("Input shape", "입력 형태"),
    "compare.setting_optimizer": pair("Optimizer", "옵티마이저"),
    "compare.setting_learning_rate": pair("Learning rate", "학습률"),
    "compare.setting_batch_size": pair("Batch size", "배치 크기"),
    "compare.setting_epochs": pair("Epochs planned", "계획한 에포크"),
    "compare.setting_validation_split": pair("Validation share", "검증 비율"),
    "compare.setting_limit": pair("Training images (limit)", "학습 이미지 수 (제한)"),
    "compare.setting_seed": pair("Random seed", "난수 시드"),
    "compare.setting_epochs_done": pair("Epochs run", "실행한 에포크"),
    "compare.arch_vs": pair("**{b}** against **{a}**: {n} layer(s) differ.",
                          "기준 **{a}** · 비교 **{b}** · 다른 레이어 {n}개"),
    "compare.change": pair("Change", "변화"),
    "compare.layer": pair("Layer", "레이어"),
    "compare.params_changed": pair("Parameters", "파라미터"),
    "compare.kind_same": pair("same", "같음"),
    "compare.kind_changed": pair("changed", "바뀜"),
    "compare.kind_added": pair("added", "추가됨"),
    "compare.kind_removed": pair("removed", "빠짐"),
    "compare.tradeoff": pair("Accuracy for what it costs", "비용 대비 정확도"),
    "compare.cost": pair("Against", "기준"),
    "compare.cost_params": pair("Parameters", "파라미터 수"),
    "compare.cost_seconds": pair("Training time (s)", "학습 시간 (초)"),
    "compare.test_accuracy": pair("Test accuracy", "테스트 정확도"),
    "compare.front": pair("best for the cost", "비용 대비 최고"),
    "compare.best": pair("best runs", "최고 실행"),
    "compare.others": pair("other runs", "다른 실행"),
    "compare.front_help": pair("Stars (numbered): no other run is both cheaper and more "
                             "accurate. Point at any dot to see its run.",
                             "별(번호 표시): 더 싸면서 더 정확한 다른 실행이 없는 실행입니다. "
                             "점에 마우스를 올리면 어떤 실행인지 보입니다."),
    "compare.no_results": pair("No run has a test accuracy yet: finish a training run first.",
                             "아직 테스트 정확도가 있는 실행이 없습니다. 먼저 학습을 끝내세요."),
    # one model, two datasets
    "compare.pair_intro": pair(
        "Train the model from the Build page (**{name}**) on MNIST and on CIFAR-10 with the "
        "same settings. Only the input changes: 28×28×1 grey digits against 32×32×3 colour "
        "photos.",
        "만들기 페이지의 모델(**{name}**)을 같은 설정으로 MNIST와 CIFAR-10에서 학습합니다. "
        "입력만 바뀝니다: 28×28×1 흑백 숫자 대 32×32×3 컬러 사진."),
    "compare.pair_shapes": pair("Shapes and parameters on each dataset, layer by layer",
                              "데이터셋별 레이어마다의 형태와 파라미터"),
    "compare.shape": pair("output", "출력"),
    "compare.pair_params": pair("Parameters on {dataset}", "{dataset}에서 파라미터"),
    "compare.pair_params_help": pair("The change is against the model as built ({shape}).",
                                   "변화량은 만든 모델({shape}) 기준입니다."),
    "compare.pair_biggest": pair(
        "Biggest change: {layer}, {a} → {b} parameters, because its input grows from {shape_a} "
        "to {shape_b}.",
        "가장 큰 변화: {layer}, 파라미터 {a} → {b}. 입력 형태가 커졌기 때문입니다 "
        "({shape_a} → {shape_b})."),
    "compare.pair_epochs": pair("Epochs", "에포크"),
    "compare.pair_limit": pair("Training images", "학습 이미지 수"),
    "compare.pair_all": pair("all", "전부"),
    # short: on the Build page it shares half a column with the Train link
    "compare.pair_button": pair("MNIST + CIFAR-10", "MNIST + CIFAR-10"),
    "compare.pair_none": pair("No pair trained yet in this session: press the button to start both "
                            "runs; they appear here side by side.",
                            "이 세션에서 아직 학습한 짝이 없습니다. 버튼을 누르면 두 실행이 시작되고 "
                            "여기에 나란히 나타납니다."),
    "compare.card_status": pair("{status} · epoch {epoch} of {epochs}",
                              "{status} · 에포크 {epoch}/{epochs}"),
    "compare.card_numbers": pair("test loss {loss} · {epochs} ep · {seconds} s",
                               "테스트 손실 {loss} · {epochs} 에포크 · {seconds}초"),
    "compare.why_harder": pair(
        "Why CIFAR-10 is harder (from the tutorial): the same kind of CNN reaches 98.92 % on "
        "MNIST but 70.62 % on CIFAR-10. MNIST can be learned to high accuracy even by a simple "
        "model. CIFAR-10 is more complex, so it needs more data and a deeper model; 70.62 % "
        "suggests the model is not complex enough for it and has not fully learned its complex "
        "patterns. The relatively high loss means it still makes many mistakes: it has not "
        "learned the variety and complexity of CIFAR-10.",
        "CIFAR-10이 더 어려운 이유 (튜토리얼에서): 같은 종류의 CNN이 MNIST에서는 98.92 %, "
        "CIFAR-10에서는 70.62 %에 이릅니다. MNIST 데이터셋은 일반적으로 간단한 모델로도 높은 "
        "정확도를 얻을 수 있습니다. CIFAR-10 데이터셋은 MNIST보다 더 복잡하기 때문에 더 많은 "
        "데이터와 더 깊은 모델이 필요합니다. 70.62%의 정확도는 모델이 충분히 복잡하지 않아 "
        "복잡한 패턴을 완전히 학습하지 못했음을 나타낼 수 있습니다. 비교적 높은 손실 값은 모델이 "
        "예측에서 많은 오류를 범하고 있음을, 즉 CIFAR-10의 다양성과 복잡성을 충분히 학습하지 "
        "못했음을 의미합니다."),
    # errors
    "error.compare_unfit": pair("the model does not fit {dataset} ({count} problem(s)): fix it on "
                              "the Build page first",
                              "모델이 {dataset}에 맞지 않습니다 (문제 {count}개). 먼저 만들기 페이지에서 "
                              "고치세요"),
    "error.compare_dataset": pair("unknown dataset {name}; known: {known}",
                                "알 수 없는 데이터셋 {name}. 가능한 것: {known}"),
}
