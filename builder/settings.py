"""Training settings: the one record the Train page, the CLI, the trainer, the code export
and the run store share.

``TrainSettings`` checks each value's range; :func:`check_data` checks them against the
dataset's size (a batch left to learn from, an image left to validate on), before any
process starts."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from builder.errors import LabError

OPTIMIZERS = ("adam", "sgd", "rmsprop")
MIN_FIT = 10  # images to learn from when a batch is bigger (as a dataset's own minimum)


@dataclass(frozen=True)
class TrainSettings:
    optimizer: str = "adam"          # adam | sgd (with momentum 0.9) | rmsprop
    learning_rate: float = 0.001
    batch_size: int = 64
    epochs: int = 10
    validation_split: float = 0.1    # share of the training set held out for validation
    limit: int | None = None         # train on at most this many images (stratified)
    seed: int = 0

    def __post_init__(self) -> None:
        _check(self.optimizer in OPTIMIZERS, "optimizer", ", ".join(OPTIMIZERS), self.optimizer)
        _check(_number(self.learning_rate) and 0 < self.learning_rate <= 10,
               "learning_rate", "0 < x ≤ 10", self.learning_rate)
        _check(_whole(self.batch_size) and 1 <= self.batch_size <= 8192,
               "batch_size", "1–8192", self.batch_size)
        _check(_whole(self.epochs) and 1 <= self.epochs <= 1000, "epochs", "1–1000", self.epochs)
        _check(_number(self.validation_split) and 0 <= self.validation_split < 1,
               "validation_split", "0 ≤ x < 1", self.validation_split)
        _check(self.limit is None or (_whole(self.limit) and self.limit >= 10),
               "limit", "empty or ≥ 10", self.limit)
        _check(_whole(self.seed) and 0 <= self.seed < 2**31, "seed", "0–2³¹", self.seed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: Any) -> "TrainSettings":
        if not isinstance(doc, dict):
            raise LabError("not_object", what="settings")
        known = {f.name for f in fields(cls)}
        unknown = set(doc) - known
        if unknown:
            raise LabError("unknown_field", field=sorted(map(str, unknown))[0])
        return cls(**doc)


def split(train_images: int, settings: TrainSettings) -> tuple[int, int]:
    """Images trained on and held out for validation: the image limit, then Keras's split."""
    images = min(train_images, settings.limit or train_images)
    fit = math.ceil(images * (1 - settings.validation_split))
    return fit, images - fit


def check_data(settings: TrainSettings, train_images: int) -> None:
    """Refuse ``settings`` that leave too little of a training set of ``train_images``.

    After the image limit, Keras holds out the last ``validation_split`` for validation.
    What remains must fill one batch (or, with a batch bigger than that, hold MIN_FIT
    images), and a split above 0 must leave at least one image to validate on.
    """
    fit, validation = split(train_images, settings)
    shown = {"images": fit + validation, "split": f"{settings.validation_split:g}",
             "batch": settings.batch_size, "fit": fit}
    if fit < min(settings.batch_size, MIN_FIT):
        raise LabError("split_no_training", needed=min(settings.batch_size, MIN_FIT), **shown)
    if settings.validation_split > 0 and validation < 1:
        raise LabError("split_no_validation", **shown)


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x


def _check(ok: bool, name: str, allowed: str, got: Any) -> None:
    if not ok:
        raise LabError("bad_setting", name=name, allowed=allowed, got=repr(got)[:40])
