"""Try your own input: draw (grey models) or upload an image, and see what a finished
run's tested model answers and what its layers make of it. The prediction runs in the
inference worker process (:mod:`builder.inference`); a cold worker shows its progress.
"""
from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from builder import checkpoints, inference
from builder.errors import LabError
from builder.store import Run, Store
from builder.text import t
from components import safe
from components.inside import pad, panels

IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp"]
RESULT = "inside_own_result"  # session key: (run id, input digest, Prediction | LabError)


def section(run: Run, store: Store, lang: str) -> None:
    """The drawing pad and upload for ``run``, then the tested model's answer (the best
    epoch's, or the model as stopped when no epoch ended: :func:`checkpoints.tested`)."""
    st.markdown(f"#### {t('inside.own', lang)}")
    if checkpoints.tested(run.results, lambda kind: store.artifact(run.id, kind)) is None:
        st.caption(safe.error(LabError("no_model_file", id=run.id), lang))
        return
    stopped = checkpoints.stopped_early(run.results)
    if stopped:
        st.caption(t("inside.own_stopped", lang, **stopped))
    height, width, channels = run.architecture.input_shape
    source = None
    draw_col, upload_col = st.columns(2)
    if channels == 1:
        with draw_col:
            st.caption(t("inside.draw", lang, height=height, width=width))
            source = pad.pad(height, width, key=f"inside_pad_{run.id}", lang=lang)
    with upload_col:
        upload = st.file_uploader(t("inside.upload", lang), type=IMAGE_TYPES,
                                  key=f"inside_upload_{run.id}",
                                  max_upload_size=-(-inference.MAX_BYTES // 2**20),  # "10MB"
                                  help=t("inside.upload_help", lang, height=height, width=width,
                                         mode=t(f"inside.mode_{'grey' if channels == 1 else 'rgb'}", lang)))
    if upload is not None:
        source = upload.getvalue()
    if source is None:
        return
    outcome = _predicted(store, run.id, source, lang)
    if isinstance(outcome, LabError):
        st.error(safe.error(outcome, lang))
        return
    show(outcome, lang, key=f"inside_own_{run.id}", drawn=not isinstance(source, bytes))


def _predicted(store: Store, run_id: int, source: bytes | np.ndarray,
               lang: str) -> inference.Prediction | LabError:
    """Ask the worker once per new input (kept in the session for reruns)."""
    digest = hashlib.sha256(source if isinstance(source, bytes) else source.tobytes()).hexdigest()
    kept = st.session_state.get(RESULT)
    if kept and kept[:2] == (run_id, digest):
        return kept[2]
    with st.status(t("inside.predicting", lang), expanded=False) as status:
        def progress(phase: str) -> None:
            status.update(label=t(f"inside.phase_{phase}", lang))
        try:
            outcome: inference.Prediction | LabError = inference.predict(
                store, run_id, source, progress=progress)
            status.update(label=t("inside.predicted", lang), state="complete")
        except LabError as exc:
            outcome = exc
            status.update(label=safe.error(exc, lang), state="error")
    st.session_state[RESULT] = (run_id, digest, outcome)
    return outcome


def show(prediction: inference.Prediction, lang: str, key: str, drawn: bool = False) -> None:
    """What the model saw (and how the input was prepared), where it looked, its answer,
    and every layer's maps."""
    best = prediction.ranked(1)[0]
    st.markdown(t("inside.answer", lang, name=best["class"], probability=f"{best['probability']:.0%}"))
    steps = " → ".join(t(f"inside.step_{s}", lang)
                       for s in (["centre"] if drawn else []) + prediction.steps)
    st.caption(t("inside.steps", lang, steps=steps))
    panels.overview(prediction.image, prediction.cam, prediction.probabilities,
                  prediction.class_names, lang, key=f"{key}_probs")
    panels.layer_rows(prediction.layers, prediction.feature_maps, lang, key)
