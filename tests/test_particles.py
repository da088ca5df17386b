"""Korean particles follow the word before them: 은/는, 이/가, 을/를, 과/와, (으)로."""
from __future__ import annotations

import pytest

from builder.text.particles import resolve


@pytest.mark.parametrize("written, read", [
    ("학습률은(는)", "학습률은"),          # Hangul with a final consonant
    ("모델은(는)", "모델은"),
    ("데이터셋이(가)", "데이터셋이"),
    ("손글씨 숫자은(는)", "손글씨 숫자는"),  # no final consonant
    ("배치 크기을(를)", "배치 크기를"),
    ("파일(으)로", "파일로"),               # final ㄹ takes 로
    ("입력(으)로", "입력으로"),
    ("모양(으)로", "모양으로"),
    ("사과과(와)", "사과와"),
    ("그림과(와)", "그림과"),
    ("MNIST은(는)", "MNIST는"),             # T 티
    ("CIFAR-10은(는)", "CIFAR-10은"),       # 10 십
    ("Conv2D을(를)", "Conv2D를"),           # D 디
    ("Flatten이(가)", "Flatten이"),         # N 엔
    ("Residual(으)로", "Residual로"),       # L 엘
    ("Dropout을(를)", "Dropout을"),         # 드롭아웃
    ("Rescaling은(는)", "Rescaling은"),     # 리스케일링
    ("0.001(으)로", "0.001로"),             # 일
    ("0.5(으)로", "0.5로"),                 # 오
    ("0.03(으)로", "0.03으로"),             # 삼
    ("28×28×1(으)로", "28×28×1로"),
    ("32×32×3(으)로", "32×32×3으로"),
    ("64을(를)", "64를"),                   # 사
    ("100이(가)", "100이"),                 # 백
    ("60,000이(가)", "60,000이"),           # 만
    ("0은(는)", "0은"),                     # 영
    ("2이(가)", "2가"),
    ("“5”을(를)", "“5”를"),                 # closing quotes are skipped
    ("“cat”을(를)", "“cat”을"),             # 캣: English words as Korean writes them
    ("“ship”(으)로", "“ship”으로"),          # 십
    ("“truck”이(가)", "“truck”이"),          # 트럭
    ("“coat”이(가)", "“coat”가"),            # 코트
    ("“shirt”을(를)", "“shirt”를"),          # 셔츠
    ("“deer”은(는)", "“deer”는"),            # 디어
    ("“dog”과(와)", "“dog”와"),              # 도그
    ("“Sandal”(으)로", "“Sandal”로"),        # 샌들
    ("rmsprop은(는)", "rmsprop은"),          # 알엠에스프롭
    ("Input이(가)", "Input이"),              # 인풋
    ("ReLU을(를)", "ReLU를"),                # 렐루
    ("CIFAR은(는)", "CIFAR은"),              # R 알: an abbreviation by letter names
    ("GB이(가)", "GB가"),                    # 비
    ("**Ana**(으)로 참여 중", "**Ana**로 참여 중"),
    ("(28, 28, 1)을(를)", "(28, 28, 1)을"),
    ("50%이(가)", "50%가"),                 # 퍼센트
])
def test_a_particle_follows_the_sound_before_it(written, read):
    assert resolve(written) == read


def test_every_pair_in_a_sentence_is_resolved_on_its_own():
    assert resolve("경로 A은(는) 28×28×1, 경로 B은(는) 14×14×8") == "경로 A는 28×28×1, 경로 B는 14×14×8"
    assert resolve("학습률 0.1이(가) 너무 큰 것 같습니다. 0.01(으)로 다시 해 보세요") == \
        "학습률 0.1이 너무 큰 것 같습니다. 0.01로 다시 해 보세요"


def test_text_without_pairs_is_unchanged():
    for text in ("", "(는)", "LayerLab은 좋습니다", "배치 (64)"):
        assert resolve(text) == text
