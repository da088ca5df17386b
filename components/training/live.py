"""The shown run: status, progress with ETA, live charts, Stop / Continue and the outcome.

While the run waits or trains, a fragment re-reads the store every POLL seconds (new
metric rows only) and redraws; when the run ends it reruns the whole page once, which
shows the evaluation and stops polling. No training happens here: the trainer is a
separate process and the store is the only link.
"""
from __future__ import annotations

import streamlit as st

from builder.store import Metric, Run, best_epoch, overfitting_since
from builder.text import t
from components.training import charts, data, runs, settings_form

POLL = 0.5                  # seconds between redraws while a run is waiting or training
METRICS_KEY = "train_metrics"
CONTINUABLE = ("stopped", "completed", "interrupted")
STATUS_COLOR = {"queued": "gray", "running": "blue", "stopping": "orange", "stopped": "orange",
                "completed": "green", "diverged": "red", "failed": "red", "interrupted": "red"}


def run_view(run: Run, lang: str) -> None:
    """The run's title, then its live part; Continue and the outcome once it has ended."""
    st.subheader(t("train.run_title", lang, id=run.id, name=run.name), anchor=False)
    waiting = run.status in runs.WAITING
    st.fragment(run_every=POLL if waiting else None)(_live)(run.id, waiting, lang)
    if not waiting:
        _outcome(run, lang)


def _live(run_id: int, waiting: bool, lang: str) -> None:
    run = runs.store().run(run_id)
    if waiting and run.status not in runs.WAITING:
        st.rerun()  # it ended: redraw the page once, with the evaluation and no polling
    status = t(f"train.status_{run.status}", lang)
    st.markdown(f":{STATUS_COLOR[run.status]}-badge[{t('train.status', lang, status=status)}]")
    metrics = _metrics(run)
    batches = charts.batches_per_epoch(metrics, run.progress)
    if waiting:
        _progress(run, metrics, lang)
    with st.container(key="train_live"):
        if metrics:
            st.plotly_chart(charts.live_figure(metrics, batches, lang), key="train_live_chart",
                            config={"displayModeBar": False})
        else:
            st.caption(t("train.no_points", lang))
    _notes(metrics, lang)


def _metrics(run: Run) -> list[Metric]:
    """All metric rows of ``run``, fetching only the new ones since the last redraw.

    Continue deletes a stopped epoch's partial rows and raises ``settings.epochs``; that
    is part of the cache key, so the rows are read afresh then.
    """
    key = (run.id, run.settings.epochs)
    cache = st.session_state.get(METRICS_KEY)
    if cache is None or cache["key"] != key:
        cache = {"key": key, "rows": []}
    rows = cache["rows"]
    rows = rows + runs.store().metrics(run.id, after=rows[-1].id if rows else 0)
    st.session_state[METRICS_KEY] = {"key": key, "rows": rows}
    return rows


def _progress(run: Run, metrics: list[Metric], lang: str) -> None:
    """"Epoch 3/10 · batch 15/15" with the ETA, the seed's explanation beside it, Stop."""
    left, right = st.columns([3, 2], vertical_alignment="top")
    with left:
        p = run.progress
        if p.get("phase") == "training" and p.get("batches"):
            elapsed = metrics[-1].time if metrics else 0.0
            text = t("train.progress", lang, **{k: p[k] for k in ("epoch", "epochs", "batch", "batches")})
            eta = eta_seconds(p, elapsed)
            if eta is not None:
                text += " · " + t("train.eta", lang, time=duration(eta, lang))
            st.progress(fraction(p), text=text)
        elif p.get("phase") in ("loading", "downloading", "preparing", "evaluating"):
            done = data.megabytes(p.get("done", 0), p.get("total"))
            st.progress(0.0, text=t(f"train.phase_{p['phase']}", lang, done=done))
        elif run.status == "queued":
            st.progress(0.0, text=t("train.status_queued", lang))
        st.button(t("train.stop", lang), key="train_stop", icon=":material/stop_circle:",
                  disabled=run.status == "stopping", on_click=runs.stop, args=(run.id,))
    with right:
        batches = run.progress.get("batches")
        if batches:
            st.info(t("train.batch_explain", lang, batch=run.progress.get("batch", 0),
                      batches=batches, size=run.settings.batch_size), icon=":material/lightbulb:")


def fraction(progress: dict) -> float:
    """Share of all batches of the run done (epochs count from 1)."""
    total = progress["epochs"] * progress["batches"]
    done = (progress["epoch"] - 1) * progress["batches"] + progress.get("batch", 0)
    return min(max(done / total, 0.0), 1.0) if total else 0.0


def eta_seconds(progress: dict, elapsed: float) -> float | None:
    """Seconds left at the pace so far (``elapsed`` training seconds for the batches done)."""
    batches = progress.get("batches") or 0
    done = (progress.get("epoch", 1) - 1) * batches + progress.get("batch", 0)
    if done <= 0 or elapsed <= 0:
        return None
    return elapsed / done * (progress.get("epochs", 0) * batches - done)


def duration(seconds: float, lang: str) -> str:
    """< 1 s, 12 s, 3 min 5 s, 2 h 10 min."""
    s = int(round(seconds))
    if s < 1:
        return t("train.duration_s", lang, s="< 1")
    if s < 60:
        return t("train.duration_s", lang, s=s)
    if s < 3600:
        return t("train.duration_m", lang, m=s // 60, s=s % 60)
    return t("train.duration_h", lang, h=s // 3600, m=s % 3600 // 60)


def _notes(metrics: list[Metric], lang: str) -> None:
    """The best-epoch rule and, when it shows, the overfitting warning."""
    best = best_epoch(metrics)
    if best is None:
        return
    st.caption(t("train.best_rule", lang, best=best))
    since = overfitting_since(metrics)
    if since is not None:
        st.warning(t("train.overfitting", lang, epoch=since, best=best), icon=":material/trending_up:")


def _outcome(run: Run, lang: str) -> None:
    """What the end means and what to do next: advice for errors, Continue when possible."""
    if run.status == "stopped":
        st.info(t("train.stop_kept", lang), icon=":material/stop_circle:")
    elif run.status == "diverged":
        suggested = float((run.error or {}).get("args", {}).get("suggested", run.settings.learning_rate / 10))
        st.error(run.error_text(lang), icon=":material/error:")
        st.button(t("train.use_rate", lang, rate=f"{suggested:g}"), key="train_use_rate",
                  on_click=settings_form.set_learning_rate, args=(suggested,))
    elif run.error:
        st.error(run.error_text(lang), icon=":material/block:")
        if run.error.get("code") == "download_failed":
            data.offline_button(lang, "train_offline_run")
    if run.status in CONTINUABLE and (runs.store().artifact(run.id, "last")
                                      or runs.store().artifact(run.id, "best")):
        _continue(run, lang)


def _continue(run: Run, lang: str) -> None:
    more_col, button_col = st.columns([1, 3], vertical_alignment="bottom")
    more = more_col.number_input(t("train.more_epochs", lang), min_value=1, max_value=1000, value=5,
                                 key="train_more")
    button_col.button(t("train.continue", lang), key="train_continue", icon=":material/play_arrow:",
                      on_click=runs.extend, args=(run.id, int(more)))
