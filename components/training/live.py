"""The shown run: status, progress with ETA, live charts, Stop / Continue and the outcome.

While the run waits or trains, a fragment redraws every POLL seconds from what the server
shares between sessions (``services.live_run``: one store read of the run per tick, new
metric rows only; the figure is built once per new row, ``services.shared().built``), so
thirty watchers cost about what one does; when the run ends it reruns the whole page
once, which shows the evaluation and stops polling. Stop sits outside the fragment, so a
redraw never swallows a click, and it shows *stopping* at once. No training happens here:
the trainer is a separate process and the store is the only link. The server marks runs
whose trainer died as interrupted once per tick (``services.recover``), so a dead trainer
shows up within seconds, with the reason.
"""
from __future__ import annotations

import socket
import time
from dataclasses import replace
from typing import Any

import streamlit as st

from builder import checkpoints
from builder.store import Metric, Run, best_epoch, overfitting_since
from builder.text import t
from components import safe, services
from components.training import charts, data, runs, settings_form
from components.training.words import count, duration

POLL = 0.5                  # seconds between redraws while a run is waiting or training
CONTINUABLE = ("stopped", "completed", "interrupted")
STATUS_COLOR = {"queued": "gray", "running": "blue", "stopping": "orange", "stopped": "orange",
                "completed": "green", "diverged": "red", "failed": "red", "interrupted": "red"}


def run_view(run: Run, lang: str) -> None:
    """The run's title and Stop, then its live part; Continue and the outcome once it ended."""
    st.subheader(t("train.run_title", lang, id=run.id, name=safe.escape(runs.name(run, lang))),
                 anchor=False)
    waiting = run.status in runs.WAITING
    services.shared().forget(run.id)  # a page run shows the run as read now; ticks share reads
    if waiting:
        st.button(t("train.stop", lang), key="train_stop", icon=":material/stop_circle:",
                  disabled=run.status == "stopping", on_click=runs.stop, args=(run.id,))
    st.fragment(run_every=POLL if waiting else None)(_live)(run.id, waiting, lang)
    if not waiting:
        _outcome(run, lang)


def _live(run_id: int, waiting: bool, lang: str) -> None:
    if waiting:
        services.recover()  # a trainer that died turns its run "interrupted" now
    run, metrics = services.live_run(run_id)  # shared by every session watching this run
    if waiting and run.status not in runs.WAITING:
        st.rerun()  # it ended: redraw the page once, with the evaluation and no polling
    status = t(f"train.status_{run.status}", lang)
    st.markdown(f":{STATUS_COLOR[run.status]}-badge[{t('train.status', lang, status=status)}]")
    batches = charts.batches_per_epoch(metrics, run.progress)
    if waiting:
        _progress(run, lang)
        if run.progress.get("exploding"):
            st.warning(t("train.exploding", lang, rate=f"{run.settings.learning_rate:g}"),
                       icon=":material/local_fire_department:")
    with st.container(key="train_live"):
        if metrics:
            st.plotly_chart(live_figure(run_id, metrics, batches, lang), key="train_live_chart",
                            config={"displayModeBar": False})
        else:
            st.caption(t("train.no_points", lang))
    _notes(metrics, lang)


def live_figure(run_id: int, metrics: list[Metric], batches: int, lang: str) -> Any:
    """The run's chart, built once per new row for every session that watches it."""
    return services.shared().built(("live", run_id, lang), (metrics[-1].id, len(metrics), batches),
                                   lambda: charts.live_figure(metrics, batches, lang))


def _progress(run: Run, lang: str) -> None:
    """"Epoch 3/10 · batch 15/15" with the ETA, or what happens before the first batch."""
    left, right = st.columns([3, 2], vertical_alignment="top")
    with left:
        queued = None
        if run.status == "queued":  # one read of the queue per tick for every watcher
            queued = services.shared().every(("queue", run.id), POLL,
                                             lambda: services.store().queue_position(run.id))
        fraction_done, text = progress_line(run, time.time(), lang, queued)
        st.progress(fraction_done, text=text)
        where = trained_on(run.progress, socket.gethostname())
        if where:
            st.caption(t("train.trained_on", lang, **where))
        elif run.progress.get("device"):
            st.caption(t("train.device", lang, device=run.progress["device"]))
    with right:
        batches = run.progress.get("batches")
        if batches:
            st.info(t("train.batch_explain", lang, batch=run.progress.get("batch", 0),
                      batches=batches, size=run.settings.batch_size), icon=":material/lightbulb:")


def progress_line(run: Run, now: float, lang: str,
                  queue_position: int | None = None) -> tuple[float, str]:
    """The progress bar's share and text: epoch and batch with the ETA while training, else
    the phase with the seconds spent waiting so far (and the place in the queue, when known)."""
    p = run.progress
    phase = p.get("phase")
    if phase == "training" and p.get("batches"):
        text = t("train.progress", lang, **{k: p[k] for k in ("epoch", "epochs", "batch", "batches")})
        eta = eta_seconds(p)
        if eta is not None:
            text += " · " + t("train.eta", lang, time=duration(eta, lang))
        return fraction(p), text
    if phase == "downloading":
        total = p.get("total")
        done = data.megabytes(p.get("done", 0), total)
        return min(p.get("done", 0) / total, 1.0) if total else 0.0, t(
            "train.phase_downloading", lang, done=done)
    if phase == "evaluating":
        return 1.0, t("train.phase_evaluating", lang)
    if phase == "saving":
        return fraction(p), t("train.phase_saving", lang, epoch=p.get("epoch", 1), batch=p.get("batch", 0))
    if run.status == "queued":
        text = t("train.phase_queued", lang, elapsed=duration(now - run.created, lang))
        if queue_position:
            text += " · " + t("train.queue_position", lang, n=queue_position)
        return 0.0, text
    key = {"loading": "train.phase_loading", "waiting": "train.phase_waiting"}.get(
        phase, "train.phase_preparing")
    return 0.0, t(key, lang, elapsed=duration(now - (run.started or run.created), lang))


def trained_on(progress: dict, here: str) -> dict | None:
    """Where a run trains, when that is not this machine (a Ray cluster): the machine's
    name and, across several GPUs, the effective batch size."""
    node = progress.get("node")
    if not node or node == here:
        return None
    replicas = progress.get("replicas") or 1
    return {"node": node, "replicas": replicas,
            "batch": progress.get("global_batch_size") or "?"}


def fraction(progress: dict) -> float:
    """Share of all batches of the run done (epochs count from 1)."""
    total = progress["epochs"] * progress["batches"]
    done = (progress["epoch"] - 1) * progress["batches"] + progress.get("batch", 0)
    return min(max(done / total, 0.0), 1.0) if total else 0.0


def eta_seconds(progress: dict) -> float | None:
    """Seconds left at the trainer's measured pace for this run (``batch_seconds`` per batch
    inside an epoch, ``epoch_seconds`` from one epoch to the next; never the queue or the
    start-up); None until it measured one."""
    batches, pace = progress.get("batches") or 0, progress.get("batch_seconds")
    if not pace:
        return None
    epoch, epochs = progress.get("epoch", 1), progress.get("epochs", 0)
    done = (epoch - 1) * batches + progress.get("batch", 0)
    moves = max(epochs - epoch, 0) * (progress.get("epoch_seconds") or 0.0)
    return max(pace * (epochs * batches - done), 0.0) + moves


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
        st.info(stop_text(run, lang), icon=":material/stop_circle:")
        stopped_at = (run.results or {}).get("stopped_at")
        if stopped_at and run.epochs_done:
            st.caption(t("train.stopped_at", lang, **stopped_at))
    elif run.status == "diverged":
        suggested = suggested_rate(run)
        st.error(safe.escape(run.error_text(lang)), icon=":material/error:")
        st.button(t("train.retry_rate", lang, rate=f"{suggested:g}"), key="train_retry",
                  type="primary", icon=":material/replay:", on_click=retry, args=(run, suggested))
    elif run.error and run.error.get("code") == "download_failed":
        data.download_failure(run.dataset, run.error_text(lang), lang, "train_offline_run")
    elif run.error:
        st.error(safe.escape(run.error_text(lang)), icon=":material/block:")
    for note in (run.results or run.progress).get("notes", []):
        st.info(t(f"note.{note}", lang), icon=":material/info:")
    if run.status in CONTINUABLE and (services.store().artifact(run.id, "last")
                                      or services.store().artifact(run.id, "best")):
        _continue(run, lang)


def stop_text(run: Run, lang: str) -> str:
    """What a Stop kept: the best epoch so far, or, inside the first epoch, the model as it
    was at the stopped batch (there is no best epoch then), or nothing before a batch."""
    if run.epochs_done:
        return t("train.stop_kept", lang, epochs=count(run.epochs_done, "train.epoch_count", lang))
    stopped = checkpoints.stopped_early(run.results)
    if stopped:
        return t("train.stop_first_epoch", lang, **stopped)
    return t("train.stop_before_training", lang)


def suggested_rate(run: Run) -> float:
    """The trainer's suggestion for a diverged run (the learning rate ÷ 10 when it gave none)."""
    suggested = (run.error or {}).get("args", {}).get("suggested")
    try:
        return float(suggested)
    except (TypeError, ValueError):
        return run.settings.learning_rate / 10


def retry(run: Run, rate: float) -> int | None:
    """A new run like ``run`` (architecture, dataset, settings) but at learning rate ``rate``;
    the form takes the rate too, so what it shows is what the retry uses."""
    settings_form.set_learning_rate(rate)
    return runs.start(run.architecture, run.dataset, replace(run.settings, learning_rate=rate),
                      run.name)


def _continue(run: Run, lang: str) -> None:
    """More epochs (offered: the rest of the plan, within the challenge) and Continue."""
    from builder.classroom.challenge import continue_most, continue_offer
    from components.classroom.rules import challenge
    rules = challenge()
    offer, most = continue_offer(rules, run), continue_most(rules, run)
    if offer < 1:
        st.caption(t("train.continue_capped", lang, limit=rules.max_epochs))
        return
    more_col, button_col = st.columns([1, 3], vertical_alignment="bottom")
    more = more_col.number_input(t("train.more_epochs", lang), min_value=1, max_value=most,
                                 value=offer, key=f"train_more-{run.id}-{run.epochs_done}",
                                 help=t("train.more_epochs_help", lang))
    button_col.button(t("train.continue", lang), key="train_continue", icon=":material/play_arrow:",
                      on_click=runs.extend, args=(run.id, int(more)))
