"""Strings of the Train page: model check, dataset, settings, forecast, live run, evaluation."""

TEXT: dict[str, dict[str, str]] = {
    # the model being trained
    "train.model": {"en": "Model", "ko": "모델"},
    "train.model_line": {
        "en": "**{name}** · {params:,} parameters · input {shape} → output {output}",
        "ko": "**{name}** · 파라미터 {params:,}개 · 입력 {shape} → 출력 {output}"},
    "train.model_unnamed": {"en": "the model from the Build page", "ko": "만들기 페이지의 모델"},
    "train.cannot_start": {"en": "Training cannot start yet:", "ko": "아직 학습을 시작할 수 없습니다:"},
    "train.model_errors": {
        "en": "the model has {count} error(s); fix them here or on the Build page",
        "ko": "모델에 오류가 {count}개 있습니다. 여기나 만들기 페이지에서 고치세요"},
    "train.model_empty": {"en": "the model has no layers; add some on the Build page",
                          "ko": "모델에 레이어가 없습니다. 만들기 페이지에서 레이어를 추가하세요"},
    "train.input_mismatch": {
        "en": "the model takes {model} images but {dataset} holds {data} images; LayerLab "
              "never changes your model silently",
        "ko": "모델은 {model} 이미지를 받는데 {dataset}은(는) {data} 이미지입니다. LayerLab은 "
              "모델을 몰래 바꾸지 않습니다"},
    "train.adapt_input": {"en": "Set the model's input to {data}",
                          "ko": "모델 입력을 {data}(으)로 바꾸기"},
    "train.bad_settings": {"en": "a setting is invalid: {error}", "ko": "설정이 잘못되었습니다: {error}"},
    "train.no_dataset": {"en": "choose a dataset", "ko": "데이터셋을 고르세요"},
    "train.dataset_unavailable": {
        "en": "{dataset} is not on this computer and could not be downloaded; try again when "
              "online or choose the offline set",
        "ko": "{dataset}이(가) 이 컴퓨터에 없고 내려받지도 못했습니다. 인터넷에 연결되면 다시 시도하거나 "
              "오프라인 데이터셋을 고르세요"},
    # dataset
    "train.dataset": {"en": "Dataset", "ko": "데이터셋"},
    "train.upload_option": {"en": "Your own images (.zip) or .npz file…",
                            "ko": "내 이미지(.zip) 또는 .npz 파일…"},
    "train.upload": {"en": "Upload a .zip of image folders or a .npz file",
                     "ko": "이미지 폴더 .zip 또는 .npz 파일 올리기"},
    "train.upload_folder_help": {
        "en": "A .zip with one folder per class, e.g. cats/1.png, cats/2.jpg, dogs/1.png "
              "(PNG or JPEG, at least two classes). The images are resized to the size you "
              "choose and split into training and test images (20 % of each class, always "
              "the same split).",
        "ko": "클래스마다 폴더가 하나씩 있는 .zip 파일, 예: cats/1.png, cats/2.jpg, dogs/1.png "
              "(PNG 또는 JPEG, 클래스 두 개 이상). 이미지는 고른 크기로 바뀌고 학습용과 테스트용으로 "
              "나뉩니다 (클래스마다 20 %, 언제나 같은 방식으로)."},
    "train.upload_reading": {"en": "Reading the images…", "ko": "이미지를 읽는 중…"},
    "train.image_size": {"en": "Make the images", "ko": "이미지 크기"},
    "train.image_size_grey28": {"en": "28×28 grey (like MNIST)", "ko": "28×28 흑백 (MNIST처럼)"},
    "train.image_size_colour32": {"en": "32×32 colour (like CIFAR-10)",
                                  "ko": "32×32 컬러 (CIFAR-10처럼)"},
    "train.class_counts": {"en": "Images per class (training/test): {counts}",
                           "ko": "클래스별 이미지 수 (학습/테스트): {counts}"},
    "train.upload_help": {
        "en": "A NumPy archive in the keras.datasets layout: x_train, y_train, x_test, y_test "
              "(images as uint8 0–255, shaped N×H×W or N×H×W×C; integer labels 0…classes−1), "
              "optionally class_names.",
        "ko": "keras.datasets 형식의 NumPy 압축 파일: x_train, y_train, x_test, y_test "
              "(이미지는 uint8 0–255, N×H×W 또는 N×H×W×C 형태, 레이블은 0…클래스수−1 정수), "
              "class_names는 선택."},
    "train.upload_bad": {"en": "This file cannot be used: {error}",
                         "ko": "이 파일은 쓸 수 없습니다: {error}"},
    "train.downloads_once": {"en": "Training downloads it once ({size} MB).",
                             "ko": "학습할 때 한 번 내려받습니다({size} MB)."},
    "train.info": {"en": "{train:,} training and {test:,} test images · {shape} · {classes} classes",
                   "ko": "학습 이미지 {train:,}장, 테스트 이미지 {test:,}장 · {shape} · 클래스 {classes}개"},
    "train.info_copy": {"en": "These are the images that will be used: a local copy, smaller than "
                                "the full set described below.",
                          "ko": "실제로 쓸 이미지 수입니다: 아래에 설명된 전체 데이터셋보다 작은 이 컴퓨터의 "
                                "사본입니다."},
    "train.class_list": {"en": "Classes: {names}", "ko": "클래스: {names}"},
    "train.preview": {"en": "Sample images with their labels", "ko": "레이블이 붙은 예시 이미지"},
    "train.not_downloaded": {
        "en": "{title} is not on this machine yet. The trainer downloads it when you start; "
              "download it now to see sample images first.",
        "ko": "{title}은(는) 아직 이 컴퓨터에 없습니다. 학습을 시작하면 학습 프로세스가 내려받습니다. "
              "예시 이미지를 먼저 보려면 지금 내려받으세요."},
    "train.download": {"en": "Download now", "ko": "지금 내려받기"},
    "train.downloading": {"en": "Downloading {title}… {done}", "ko": "{title} 내려받는 중… {done}"},
    "train.connecting": {"en": "Connecting to the download server for {title}… {elapsed}",
                         "ko": "{title}을(를) 받으려고 서버에 연결하는 중… {elapsed}"},
    "train.download_failed": {
        "en": "{title} could not be downloaded: this computer seems to be offline. Connect to "
              "the internet and try again, put the dataset's file in {folder}, or use the "
              "offline set ({offline}).",
        "ko": "{title}을(를) 내려받지 못했습니다. 이 컴퓨터가 인터넷에 연결되어 있지 않은 것 같습니다. "
              "인터넷에 연결한 뒤 다시 시도하거나, 데이터셋 파일을 {folder}에 넣거나, 오프라인 "
              "데이터셋({offline})을 쓰세요."},
    "train.download_detail": {"en": "Technical details", "ko": "기술적인 자세한 내용"},
    "train.download_retry": {"en": "Try again", "ko": "다시 시도"},
    "train.use_offline": {"en": "Use the offline set ({title})",
                          "ko": "오프라인 데이터셋 사용 ({title})"},
    # settings
    "train.settings": {"en": "Settings", "ko": "학습 설정"},
    "train.optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "train.optimizer_help": {
        "en": "How the weights move downhill on the loss. Adam adapts the step per weight "
              "(the seed's choice); SGD uses momentum 0.9; RMSprop scales steps by recent gradients.",
        "ko": "손실을 줄이는 방향으로 가중치를 옮기는 방법입니다. Adam은 가중치마다 보폭을 조절합니다 "
              "(튜토리얼의 선택). SGD는 모멘텀 0.9를 쓰고, RMSprop은 최근 기울기로 보폭을 조절합니다."},
    "train.opt_adam": {"en": "Adam", "ko": "Adam"},
    "train.opt_sgd": {"en": "SGD with momentum", "ko": "SGD (모멘텀)"},
    "train.opt_rmsprop": {"en": "RMSprop", "ko": "RMSprop"},
    "train.learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "train.learning_rate_help": {
        "en": "The size of each weight update. Too large and the loss never settles (or becomes "
              "NaN); too small and training is slow or gets stuck.",
        "ko": "가중치를 한 번에 바꾸는 크기입니다. 너무 크면 손실이 자리를 잡지 못하고(또는 NaN이 되고), "
              "너무 작으면 학습이 느리거나 멈춥니다."},
    "train.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "train.batch_size_help": {"en": "Images per weight update (the seed uses 64).",
                              "ko": "가중치를 한 번 바꿀 때 쓰는 이미지 수입니다 (튜토리얼은 64)."},
    "train.epochs": {"en": "Epochs", "ko": "에포크"},
    "train.epochs_help": {"en": "Passes over the whole training set.",
                          "ko": "학습 데이터 전체를 몇 번 볼지입니다."},
    "train.validation_split": {"en": "Validation share", "ko": "검증 데이터 비율"},
    "train.validation_split_help": {
        "en": "Part of the training images held out to check the model after each epoch "
              "(the seed uses 0.1).",
        "ko": "에포크마다 모델을 확인하려고 떼어 두는 학습 이미지의 비율입니다 (튜토리얼은 0.1)."},
    "train.limit": {"en": "Image limit (quick run)", "ko": "이미지 수 제한 (빠른 실행)"},
    "train.limit_help": {
        "en": "Train on at most this many images, keeping each class's share. Empty: all images.",
        "ko": "클래스 비율을 유지하면서 이 수만큼만 학습합니다. 비워 두면 전부 씁니다."},
    "train.seed": {"en": "Random seed", "ko": "랜덤 시드"},
    "train.seed_help": {"en": "The same seed, settings and data give the same run.",
                        "ko": "시드, 설정, 데이터가 같으면 같은 결과가 나옵니다."},
    # forecast
    "train.forecast": {"en": "Cost forecast", "ko": "비용 예측"},
    "train.forecast_epoch": {"en": "Time per epoch", "ko": "에포크당 시간"},
    "train.forecast_total": {"en": "Whole run", "ko": "전체 실행"},
    "train.forecast_memory": {"en": "Peak memory", "ko": "최대 메모리"},
    "train.forecast_note": {"en": "Estimates measured on this machine.",
                            "ko": "이 컴퓨터에서 측정한 값으로 낸 추정치입니다."},
    "train.forecast_split": {
        "en": "About {startup} to start (TensorFlow, the data, the model) + {training} training.",
        "ko": "시작에 약 {startup} (TensorFlow, 데이터, 모델 준비) + 학습 {training}."},
    "train.forecast_images": {
        "en": "Uses {used:,} of the {total:,} training images: {fit:,} to learn from and {val:,} "
              "to validate after each epoch.",
        "ko": "학습 이미지 {total:,}장 중 {used:,}장을 씁니다: {fit:,}장으로 학습하고 {val:,}장으로 "
              "에포크마다 검증합니다."},
    "train.forecast_typical": {
        "en": "Estimated with typical laptop speeds; measure this machine for its own numbers.",
        "ko": "일반적인 노트북 속도로 추정했습니다. 이 컴퓨터의 값을 보려면 속도를 측정하세요."},
    "train.forecast_calibrate": {"en": "Measure this machine (about 20 s)",
                                 "ko": "이 컴퓨터 측정하기 (약 20초)"},
    "train.forecast_measuring": {"en": "Training a small model in a separate process to measure speed…",
                                 "ko": "속도를 재려고 별도 프로세스에서 작은 모델을 학습하는 중…"},
    "train.forecast_missing": {"en": "No cost forecast available.",
                               "ko": "비용 예측을 할 수 없습니다."},
    # start and the run
    "train.start": {"en": "Start training", "ko": "학습 시작"},
    "train.new_run": {"en": "New run", "ko": "새 학습"},
    "train.run_title": {"en": "Run {id}: {name}", "ko": "{id}번 실행: {name}"},
    "train.run_pick": {"en": "Show run", "ko": "실행 보기"},
    "train.status": {"en": "Status: {status}", "ko": "상태: {status}"},
    "train.status_queued": {"en": "queued, waiting for a free trainer", "ko": "대기 중 (학습 프로세스를 기다림)"},
    "train.status_running": {"en": "running", "ko": "학습 중"},
    "train.status_stopping": {"en": "stopping", "ko": "멈추는 중"},
    "train.status_stopped": {"en": "stopped", "ko": "멈춤"},
    "train.status_completed": {"en": "completed", "ko": "완료"},
    "train.status_diverged": {"en": "diverged", "ko": "발산"},
    "train.status_failed": {"en": "failed", "ko": "실패"},
    "train.status_interrupted": {"en": "interrupted", "ko": "중단됨"},
    "train.phase_queued": {"en": "Waiting for a free trainer… {elapsed}",
                           "ko": "학습 프로세스를 기다리는 중… {elapsed}"},
    "train.queue_position": {"en": "number {n} in the queue", "ko": "대기열 {n}번째"},
    "train.phase_waiting": {"en": "Waiting for a free machine in the cluster… {elapsed}",
                            "ko": "클러스터의 빈 컴퓨터를 기다리는 중… {elapsed}"},
    "train.trained_on": {"en": "Training on {node} · {replicas} device(s) · {batch} images per step",
                         "ko": "{node}에서 학습 중 · 장치 {replicas}개 · 한 번에 이미지 {batch}장"},
    "train.phase_loading": {"en": "Loading the dataset… {elapsed}",
                            "ko": "데이터셋을 불러오는 중… {elapsed}"},
    "train.phase_downloading": {"en": "Downloading the dataset… {done}",
                                "ko": "데이터셋을 내려받는 중… {done}"},
    "train.phase_preparing": {"en": "Starting TensorFlow and building the model… {elapsed}",
                              "ko": "TensorFlow를 시작하고 모델을 만드는 중… {elapsed}"},
    "train.phase_saving": {"en": "Stopped at epoch {epoch}, batch {batch}: keeping the model…",
                           "ko": "에포크 {epoch}, 배치 {batch}에서 멈췄습니다: 모델을 저장하는 중…"},
    "train.phase_evaluating": {"en": "Evaluating the kept model on the test set…",
                               "ko": "남긴 모델을 테스트 데이터로 평가하는 중…"},
    "train.progress": {"en": "Epoch {epoch}/{epochs} · batch {batch}/{batches}",
                       "ko": "에포크 {epoch}/{epochs} · 배치 {batch}/{batches}"},
    "train.eta": {"en": "about {time} left", "ko": "약 {time} 남음"},
    "train.batch_explain": {
        "en": "**What does {batch}/{batches} mean?** A batch is a bundle of images the model "
              "learns from at once. The first number is the batch being processed, the second "
              "the number of batches in one epoch: here the training images are cut into "
              "{batches} batches of {size}, so {batches}/{batches} means the last batch of the epoch.",
        "ko": "**{batch}/{batches}은(는) 무슨 뜻인가요?** 배치는 한 번에 학습하는 이미지 묶음입니다. "
              "첫 번째 숫자는 지금 처리 중인 배치의 번호, 두 번째 숫자는 한 에포크의 총 배치 수입니다. "
              "여기서는 학습 이미지를 {size}개씩 {batches}개의 배치로 나누어 학습하므로, "
              "{batches}/{batches}은(는) 그 에포크의 마지막 배치를 뜻합니다."},
    "train.duration_s": {"en": "{s} s", "ko": "{s}초"},
    "train.duration_m": {"en": "{m} min {s} s", "ko": "{m}분 {s}초"},
    "train.duration_h": {"en": "{h} h {m} min", "ko": "{h}시간 {m}분"},
    "train.stop": {"en": "Stop", "ko": "멈추기"},
    "train.continue": {"en": "Continue", "ko": "이어서 학습"},
    "train.more_epochs": {"en": "More epochs", "ko": "추가 에포크"},
    "train.more_epochs_help": {
        "en": "Counted from the last finished epoch; the plan never gets shorter.",
        "ko": "마지막으로 끝난 에포크부터 셉니다. 계획이 줄어들지는 않습니다."},
    "train.continue_capped": {"en": "The challenge allows at most {limit} epochs: this run has them all.",
                              "ko": "과제는 에포크를 최대 {limit}번까지 허용하며, 이 실행은 모두 마쳤습니다."},
    "train.stop_kept": {"en": "Stopped after {epochs}: the metrics and the best model so far are kept.",
                        "ko": "{epochs}을(를) 마치고 멈췄습니다. 지금까지의 지표와 가장 좋은 모델은 남아 있습니다."},
    "train.stop_first_epoch": {
        "en": "Stopped at batch {batch} of {batches} in epoch {epoch}, before any epoch ended, so "
              "there is no best epoch yet. The model as it was at that batch is kept: it is the "
              "one tested below, and Continue goes on from that batch.",
        "ko": "{epoch}번째 에포크의 {batches}개 중 {batch}번째 배치에서 멈췄습니다. 끝난 에포크가 "
              "아직 없으므로 가장 좋은 에포크도 없습니다. 그 배치까지 배운 모델이 남아 있고, 아래의 "
              "테스트는 이 모델을 평가한 것이며, 이어서 학습하면 그 배치부터 계속합니다."},
    "train.stop_before_training": {"en": "Stopped before the first batch: no model was trained or kept.",
                                   "ko": "첫 배치 전에 멈췄습니다. 학습하거나 남긴 모델이 없습니다."},
    "train.stopped_at": {
        "en": "The model as it was at batch {batch} of {batches} in epoch {epoch} is saved too: "
              "Continue goes on from that batch.",
        "ko": "{epoch}번째 에포크의 {batches}개 중 {batch}번째 배치까지 배운 모델도 저장되어 있습니다. "
              "이어서 학습하면 그 배치부터 계속합니다."},
    "train.epoch_count": {"en": "{n} full epochs", "ko": "에포크 {n}번"},
    "train.epoch_count_one": {"en": "{n} full epoch", "ko": "에포크 {n}번"},
    "train.overfitting": {
        "en": "Possible overfitting: since epoch {epoch}, validation loss rises while training "
              "loss falls. More epochs will not help; the best epoch ({best}) is the model kept.",
        "ko": "과적합일 수 있습니다: {epoch}번째 에포크부터 학습 손실은 줄어드는데 검증 손실은 "
              "늘고 있습니다. 에포크를 늘려도 나아지지 않습니다. 가장 좋은 에포크({best})의 모델을 씁니다."},
    "train.best_rule": {
        "en": "Each epoch makes a model; the one with the best validation accuracy (★, epoch "
              "{best}) is kept and tested — the tutorial's \"pick the best epoch's model\".",
        "ko": "에포크마다 모델이 하나씩 생깁니다. 검증 정확도가 가장 좋은 모델(★, {best}번째 에포크)을 "
              "남겨 테스트합니다 — 튜토리얼의 \"가장 성능이 좋은 모델을 최종 모델로 선택\"."},
    # charts
    "train.chart_loss": {"en": "Loss", "ko": "손실"},
    "train.chart_accuracy": {"en": "Accuracy", "ko": "정확도"},
    "train.chart_batch": {"en": "training (per batch)", "ko": "학습 (배치별)"},
    "train.chart_train": {"en": "training (per epoch)", "ko": "학습 (에포크별)"},
    "train.chart_val": {"en": "validation (per epoch)", "ko": "검증 (에포크별)"},
    "train.chart_best": {"en": "best epoch {epoch}", "ko": "최고 에포크 {epoch}"},
    "train.chart_epoch": {"en": "epoch", "ko": "에포크"},
    "train.no_points": {"en": "The charts fill in as soon as the first batch is done.",
                        "ko": "첫 배치가 끝나면 그래프가 그려집니다."},
    # evaluation
    "train.evaluation": {"en": "Evaluation on the test set", "ko": "테스트 데이터로 평가"},
    "train.evaluated_best": {"en": "The model of epoch {epoch} (the best by validation accuracy) "
                                   "on {count:,} test images it never saw.",
                             "ko": "검증 정확도가 가장 좋은 {epoch}번째 에포크의 모델을, 학습에 쓰지 "
                                   "않은 테스트 이미지 {count:,}장으로 평가했습니다."},
    "train.evaluated_stopped": {
        "en": "The model as it was at the Stop (batch {batch} of {batches} in epoch {epoch}; no "
              "epoch had ended, so there is no best epoch) on {count:,} test images it never saw.",
        "ko": "멈춘 순간의 모델({epoch}번째 에포크의 {batches}개 중 {batch}번째 배치까지 배운 모델, "
              "끝난 에포크가 없어 가장 좋은 에포크는 없음)을 학습에 쓰지 않은 테스트 이미지 "
              "{count:,}장으로 평가했습니다."},
    "train.no_evaluation": {"en": "No evaluation: the run ended before its first full epoch.",
                            "ko": "평가 없음: 첫 에포크가 끝나기 전에 실행이 끝났습니다."},
    "train.test_loss": {"en": "Test loss", "ko": "테스트 손실"},
    "train.test_accuracy": {"en": "Test accuracy", "ko": "테스트 정확도"},
    "train.guide_title": {"en": "How to read these numbers", "ko": "이 숫자를 읽는 법"},
    "train.guide_loss": {
        "en": "**Loss**: the closer to 0 the better; below 0.1 is often good. A low loss is not "
              "always good: an overfitted model can have a low training loss and still do "
              "worse on test data.",
        "ko": "**손실**: 0에 가까울수록 좋습니다. 대부분 0.1 이하로 떨어지면 좋은 성능인 경우가 많습니다. "
              "하지만 손실이 낮다고 무조건 좋은 것은 아닙니다. 과적합이면 손실이 낮아도 테스트 "
              "데이터에서 성능이 떨어질 수 있습니다."},
    "train.guide_accuracy": {
        "en": "**Accuracy**: 0–100 %, higher is better. 90 % or more is very good; 80 % or more "
              "suits most practical uses; for hard problems 70–80 % can be meaningful.",
        "ko": "**정확도**: 0–100 %, 높을수록 좋습니다. 90 % 이상이면 매우 좋은 성능, 80 % 이상이면 "
              "대부분의 실용적인 용도에 적합합니다. 복잡한 문제에서는 70–80 %도 충분히 유의미할 수 있습니다."},
    "train.level_very_good": {"en": "very good", "ko": "매우 좋음"},
    "train.level_good": {"en": "fine for most uses", "ko": "대부분의 용도에 적합"},
    "train.level_meaningful": {"en": "meaningful for hard problems", "ko": "복잡한 문제라면 유의미"},
    "train.level_low": {"en": "low: try a bigger model, more epochs or other settings",
                        "ko": "낮음: 더 큰 모델, 더 많은 에포크, 다른 설정을 시도해 보세요"},
    "train.loss_good": {"en": "low (0.1 or below), often a sign of a good model",
                        "ko": "낮음 (0.1 이하), 대개 좋은 모델이라는 뜻"},
    "train.loss_high": {"en": "above 0.1, so there is room to improve",
                        "ko": "0.1보다 커서 더 나아질 여지가 있음"},
    "train.verdict_accuracy": {"en": "Accuracy {value}: {level}.", "ko": "정확도 {value}: {level}."},
    "train.verdict_loss": {"en": "Loss {value}: {level}.", "ko": "손실 {value}: {level}."},
    "train.confusion": {"en": "Confusion matrix", "ko": "혼동 행렬"},
    "train.confusion_help": {
        "en": "Rows: the true class; columns: the model's answer. The diagonal is right, every "
              "other cell a kind of mistake. Click a cell to see its images.",
        "ko": "행은 실제 클래스, 열은 모델의 답입니다. 대각선은 맞힌 것, 나머지 칸은 틀린 종류입니다. "
              "칸을 클릭하면 그 이미지를 볼 수 있습니다."},
    "train.axis_true": {"en": "true class", "ko": "실제 클래스"},
    "train.axis_predicted": {"en": "predicted class", "ko": "예측 클래스"},
    "train.cell_pick": {"en": "Mistakes: true → predicted", "ko": "틀린 예: 실제 → 예측"},
    "train.cell_none": {"en": "Click a cell of the matrix or choose a pair here.",
                        "ko": "행렬의 칸을 클릭하거나 여기서 고르세요."},
    "train.cell_option": {"en": "{true} → {pred} ({count})", "ko": "{true} → {pred} ({count})"},
    "train.cell_images": {
        "en": "{shown} of {count} test images of \"{true}\" taken for \"{pred}\", most confident first.",
        "ko": "\"{true}\"인데 \"{pred}\"(으)로 예측한 테스트 이미지 {count}장 중 {shown}장, 확신이 큰 순서."},
    "train.cell_correct": {"en": "Diagonal cells are correct answers; pick a cell off the diagonal.",
                           "ko": "대각선 칸은 맞힌 답입니다. 대각선이 아닌 칸을 고르세요."},
    "train.cell_empty": {"en": "No test image of \"{true}\" was taken for \"{pred}\".",
                         "ko": "\"{true}\"을(를) \"{pred}\"(으)로 예측한 테스트 이미지는 없습니다."},
    "train.cell_no_images": {"en": "No images kept for this cell (only the 200 most confident "
                                   "mistakes keep their image).",
                             "ko": "이 칸의 이미지는 남아 있지 않습니다 (확신이 가장 큰 틀린 예 200개만 "
                                   "이미지를 남깁니다)."},
    "train.gallery": {"en": "Sample predictions", "ko": "예측 예시"},
    "train.gallery_legend": {
        "en": "Under each image: predicted class · confidence · ✓ right, or ✗ wrong with the true "
              "class in brackets.",
        "ko": "각 이미지 아래: 예측 클래스 · 확신도 · ✓ 맞음, 또는 ✗ 틀림과 괄호 안의 실제 클래스."},
    "train.gallery_unavailable": {"en": "The test images are not on this machine, so only the "
                                        "mistakes above can be shown.",
                                  "ko": "테스트 이미지가 이 컴퓨터에 없어서 위의 틀린 예만 볼 수 있습니다."},
    "train.per_class": {"en": "Accuracy per class", "ko": "클래스별 정확도"},
}
