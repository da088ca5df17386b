"""One architecture on MNIST and CIFAR-10 in one click, then both runs side by side.

The model is the Build page's (``components.state``). Both runs get the same settings
(the Train page's when it has set them, with the epochs and image limit asked first —
small by default, so one curious click does not hold the trainer for long: in this
section, or in a dialog when the Build page's button is pressed);
only the input shape changes, 28×28×1 to 32×32×3, and the table shows what that does to
every layer's shape and parameters. When both runs finish, the seed tutorial's
explanation of why CIFAR-10 is harder appears beside the numbers.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from builder import formats
from builder.architecture import position
from builder.classroom.visibility import visible
from builder.compare import PAIR, Adaptation, adapt, per_batch_first, queue_pair, run_labels
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.forecast import cached_calibration, estimate, from_click, queue_wait
from builder.settings import TrainSettings
from builder.store import FINAL, Run
from builder.text import t
from components import safe, services, state
from components.canvas.view import shape_text
from components.compare import charts
from components.compare import runs as chosen_runs
from components.identity import current_actor
from components.training import forecast_view

PAIR_IDS, EPOCHS, LIMIT = "compare_pair", "compare_pair_epochs", "compare_pair_limit"
CHOSEN = "compare_pair_chosen"   # the epochs and image limit last asked (a plain session key)
LANDING = "compare_pair_landing"  # set when the Compare page should open on the pair's tab
SMALL = {"epochs": 3, "limit": 2000}  # the first offer: a quick pair, about a minute on a CPU
COMPARE_PAGE = "pages/compare.py"
POLL_SECONDS = 1.0


def settings() -> TrainSettings:
    """The Train page's settings (defaults before it has run), with the pair's epochs and
    image limit (small until someone chooses others)."""
    return replace(state.settings(), **st.session_state.get(CHOSEN, SMALL))


def train_on_both_button(lang: str, key: str = "train_on_both") -> None:
    """A button for any page: ask epochs and image limit in a dialog, then queue the
    current model on MNIST and CIFAR-10 and open the Compare page on the side-by-side view."""
    if st.button(t("compare.pair_button", lang), key=key, icon=":material/play_arrow:",
                 type="primary", width="stretch"):
        st.dialog(t("compare.pair_dialog", lang), width="medium")(_dialog)(lang)


def landing_tab() -> bool:
    """Should the Compare page open on the pair's tab (once, right after the dialog)?"""
    return bool(st.session_state.pop(LANDING, False))


def section(lang: str) -> None:
    """How the model changes on each dataset, the settings, the button, the results."""
    arch = state.architecture()
    adaptations = [adapt(arch, name) for name in PAIR]
    st.markdown(t("compare.pair_intro", lang, name=safe.escape(arch.name or "—")))
    _shape_table(adaptations, lang)
    epochs_col, limit_col, button_col = st.columns([1, 1, 2], vertical_alignment="bottom")
    _ask(epochs_col, limit_col, lang)
    _forecast(adaptations, lang)
    with button_col:
        if st.button(t("compare.pair_button", lang), key="compare_pair_start",
                     icon=":material/play_arrow:", type="primary", width="stretch"):
            _queue(lang)
    side_by_side(lang)


def _ask(epochs_col, limit_col, lang: str) -> None:
    """The pair's epochs and image limit (empty: all images), kept for the next time."""
    chosen = settings()
    epochs = epochs_col.number_input(t("compare.pair_epochs", lang), 1, 1000, chosen.epochs,
                                     key=EPOCHS)
    limit = limit_col.number_input(t("compare.pair_limit", lang), 10, None, chosen.limit,
                                   step=1000, key=LIMIT, placeholder=t("compare.pair_all", lang))
    st.session_state[CHOSEN] = {"epochs": epochs, "limit": limit}


def _forecast(adaptations: list[Adaptation], lang: str) -> None:
    """When both runs are done, counted from the click: the queue ahead, then their own
    forecasts, on this machine's measured rate."""
    calibration = cached_calibration()
    own = [estimate(a.architecture, DATASETS[a.dataset].train_images, settings(),
                    calibration).seconds_total for a in adaptations if a.ok]
    if not own:
        return
    wait = queue_wait(services.store().runs(), calibration)
    workers = getattr(services.executor(), "slots", 1)
    st.caption(t("compare.pair_forecast", lang,
                 text=forecast_view.with_wait(from_click(own, wait, workers), wait, lang)))


def _dialog(lang: str) -> None:
    """The Build page's question before a pair is queued; Start lands on the pair's view."""
    st.markdown(t("compare.pair_dialog_intro", lang))
    epochs_col, limit_col = st.columns(2)
    _ask(epochs_col, limit_col, lang)
    _forecast([adapt(state.architecture(), name) for name in PAIR], lang)
    if st.button(t("compare.pair_dialog_start", lang), key="pair_dialog_start",
                 icon=":material/play_arrow:", type="primary") and _queue(lang):
        st.session_state[LANDING] = True
        st.switch_page(COMPARE_PAGE)


def side_by_side(lang: str, font: int = charts.SMALL, curves_shown: list[int] = ()) -> None:
    """The last pair queued here, refreshed every second while either run is unfinished;
    its curves are left out when ``curves_shown`` (run ids) already drew them."""
    for run_id in st.session_state.get(PAIR_IDS, []):
        services.shared().forget(run_id)  # a page run shows them as read now; ticks share reads
    runs = _pair_runs()
    if not runs:
        st.caption(t("compare.pair_none", lang))
        return
    waiting = any(r.status not in FINAL for r in runs)
    curves = {r.id for r in runs} != set(curves_shown)
    st.fragment(_pair_view, run_every=POLL_SECONDS if waiting else None)(lang, font, waiting,
                                                                        curves)


def _queue(lang: str) -> bool:
    try:
        ids = queue_pair(services.store(), state.architecture(), settings(),
                         actor=current_actor())
    except LabError as exc:
        st.error(safe.error(exc, lang))
        return False
    for run_id in ids:
        services.executor().submit(run_id)
    st.session_state[PAIR_IDS] = ids
    chosen_runs.choose(ids)
    return True


def _pair_runs() -> list[Run]:
    try:
        runs = [services.live_run(i)[0] for i in st.session_state.get(PAIR_IDS, [])]
        return visible(services.store(), runs, current_actor())   # the results it may see
    except LabError:  # deleted meanwhile
        st.session_state.pop(PAIR_IDS, None)
        return []


def _shape_table(adaptations: list[Adaptation], lang: str) -> None:
    """Each layer's output shape and parameters on both datasets; totals and problems."""
    import pandas as pd  # here, not above: the Build page imports this module for its button
    first, second = adaptations
    names = [DATASETS[a.dataset].title[lang] for a in adaptations]
    between = adapt(first.architecture, second.dataset)  # first dataset → second dataset
    table = pd.DataFrame([{
        t("compare.layer", lang): position(c.address, c.type, lang),
        f"{names[0]} · {t('compare.shape', lang)}": shape_text(c.output_before),
        f"{names[1]} · {t('compare.shape', lang)}": shape_text(c.output_after),
        f"{names[0]} · {t('compare.col_params', lang)}": c.params_before,
        f"{names[1]} · {t('compare.col_params', lang)}": c.params_after,
    } for c in between.changes()])
    with st.expander(t("compare.pair_shapes", lang), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")
    for col, name, a in zip(st.columns(len(adaptations)), names, adaptations):
        built = shape_text(a.original.input_shape)
        col.metric(t("compare.pair_params", lang, dataset=name), f"{a.after.total_params:,}",
                   delta=f"{a.params_change:+,}" if a.params_change else None,
                   help=t("compare.pair_params_help", lang, shape=built), border=True)
        for problem in a.after.errors:
            col.error(f"{name}: {safe.escape(problem.text(lang))}")
    biggest = between.biggest_change()
    if biggest is not None:
        layer = position(biggest.address, biggest.type, lang)
        st.caption(t("compare.pair_biggest", lang, layer=safe.escape(layer),
                     a=f"{biggest.params_before:,}", b=f"{biggest.params_after:,}",
                     shape_a=shape_text(biggest.input_before),
                     shape_b=shape_text(biggest.input_after)))


def _pair_view(lang: str, font: int, waiting: bool, curves: bool) -> None:
    runs = _pair_runs()
    if waiting and runs and all(r.status in FINAL for r in runs):
        st.rerun(scope="app")  # stop polling; the rest of the page shows the results too
    for col, run in zip(st.columns(len(runs), gap="large"), runs):
        with col:
            _run_card(run, lang)
    if curves:
        kind = "batch" if per_batch_first(runs) else "epoch"
        rows = {r.id: [m for m in services.live_run(r.id)[1] if m.kind == kind] for r in runs}
        names = run_labels(runs, lang)  # the two told apart, not every run's differences
        newest = tuple((m[-1].id if m else 0, len(m)) for m in rows.values())
        figure = services.shared().built(  # built once per new row for every session watching
            ("pair", tuple(rows), kind, lang, font), (newest, tuple(r.status for r in runs)),
            lambda: charts.curves(rows, runs, names, kind, lang, font))
        charts.show(figure, "pair_curves", lang, download=font == charts.SMALL)
    if all(r.status == "completed" for r in runs):
        st.info(t("compare.why_harder", lang), icon=":material/school:")


def _run_card(run: Run, lang: str) -> None:
    title = DATASETS[run.dataset].title[lang] if run.dataset in DATASETS else run.dataset
    st.subheader(f"{safe.escape(title)} · {shape_text(run.architecture.input_shape)}", anchor=False)
    results = run.results or {}
    if "test_accuracy" in results:
        st.metric(t("compare.test_accuracy", lang), formats.percent(results['test_accuracy']),
                  border=True)
        st.caption(t("compare.card_numbers", lang, loss=f"{results.get('test_loss') or 0:.4f}",
                     epochs=run.epochs_done, seconds=f"{run.train_seconds:.1f}"))
        return
    progress = run.progress or {}
    st.markdown(t("compare.card_status", lang, status=t(f"compare.status_{run.status}", lang),
                  epoch=progress.get("epoch", 0), epochs=run.settings.epochs))
    if run.error:
        st.error(safe.escape(run.error_text(lang)))
