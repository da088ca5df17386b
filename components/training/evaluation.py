"""The evaluation of a finished run: test loss and accuracy with the seed's reading guide,
a clickable confusion matrix showing the mistakes of a cell, per-class accuracy and a
gallery of sample predictions. In a class before Reveal a student's run comes with the
public half's results and predictions only (builder.classroom.visibility)."""
from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from builder import checkpoints, formats
from builder.classroom import visibility
from builder.errors import LabError
from builder.store import Run, best_epoch, score
from builder.text import t
from components import safe, services
from components.identity import current_actor
from components.training import charts, data, images

CELL_KEY, CHART_KEY, NOTE_KEY = "train_cell", "train_confusion", "train_cell_note"
GALLERY = 20


def accuracy_level(accuracy: float) -> str:
    """The seed's reading: ≥ 90 % very good, ≥ 80 % fine for most uses, ≥ 70 % meaningful
    for hard problems, else low (a text key)."""
    for threshold, level in ((0.9, "very_good"), (0.8, "good"), (0.7, "meaningful")):
        if accuracy >= threshold:
            return f"train.level_{level}"
    return "train.level_low"


def loss_level(loss: float) -> str:
    """The seed's reading of a loss: below 0.1 is often good (a text key)."""
    return "train.loss_good" if loss <= 0.1 else "train.loss_high"


def evaluation(run: Run, lang: str) -> None:
    """Everything the test set says about the run's best-epoch model (the model as stopped
    when the run stopped before any epoch ended)."""
    st.subheader(t("train.evaluation", lang), anchor=False)
    results = run.results
    if not results:
        st.caption(without_results(run, lang))
        return
    confusion = results["confusion"]
    names = results["class_names"]
    stopped = checkpoints.stopped_early(results)
    count = int(np.sum(confusion))
    st.caption(t("train.evaluated_stopped", lang, count=count, **stopped) if stopped else
               t("train.evaluated_best", lang, epoch=results.get("best_epoch"), count=count))
    if results.get("half") == visibility.PUBLIC:
        st.caption(t("class.public_half_only", lang))
    _scores(results, run.status == "diverged", lang)
    predictions = visibility.predictions_of(services.store(), run, current_actor())
    matrix_col, cell_col = st.columns([3, 2], gap="medium")
    with matrix_col:
        st.markdown(f"**{t('train.confusion', lang)}**", help=t("train.confusion_help", lang))
        st.plotly_chart(charts.confusion_figure(confusion, names, lang), key=CHART_KEY,
                        on_select=_clicked, selection_mode="points",
                        config={"displayModeBar": False})
    with cell_col:
        _cell(confusion, names, predictions, lang)
    st.markdown(f"**{t('train.per_class', lang)}**")
    st.plotly_chart(charts.per_class_figure(results["per_class_accuracy"], names, lang),
                    key="train_per_class", config={"displayModeBar": False})
    st.markdown(f"**{t('train.gallery', lang)}**")
    _gallery(run, predictions, names, lang)


def without_results(run: Run, lang: str) -> str:
    """What a run without a test evaluation (stopped early, interrupted) still tells: its
    best epoch's score so far, from the metrics kept."""
    epochs = services.store().metrics(run.id, kind="epoch")
    best = best_epoch(epochs)
    if best is None:
        return t("train.no_evaluation", lang)
    row = next(m for m in epochs if m.epoch == best)
    return t("train.partial_evaluation", lang, epoch=best, accuracy=formats.percent(score(row)))


def _scores(results: dict[str, Any], diverged: bool, lang: str) -> None:
    loss, accuracy = results.get("test_loss"), results["test_accuracy"]
    loss_col, accuracy_col, guide_col = st.columns([1, 1, 3])
    loss_col.metric(t("train.test_loss", lang), "—" if loss is None else f"{loss:.4f}",
                    border=True, help=None if loss is None else t(loss_level(loss), lang))
    accuracy_col.metric(t("train.test_accuracy", lang), formats.percent(accuracy), border=True)
    with guide_col:
        if diverged:  # no advice on model size or epochs: the learning rate comes first
            st.markdown(f"**{t('train.guide_title', lang)}** — {t('train.diverged_guide', lang)}")
            return
        st.markdown(f"**{t('train.guide_title', lang)}** — {verdict(accuracy, loss, lang)}")
        st.caption(t("train.guide_loss", lang))
        st.caption(t("train.guide_accuracy", lang))


def verdict(accuracy: float, loss: float | None, lang: str) -> str:
    """Accuracy and loss each judged in their own words: "Accuracy 83.33%: fine for most
    uses. Loss 0.42: above 0.1, lower is better." """
    parts = [t("train.verdict_accuracy", lang, value=formats.percent(accuracy),
               level=t(accuracy_level(accuracy), lang))]
    if loss is not None:
        parts.append(t("train.verdict_loss", lang, value=f"{loss:.4f}", level=t(loss_level(loss), lang)))
    return " ".join(parts)


# ---------------------------------------------------------------- confusion cells

def mistake_cells(confusion: list[list[int]]) -> list[tuple[int, int]]:
    """Off-diagonal cells holding mistakes, the most frequent first."""
    cells = [(r, c) for r, row in enumerate(confusion) for c, n in enumerate(row) if r != c and n]
    return sorted(cells, key=lambda rc: -confusion[rc[0]][rc[1]])


def cell_mistakes(predictions: dict[str, np.ndarray], true: int, predicted: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Images and confidences of the kept mistakes of one cell, most confident first."""
    index = predictions["indices"]
    mask = (predictions["label"][index] == true) & (predictions["predicted"][index] == predicted)
    confidence = predictions["confidence"][index][mask].astype(float)
    order = np.argsort(-confidence, kind="stable")
    return predictions["images"][mask][order], confidence[order]


def _clicked() -> None:
    """A click on the matrix picks that cell in the select box (diagonal: a note)."""
    points = st.session_state[CHART_KEY].selection.points
    if not points:
        return
    cell = f"{int(points[0]['y'])}-{int(points[0]['x'])}"
    st.session_state[NOTE_KEY] = cell
    st.session_state[CELL_KEY] = cell


def _cell(confusion: list[list[int]], names: list[str], predictions: dict | None, lang: str) -> None:
    options = [f"{r}-{c}" for r, c in mistake_cells(confusion)]
    if st.session_state.get(CELL_KEY) not in options:
        st.session_state.pop(CELL_KEY, None)
    clicked = st.session_state.pop(NOTE_KEY, None)
    if clicked and clicked not in options:
        true, predicted = map(int, clicked.split("-"))
        st.caption(t("train.cell_correct" if true == predicted else "train.cell_empty", lang,
                     true=safe.escape(names[true]), pred=safe.escape(names[predicted])))
    choice = st.selectbox(
        t("train.cell_pick", lang), options, index=None, key=CELL_KEY,
        placeholder=t("train.cell_none", lang),
        format_func=lambda o: _cell_label(o, confusion, names, lang))
    if choice is None or predictions is None:
        return
    true, predicted = map(int, choice.split("-"))
    pictures, confidence = cell_mistakes(predictions, true, predicted)
    if not len(pictures):
        st.caption(t("train.cell_no_images", lang))
        return
    st.caption(t("train.cell_images", lang, shown=len(pictures), count=confusion[true][predicted],
                 true=safe.escape(names[true]), pred=safe.escape(names[predicted])))
    images.gallery(pictures, [f"{c:.0%}" for c in confidence])


def _cell_label(option: str, confusion: list[list[int]], names: list[str], lang: str) -> str:
    r, c = map(int, option.split("-"))
    return t("train.cell_option", lang, true=names[r], pred=names[c], count=confusion[r][c])


# ---------------------------------------------------------------- gallery

def sample_indices(count: int, total: int, seed: int = 0) -> np.ndarray:
    """``count`` test indices spread at random (the same ones on every redraw)."""
    return np.sort(np.random.default_rng(seed).permutation(total)[:count])


def _gallery(run: Run, predictions: dict | None, names: list[str], lang: str) -> None:
    """Random test images with the model's answer: ✓ right, ✗ wrong (with the truth)."""
    try:
        dataset = data.readable(run.dataset)
    except LabError:
        dataset = None
    if predictions is None or dataset is None or len(dataset.y_test) != len(predictions["label"]):
        st.caption(t("train.gallery_unavailable", lang))
        return
    picks = sample_indices(GALLERY, len(dataset.y_test))
    picks = picks[predictions["shown"][picks]]   # before Reveal: the public half's only
    captions = [prediction_caption(int(predictions["predicted"][i]), int(predictions["label"][i]),
                                   float(predictions["confidence"][i]), names) for i in picks]
    st.caption(t("train.gallery_legend", lang))
    images.gallery(dataset.test_images(picks), captions)


def prediction_caption(guess: int, label: int, confidence: float, names: list[str]) -> str:
    """``7 · 98% · ✓`` when right, ``2 · 46% · ✗ (7)`` when wrong (the true class last)."""
    mark = "✓" if label == guess else f"✗ ({names[label]})"
    return f"{names[guess]} · {confidence:.0%} · {mark}"
