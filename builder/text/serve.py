"""Strings of ``python -m builder serve``: the class server's banner and its refusals."""

TEXT: dict[str, dict[str, str]] = {
    "cli.serve": {"en": "start LayerLab; with --class, a class server with a teacher key",
                  "ko": "LayerLab 시작; --class를 주면 교사 키가 있는 수업용 서버"},
    "cli.serve.class": {"en": "class mode: teacher key, students, challenge, leaderboard; "
                              "reachable from the room (0.0.0.0)",
                        "ko": "수업 모드: 교사 키, 학생, 과제, 순위표; 교실에서 접속 가능 (0.0.0.0)"},
    "cli.serve.datasets": {"en": "folder of Keras-layout mnist.npz, cifar10.npz … "
                                 "(LAYERLAB_DATASET_DIR)",
                           "ko": "Keras 형식 mnist.npz, cifar10.npz … 가 있는 폴더 "
                                 "(LAYERLAB_DATASET_DIR)"},
    "cli.serve.workers": {"en": "trainers at once (default: cores ÷ 2, at most RAM ÷ 1.5 GB)",
                          "ko": "동시에 학습하는 수 (기본: 코어 수 ÷ 2, 최대 RAM ÷ 1.5 GB)"},
    "cli.serve.address": {"en": "address to listen on (default: 0.0.0.0 with --class, "
                                "else localhost; localhost behind a TLS proxy)",
                          "ko": "서버 주소 (기본: --class면 0.0.0.0, 아니면 localhost; "
                                "TLS 프록시 뒤에서는 localhost)"},
    "cli.serve.open": {"en": "LayerLab is starting. On this computer open {url}",
                       "ko": "LayerLab을 시작합니다. 이 컴퓨터에서는 {url} 을 여세요"},
    "cli.serve.students": {"en": "Students open {url}",
                           "ko": "학생들은 {url} 을 엽니다"},
    "cli.serve.key_generated": {
        "en": "Teacher key (shown only now; write it down): {secret}\n"
              "  Type it under 'I am the teacher' in the sidebar. To keep it for the next "
              "lesson, set {env} to it before serve --class.",
        "ko": "교사 키 (지금 한 번만 보입니다. 적어 두세요): {secret}\n"
              "  사이드바의 '교사용'에 입력하세요. 다음 수업에도 쓰려면 serve --class 전에 "
              "{env}에 넣으세요."},
    "cli.serve.key_given": {"en": "Teacher key: the one in {env}",
                            "ko": "교사 키: {env}에 있는 키"},
    "cli.serve.workers_line": {"en": "Trainers at once: {workers} (LAYERLAB_WORKERS), further "
                                     "runs wait in the queue; an idle trainer stays ready for "
                                     "{warm} min (LAYERLAB_WARM_SECONDS)",
                               "ko": "동시 학습 수: {workers} (LAYERLAB_WORKERS), 나머지 실행은 "
                                     "대기열에서 기다립니다. 쉬는 학습 프로세스는 {warm}분 동안 "
                                     "준비 상태로 남습니다 (LAYERLAB_WARM_SECONDS)"},
    "cli.serve.datasets_line": {"en": "Datasets from {path}: {found}",
                                "ko": "데이터셋 폴더 {path}: {found}"},
    "cli.serve.no_datasets": {
        "en": "No datasets folder ({env}): datasets download the first time they are used",
        "ko": "데이터셋 폴더가 없습니다 ({env}): 처음 쓸 때 내려받습니다"},
    "cli.serve.stop": {"en": "Stop the server with Ctrl+C.",
                       "ko": "서버는 Ctrl+C로 멈춥니다."},
    "cli.serve.exec_failed": {"en": "cannot start Streamlit: {reason}",
                              "ko": "Streamlit을 시작할 수 없습니다: {reason}"},
    "error.serve_port": {"en": "the port must be between 1 and 65535, got {port}",
                         "ko": "포트는 1–65535 사이여야 합니다. 받은 값: {port}"},
    "error.serve_workers": {"en": "--workers (LAYERLAB_WORKERS) must be a whole number of at "
                                  "least 1, got {workers}",
                            "ko": "--workers (LAYERLAB_WORKERS)는 1 이상의 정수여야 합니다. "
                                  "받은 값: {workers}"},
    "error.serve_datasets": {"en": "the datasets folder {path} does not exist: make it and put "
                                   "Keras-layout mnist.npz and cifar10.npz in it, or leave out "
                                   "--datasets and they download the first time they are used",
                             "ko": "데이터셋 폴더 {path}이(가) 없습니다: 폴더를 만들고 Keras 형식의 "
                                   "mnist.npz와 cifar10.npz를 넣거나, --datasets를 빼면 처음 쓸 때 "
                                   "내려받습니다"},
}
