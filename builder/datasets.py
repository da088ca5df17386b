"""Datasets: what each one is (shape, classes) — readable without loading any data.

Loading (download with progress, the offline set, user ``.npz`` files, validation,
sample limits) lives in this module too; NumPy only, Keras imported lazily for downloads.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: Mapping[str, str]
    input_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    about: Mapping[str, str]

    @property
    def classes(self) -> int:
        return len(self.class_names)


DIGITS = tuple(str(d) for d in range(10))

DATASETS: dict[str, DatasetInfo] = {d.name: d for d in (
    DatasetInfo("mnist", {"en": "MNIST digits", "ko": "MNIST 손글씨 숫자"}, (28, 28, 1), DIGITS,
                {"en": "70,000 handwritten digits, 28×28 grey (downloads 11 MB once).",
                 "ko": "손글씨 숫자 70,000장, 28×28 흑백 (처음 한 번 11 MB 내려받기)."}),
    DatasetInfo("fashion_mnist", {"en": "Fashion-MNIST", "ko": "패션 MNIST"}, (28, 28, 1),
                ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"),
                {"en": "70,000 clothing images, 28×28 grey (downloads 30 MB once).",
                 "ko": "옷 이미지 70,000장, 28×28 흑백 (처음 한 번 30 MB 내려받기)."}),
    DatasetInfo("cifar10", {"en": "CIFAR-10", "ko": "CIFAR-10"}, (32, 32, 3),
                ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                 "ship", "truck"),
                {"en": "60,000 colour photos in 10 classes, 32×32 (downloads 170 MB once).",
                 "ko": "10개 클래스의 컬러 사진 60,000장, 32×32 (처음 한 번 170 MB 내려받기)."}),
    DatasetInfo("digits", {"en": "Digits 8×8 (offline)", "ko": "숫자 8×8 (오프라인)"}, (8, 8, 1),
                DIGITS,
                {"en": "1,797 small scanned digits shipped with scikit-learn: works with no network.",
                 "ko": "scikit-learn에 들어 있는 작은 숫자 이미지 1,797장: 인터넷 없이 동작합니다."}),
)}
