"""Can this model train on these images with these settings? One answer, before TensorFlow
loads, for the Train page (Start stays disabled, with the reasons), the CLI's ``train``
(it exits before queueing) and the trainer (which asks again of the images it loaded).

Nothing is adapted silently: a reason says what to change.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder import datasets
from builder.analysis import Report
from builder.architecture import Architecture
from builder.errors import LabError
from builder.layers import shape_text
from builder.settings import TrainSettings, check_data


@dataclass(frozen=True)
class Target:
    """What is known of a dataset before loading it (``train_images``: None if unknown)."""

    name: str
    input_shape: tuple[int, ...]
    train_images: int | None = None


def target(source: str) -> Target | None:
    """A registered set's or an ``.npz`` file's :class:`Target`, from headers only; None when
    the file cannot be read (the trainer then records why on the run)."""
    try:
        shape, images = datasets.peek(source)
    except LabError:
        return None
    return Target(source, shape, images)


def reasons(arch: Architecture, data: Target, report: Report | None = None,
            settings: TrainSettings | None = None) -> list[LabError]:
    """Every reason, in the order a learner fixes them: a model without layers; an input
    shape the images do not have; the model's own errors (``report``, made for the
    dataset's classes, so a wrong output is one of them); settings that leave no batch to
    learn from or no image to validate on (``check_data``)."""
    found: list[LabError] = []
    if not arch.layers:
        found.append(LabError("model_empty"))
    if tuple(arch.input_shape) != tuple(data.input_shape):
        found.append(LabError("input_mismatch", model=shape_text(arch.input_shape),
                              data=shape_text(data.input_shape), dataset=data.name))
    if report is not None and report.errors:
        found.append(LabError("model_errors", count=len(report.errors)))
    if settings is not None and data.train_images is not None:
        try:
            check_data(settings, data.train_images)
        except LabError as exc:
            found.append(exc)
    return found


def check(arch: Architecture, data: Target, report: Report | None = None,
          settings: TrainSettings | None = None) -> None:
    """Raise the first of :func:`reasons`, if any."""
    found = reasons(arch, data, report, settings)
    if found:
        raise found[0]
