"""Can this model train on these images with these settings? One answer, before TensorFlow
loads, for the Train page (Start stays disabled, with the reasons), the CLI's ``train``
(it exits before queueing) and the trainer (which asks again of the images it loaded).

Nothing is adapted silently: a reason says what to change.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder import datasets, limits
from builder.analysis import Report, analyse
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
    learn from or no image to validate on (``check_data``); a batch too big for the memory
    one trainer may use (:func:`memory_reason`)."""
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
    if report is not None and settings is not None and not report.errors:
        found.extend(filter(None, [memory_reason(report, settings)]))
    return found


def memory_reason(report: Report, settings: TrainSettings) -> LabError | None:
    """Training memory at ``settings``' batch size beyond what one trainer may use (the
    analysis judges the model at the default batch; a bigger batch needs more)."""
    activations = sum(row.memory for row in report.rows)
    need = limits.training_bytes(report.total_params, activations, settings.batch_size)
    if need <= limits.max_train_memory():
        return None
    return LabError("batch_memory", batch=settings.batch_size, memory=limits.size_text(need),
                    limit=limits.size_text(limits.max_train_memory()))


def check_memory(arch: Architecture, settings: TrainSettings) -> None:
    """Raise :func:`memory_reason` for ``arch`` (every run's submission checks this)."""
    report = analyse(arch)
    if not report.errors and (exc := memory_reason(report, settings)) is not None:
        raise exc


def check(arch: Architecture, data: Target, report: Report | None = None,
          settings: TrainSettings | None = None) -> None:
    """Raise the first of :func:`reasons`, if any."""
    found = reasons(arch, data, report, settings)
    if found:
        raise found[0]
