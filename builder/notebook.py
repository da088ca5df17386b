"""Export an architecture as a Jupyter notebook (nbformat v4) that teaches the tutorial.

The notebook follows the tutorial's six steps (import, create the model, add layers,
compile, train, evaluate), each a Markdown cell in ``lang`` followed by its code cell; the
code is :func:`builder.codegen.program`'s, so the script and the notebook never differ.
Around the steps: a setup cell with the versions it was written for, the data cell (with
the script's ``DATA_FILE`` switch), ``model.summary()`` against LayerLab's count, a plot of
loss and accuracy, a confusion matrix, saving the model and a "try this" cell that trains
a fresh copy with one knob changed. It needs only keras, numpy and matplotlib.

User text reaches code cells as in the script (``repr`` or comment-safe) and Markdown
cells escaped (:func:`markdown_safe`).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import metadata

from builder.architecture import Architecture
from builder.codegen import Program, comment_safe, fit_call, optimizer, program
from builder.datasets import DATASETS
from builder.settings import TrainSettings
from builder.text import t

VERSIONED = ("keras", "numpy", "matplotlib")
TRY_FACTOR = 0.1  # the "try this" cell's knob: the learning rate times this
MODEL_FILE = "model.keras"


@dataclass(frozen=True)
class Outcome:
    """What LayerLab's own run of these settings reached, to compare the notebook with."""

    run: int
    name: str
    epochs: int
    test_accuracy: float | None
    test_loss: float | None


def export_notebook(arch: Architecture, dataset: str = "mnist",
                    settings: TrainSettings = TrainSettings(), lang: str = "ko",
                    outcome: Outcome | None = None) -> str:
    """The notebook as ``.ipynb`` JSON text (raises LabError as :func:`program` does)."""
    import nbformat
    made = program(arch, dataset, settings, lang)
    new_md, new_code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = []
    for markdown, code in _sections(made, dataset, settings, lang, outcome):
        cells.append(new_md(markdown))
        if code:
            cells.append(new_code("\n".join(code)))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    return nbformat.writes(notebook) + "\n"


def markdown_safe(text: str) -> str:
    """``text`` as literal Markdown on one line: no HTML, no formatting, no line breaks."""
    plain = html.escape(comment_safe(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>])", r"\\\1", plain)


def _sections(made: Program, dataset: str, settings: TrainSettings, lang: str,
              outcome: Outcome | None) -> list[tuple[str, list[str]]]:
    """(Markdown, code lines) pairs in order; code may be empty."""
    code = made.code
    total = made.report.total_params
    sections = [
        (f"# {markdown_safe(made.header)}\n\n{t('nb.intro', lang)}", []),
        (_md("setup", lang), _setup(lang)),
        (_md("step1", lang), code["imports"]),
        (_md("data", lang), code["data"]),
        (_md("step2", lang), code["create"]),
        (_md("step3", lang, params=total), code["layers"]),
        (_md("step4", lang), code["compile"]),
        (_md("step5", lang, epochs=settings.epochs, batch=settings.batch_size,
             split=f"{settings.validation_split:.0%}"), code["train"]),
        (_md("plot", lang), _plot(lang)),
        (_md("step6", lang), code["evaluate"]),
    ]
    if outcome is not None:
        sections.append((_outcome(outcome, lang), []))
    return sections + [
        (_md("confusion", lang), _confusion(dataset, lang)),
        (_md("save", lang, file=MODEL_FILE), [f"model.save({MODEL_FILE!r})",
                                                 f"print({t('nb.saved', lang, file=MODEL_FILE)!r})"]),
        (_md("try", lang), _try_this(settings, lang)),
    ]


def _md(step: str, lang: str, **values: object) -> str:
    """A step's heading and its explanation (``nb.<step>`` and ``nb.<step>_about``)."""
    return f"## {t(f'nb.{step}', lang)}\n\n{t(f'nb.{step}_about', lang, **values)}"


def _setup(lang: str) -> list[str]:
    written = ", ".join(f"{name} {_version(name)}" for name in VERSIONED)
    return [f"# {comment_safe(t('nb.versions', lang, versions=written))}",
            "import keras",
            "import matplotlib",
            "import matplotlib.pyplot as plt",
            "import numpy as np",
            "",
            "print('keras', keras.__version__, '| numpy', np.__version__, "
            "'| matplotlib', matplotlib.__version__)"]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _plot(lang: str) -> list[str]:
    labels = {key: t(f"nb.curve_{key}", lang) for key in ("loss", "val_loss", "accuracy",
                                                           "val_accuracy")}
    return [f"labels = {labels!r}",
            "fig, axes = plt.subplots(1, 2, figsize=(10, 4))",
            "for ax, keys in zip(axes, (('loss', 'val_loss'), ('accuracy', 'val_accuracy'))):",
            "    for key in keys:",
            "        if key in history.history:",
            "            ax.plot(history.history[key], marker='o', label=labels[key])",
            f"    ax.set_xlabel({t('nb.epoch', lang)!r})",
            "    ax.legend()",
            "plt.show()"]


def _confusion(dataset: str, lang: str) -> list[str]:
    info = DATASETS.get(dataset)
    names = (f"class_names = {list(info.class_names)!r}" if info is not None
             else "class_names = [str(c) for c in range(num_classes)]")
    return [names,
            "predicted = model.predict(x_test).argmax(axis=1)",
            "actual = y_test.argmax(axis=1)",
            "matrix = np.zeros((num_classes, num_classes), dtype=int)",
            "np.add.at(matrix, (actual, predicted), 1)",
            "plt.figure(figsize=(6, 6))",
            "plt.imshow(matrix, cmap='Blues')",
            "plt.xticks(range(num_classes), class_names, rotation=90)",
            "plt.yticks(range(num_classes), class_names)",
            f"plt.xlabel({t('nb.predicted', lang)!r})",
            f"plt.ylabel({t('nb.actual', lang)!r})",
            "for i in range(num_classes):",
            "    for j in range(num_classes):",
            "        plt.text(j, i, matrix[i, j], ha='center', va='center')",
            "plt.show()"]


def _try_this(settings: TrainSettings, lang: str) -> list[str]:
    rate = float(f"{settings.learning_rate * TRY_FACTOR:.3g}")
    report = t("nb.try_result", lang)
    return [f"# {comment_safe(t('nb.try_comment', lang, was=settings.learning_rate))}",
            f"learning_rate = {rate!r}",
            "fresh = keras.models.clone_model(model)",
            f"fresh.compile(optimizer={optimizer(settings, 'learning_rate')}, "
            "loss='categorical_crossentropy', "
            "metrics=['accuracy'])",
            fit_call("fresh", settings),
            "fresh_loss, fresh_accuracy = fresh.evaluate(x_test, y_test)",
            f"print({report!r}.format(rate=learning_rate, new=fresh_accuracy, old=accuracy))"]


def _outcome(outcome: Outcome, lang: str) -> str:
    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.2%}"

    loss = "—" if outcome.test_loss is None else f"{outcome.test_loss:.4f}"
    return t("nb.outcome", lang, run=outcome.run, name=markdown_safe(outcome.name or "—"),
             epochs=outcome.epochs, accuracy=share(outcome.test_accuracy), loss=loss)
