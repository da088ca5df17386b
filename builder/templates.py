"""Ready-made architectures: the seed tutorial's two exercises and a few classics."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from builder.architecture import Architecture, Layer
from builder.errors import LabError

L = Layer.make


@dataclass(frozen=True)
class Template:
    name: str
    dataset: str  # the dataset it was designed for
    title: Mapping[str, str]
    about: Mapping[str, str]
    architecture: Architecture


def _conv(filters: int, kernel: int = 3, **kw) -> Layer:
    return L("Conv2D", filters=filters, kernel_size=kernel, **kw)


def _classifier(classes: int = 10) -> Layer:
    return L("Dense", units=classes, activation="softmax")


def _strong_stage(filters: int, dropout: float) -> list[Layer]:
    return [_conv(filters, padding="same"), L("BatchNormalization"),
            _conv(filters, padding="same"), L("BatchNormalization"),
            L("MaxPooling2D"), L("Dropout", rate=dropout)]


def _residual(filters: int) -> Layer:
    return L("Residual", [_conv(filters, padding="same"),
                          _conv(filters, padding="same", activation="linear")])


def _inception(width: int) -> Layer:
    return L("Branch",
             [_conv(width, 1)],
             [_conv(width, 1), _conv(width * 2, padding="same")],
             [_conv(width // 2, 1), _conv(width, 5, padding="same")],
             [L("MaxPooling2D", pool_size=3, strides=1, padding="same"), _conv(width, 1)],
             merge="concatenate")


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template(
        "mnist-cnn", "mnist",
        {"en": "Seed MNIST CNN", "ko": "튜토리얼 MNIST CNN"},
        {"en": "The tutorial's first exercise: two convolution + pooling stages and a small "
               "classifier. 225,034 parameters; 98.92 % test accuracy after 10 epochs.",
         "ko": "튜토리얼 1번 미니퀘스트: 합성곱+풀링 두 단계와 작은 분류기. 파라미터 225,034개, "
               "10 에포크 후 테스트 정확도 98.92 %."},
        Architecture((28, 28, 1), (
            _conv(32), L("MaxPooling2D"), _conv(64), L("MaxPooling2D"),
            L("Flatten"), L("Dense", units=128), _classifier()), "mnist-cnn")),
    Template(
        "cifar10-cnn", "cifar10",
        {"en": "Seed CIFAR-10 CNN", "ko": "튜토리얼 CIFAR-10 CNN"},
        {"en": "The tutorial's second exercise: three convolution + pooling stages. 227,146 "
               "parameters; 70.62 % test accuracy after 20 epochs.",
         "ko": "튜토리얼 2번 미니퀘스트: 합성곱+풀링 세 단계. 파라미터 227,146개, 20 에포크 후 "
               "테스트 정확도 70.62 %."},
        Architecture((32, 32, 3), (
            _conv(32), L("MaxPooling2D"), _conv(64), L("MaxPooling2D"), _conv(128),
            L("MaxPooling2D"), L("Flatten"), L("Dense", units=256), _classifier()), "cifar10-cnn")),
    Template(
        "mlp", "mnist",
        {"en": "Multilayer perceptron", "ko": "다층 퍼셉트론"},
        {"en": "No convolutions: flatten the image and use Dense layers only. A baseline to "
               "show what convolutions add.",
         "ko": "합성곱 없이 이미지를 펼쳐 Dense 레이어만 씁니다. 합성곱의 효과를 보여 주는 기준 모델입니다."},
        Architecture((28, 28, 1), (
            L("Flatten"), L("Dense", units=256), L("Dropout", rate=0.2),
            L("Dense", units=128), _classifier()), "mlp")),
    Template(
        "lenet5", "mnist",
        {"en": "LeNet-5", "ko": "LeNet-5"},
        {"en": "LeCun's 1998 digit recogniser: 5×5 convolutions with average pooling, then "
               "120-84-10 dense layers.",
         "ko": "르쿤의 1998년 숫자 인식 모델: 5×5 합성곱과 평균 풀링, 그리고 120-84-10 Dense 레이어."},
        Architecture((28, 28, 1), (
            _conv(6, 5, padding="same", activation="tanh"), L("AveragePooling2D"),
            _conv(16, 5, activation="tanh"), L("AveragePooling2D"), L("Flatten"),
            L("Dense", units=120, activation="tanh"), L("Dense", units=84, activation="tanh"),
            _classifier()), "lenet5")),
    Template(
        "cifar10-strong", "cifar10",
        {"en": "Stronger CIFAR-10 CNN", "ko": "더 강한 CIFAR-10 CNN"},
        {"en": "Augmentation, paired 'same' convolutions with batch normalisation and dropout "
               "per stage. Meant to pass 80 % on CIFAR-10 within 20 epochs.",
         "ko": "데이터 증강, 배치 정규화를 곁들인 'same' 합성곱 쌍, 단계마다 드롭아웃. "
               "20 에포크 안에 CIFAR-10 80 %를 넘기는 것이 목표입니다."},
        Architecture((32, 32, 3), (
            L("RandomFlip"), L("RandomTranslation", height_factor=0.1, width_factor=0.1),
            *_strong_stage(32, 0.1), *_strong_stage(64, 0.2), *_strong_stage(128, 0.3),
            L("Flatten"), L("Dense", units=128), L("BatchNormalization"),
            L("Dropout", rate=0.3), _classifier()), "cifar10-strong")),
    Template(
        "resnet-small", "cifar10",
        {"en": "Small ResNet", "ko": "작은 ResNet"},
        {"en": "Residual blocks: each adds its input back to its output through a shortcut. "
               "Why that helps a deep network train: the learning signal (the gradient) travels "
               "backwards through every layer and shrinks a little at each one, so in a deep "
               "plain stack the first layers hardly learn. An addition passes the gradient back "
               "unchanged, so through the shortcuts every block gets a strong signal. Each block "
               "also only has to learn a correction to its input, and 'change nothing' is easy "
               "to learn, so extra blocks rarely make things worse. Where a block makes more "
               "channels, a 1×1 Conv2D projection on the shortcut makes the shapes match.",
         "ko": "잔차 블록: 각 블록이 지름길로 입력을 출력에 다시 더합니다. 이것이 깊은 신경망의 학습을 "
               "돕는 이유: 학습 신호(기울기)는 모든 레이어를 거꾸로 지나며 레이어마다 조금씩 작아지므로, 깊은 "
               "일반 스택에서는 앞쪽 레이어가 거의 학습되지 않습니다. 덧셈은 기울기를 그대로 뒤로 전달하므로 "
               "지름길을 통해 모든 블록이 강한 신호를 받습니다. 또 각 블록은 입력에 대한 보정만 배우면 "
               "되고 '아무것도 바꾸지 않기'는 배우기 쉬워서, 블록을 더해도 나빠지는 일이 드뭅니다. 블록이 "
               "채널 수를 늘리는 곳에서는 지름길의 1×1 Conv2D 투영이 형태를 맞춥니다."},
        Architecture((32, 32, 3), (
            _conv(32, padding="same"), _residual(32), L("MaxPooling2D"), _residual(64),
            L("MaxPooling2D"), _residual(128), L("GlobalAveragePooling2D"), _classifier()),
            "resnet-small")),
    Template(
        "inception-small", "cifar10",
        {"en": "Small Inception", "ko": "작은 Inception"},
        {"en": "Branch blocks look at the same input with 1×1, 3×3 and 5×5 filters and "
               "pooling in parallel, then join the results channel-wise. The network does not "
               "have to pick one filter size: each path learns patterns of its own size, and "
               "cheap 1×1 convolutions first shrink the channels so the big filters cost less.",
         "ko": "분기 블록이 같은 입력을 1×1, 3×3, 5×5 필터와 풀링으로 나란히 본 뒤 채널 방향으로 이어 "
               "붙입니다. 필터 크기를 하나만 고를 필요가 없습니다: 경로마다 자기 크기의 패턴을 배우고, "
               "값싼 1×1 합성곱이 먼저 채널 수를 줄여 큰 필터의 비용을 낮춥니다."},
        Architecture((32, 32, 3), (
            _conv(32, padding="same"), _inception(16), L("MaxPooling2D"), _inception(32),
            L("MaxPooling2D"), L("GlobalAveragePooling2D"), _classifier()), "inception-small")),
)}


def get(name: str) -> Template:
    """The template called ``name`` (raises LabError listing the names)."""
    if name not in TEMPLATES:
        raise LabError("unknown_template", name=name, names=", ".join(TEMPLATES))
    return TEMPLATES[name]
