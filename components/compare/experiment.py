"""The Compare page's Experiment tab: vary one thing, preview, train, watch the effect.

The model is the Build page's (``components.state``) or a preset's. What varies, its
values, the seeds, epochs and image limit are chosen here (or handed over by the Build
page's *Vary this*, see ``experiment_vary``); every variant's output shape, parameters
and problems and the whole experiment's forecast show before Start. Started experiments
are ordinary runs (``builder.experiments.start_experiment``); the effect view refreshes
every second while one of them is unfinished. The logic is ``builder.experiments``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from builder import edits, formats
from builder import experiments as ex
from builder.classroom import visibility
from builder.architecture import Architecture, position
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.forecast import cached_calibration, queue_wait
from builder.settings import TrainSettings
from builder.store import FINAL
from builder.text import t
from components import safe, services, state
from components.canvas.view import shape_text
from components.compare import charts, experiment_charts
from components.compare import runs as chosen_runs
from components.compare.experiment_vary import PENDING
from components.identity import current_actor
from components.training import forecast_view
from components.training.words import duration

SOURCE, KNOB, VALUES, SEEDS = "exp_source", "exp_knob", "exp_values", "exp_seeds"
EPOCHS, LIMIT, SHOWN, PICK = "exp_epochs", "exp_limit", "exp_shown", "exp_pick"
SECONDARY, MORE = "exp_secondary", "exp_more_epochs"
BUILD = "build"
POLL_SECONDS = 1.0


def tab_default(lang: str) -> str | None:
    """The tab to open first: this one when the Build page just handed over a knob."""
    return t("compare.tab_experiment", lang) if PENDING in st.session_state else None


def section(lang: str) -> None:
    """Presets, the setup with its preview and Start, then the chosen experiment's effect."""
    pending = st.session_state.pop(PENDING, None)  # handed over by the Build page's Vary this
    if pending:
        st.session_state.update({SOURCE: BUILD, KNOB: pending["knob"], VALUES: pending["values"]})
    _presets(lang)
    plan = _setup(lang)
    if plan is not None:
        _preview(plan, lang)
    st.divider()
    shown = _pick(lang)
    if shown is not None:
        _live_view(shown, lang, charts.SMALL)


def present_view(lang: str) -> None:
    """The shown experiment in large type, for the presentation view."""
    shown = st.session_state.get(SHOWN)
    if shown is not None:
        _live_view(shown, lang, charts.LARGE)


# ---------------------------------------------------------------- setup

def _presets(lang: str) -> None:
    st.caption(t("experiment.presets", lang))
    for column, preset in zip(st.columns(len(ex.PRESETS)), ex.PRESETS.values()):
        column.button(t(f"experiment.preset_{preset.name}", lang), key=f"exp_preset_{preset.name}",
                      help=t(f"experiment.preset_{preset.name}_about", lang), width="stretch",
                      on_click=_use_preset, args=(preset,))


def _use_preset(preset: ex.Preset) -> None:
    st.session_state.update({
        SOURCE: preset.name, KNOB: preset.knob, SEEDS: preset.seeds,
        VALUES: ", ".join(ex.value_text(ex.parse_knob(preset.knob, preset.architecture), v)
                          for v in preset.values),
        EPOCHS: preset.settings.epochs, LIMIT: preset.settings.limit})


def _base() -> tuple[Architecture, str, TrainSettings]:
    """The model, dataset and settings the experiment starts from."""
    preset = ex.PRESETS.get(st.session_state.get(SOURCE, BUILD))
    if preset is not None:
        return preset.architecture, preset.dataset, preset.settings
    return state.architecture(), state.dataset().name, state.settings()


def _setup(lang: str) -> ex.Plan | None:
    """The knob, values, seeds, epochs and limit; the plan, or None after showing why not."""
    arch, dataset, settings = _base()
    title = DATASETS[dataset].title[lang] if dataset in DATASETS else dataset
    model_col, back_col = st.columns([3, 1], vertical_alignment="center")
    model_col.markdown(t("experiment.model", lang, name=safe.escape(arch.name or "—"),
                         dataset=safe.escape(title)))
    if st.session_state.get(SOURCE, BUILD) != BUILD:
        back_col.button(t("experiment.use_build", lang), key="exp_use_build",
                        on_click=lambda: st.session_state.update({SOURCE: BUILD}))
    options = ex.knobs(arch)
    if st.session_state.get(KNOB) not in options:
        st.session_state[KNOB] = options[0]
        _suggest(arch, settings)
    if VALUES not in st.session_state:
        _suggest(arch, settings)
    st.session_state.setdefault(EPOCHS, settings.epochs)
    st.session_state.setdefault(LIMIT, settings.limit)
    knob_col, values_col = st.columns([2, 3])
    knob_col.selectbox(t("experiment.knob", lang), options, key=KNOB,
                       format_func=lambda k: _knob_label(arch, k, lang),
                       on_change=_suggest, args=(arch, settings))
    values_col.text_input(t("experiment.values", lang), key=VALUES,
                          help=t("experiment.values_help", lang))
    seeds_col, epochs_col, limit_col = st.columns(3)
    seeds = seeds_col.number_input(t("experiment.seeds", lang), 1, ex.MAX_SEEDS, key=SEEDS,
                                   help=t("experiment.seeds_help", lang))
    epochs = epochs_col.number_input(t("compare.pair_epochs", lang), 1, 1000, key=EPOCHS)
    limit = limit_col.number_input(t("compare.pair_limit", lang), 10, None, None, step=1000,
                                   key=LIMIT, placeholder=t("compare.pair_all", lang))
    try:
        chosen = replace(settings, epochs=int(epochs), limit=None if limit is None else int(limit))
        values = [v for v in st.session_state[VALUES].split(",") if v.strip()]
        return ex.Plan.make(arch, dataset, chosen, st.session_state[KNOB], values, int(seeds))
    except LabError as exc:
        st.error(safe.escape(exc.text(lang)), icon=":material/block:")
        return None


def _suggest(arch: Architecture, settings: TrainSettings) -> None:
    knob = ex.parse_knob(st.session_state[KNOB], arch)
    st.session_state[VALUES] = ", ".join(ex.suggest_values(knob, arch, settings))


def _knob_label(arch: Architecture, knob: str, lang: str) -> str:
    parsed = ex.parse_knob(knob, arch)
    if parsed.kind in ("param", "present"):
        layer = edits.get(arch, parsed.address)
        what = t("experiment.present", lang) if parsed.kind == "present" else parsed.name
        return f"{knob} · {position(parsed.address, layer.type, lang)} › {what}"
    return f"{knob} · {parsed.label(lang)}"


def _problems(variant: ex.Variant, lang: str) -> str:
    """The variant's problems as one table cell."""
    return " · ".join(p.text(lang) for p in variant.report.problems) or "—"  # not Markdown


def _preview(plan: ex.Plan, lang: str) -> None:
    """Every variant's parameters, layer shapes and problems; the forecast; Start."""
    found = ex.plan_variants(plan)
    first = found[0].params
    table = pd.DataFrame([{
        plan.knob.text: ex.value_text(plan.knob, v.value, lang),
        t("compare.col_params", lang): v.params,
        t("experiment.params_change", lang): v.params - first,
        t("experiment.shapes", lang): _shapes(v),
        t("experiment.problems", lang): _problems(v, lang),
    } for v in found])
    st.dataframe(table, hide_index=True, width="stretch", key="exp_preview")
    calibration = cached_calibration()
    cost = ex.forecast(found, calibration, queue_wait(services.store().runs(), calibration))
    cost_col, start_col = st.columns([3, 2], vertical_alignment="center")
    workers = getattr(services.executor(), "slots", 1)
    text = t("experiment.cost_unknown", lang, runs=cost.runs)
    if cost.known:
        text = t("experiment.cost", lang, runs=cost.runs, time=duration(cost.seconds, lang))
        if workers > 1 and cost.runs > 1:
            text += t("experiment.cost_parallel", lang, workers=min(workers, cost.runs),
                      time=duration(cost.seconds_with(workers), lang))
        text += "  \n" + forecast_view.with_wait(cost.seconds_with(workers), cost.wait, lang)
    cost_col.markdown(text, help=t("experiment.forecast_help", lang))
    try:
        ex.refuse_impossible(plan, found)
    except LabError as exc:
        st.error(safe.escape(exc.text(lang)), icon=":material/block:")
        return
    if start_col.button(t("experiment.start", lang), key="exp_start", type="primary",
                        icon=":material/science:", width="stretch"):
        _start(plan, lang)


def _shapes(variant: ex.Variant) -> str:
    """The output shape of each top-level layer: ``26×26×32 › 13×13×32 › … › 10``."""
    return " › ".join(shape_text(r.output_shape) for r in variant.report.rows
                      if len(r.address) == 1)


def _start(plan: ex.Plan, lang: str) -> None:
    try:
        experiment = ex.start_experiment(services.store(), services.executor(), plan,
                                         actor=current_actor())
    except LabError as exc:
        st.error(safe.escape(exc.text(lang)), icon=":material/block:")
        return
    st.session_state[SHOWN] = experiment
    st.session_state.pop(PICK, None)


# ---------------------------------------------------------------- the effect

def _pick(lang: str) -> int | None:
    """Which stored experiment the effect view shows (the last started by default)."""
    records = services.store().experiments()
    if not records:
        st.caption(t("experiment.none", lang))
        return None
    names = {r.id: f"#{r.id} {r.name}" for r in records}
    if st.session_state.get(SHOWN) not in names:
        st.session_state[SHOWN] = records[0].id
    st.session_state[PICK] = st.session_state[SHOWN]
    st.selectbox(t("experiment.pick", lang), list(names), key=PICK, format_func=names.get,
                 on_change=lambda: st.session_state.update({SHOWN: st.session_state[PICK]}))
    return st.session_state[SHOWN]


def _live_view(experiment: int, lang: str, font: int) -> None:
    try:
        stored = ex.load(services.store(), experiment, current_actor())
    except LabError as exc:
        st.error(safe.escape(exc.text(lang)))
        return
    poll = POLL_SECONDS if stored.active else None
    st.fragment(_effect_view, run_every=poll)(experiment, lang, font, stored.active)


def _effect_view(experiment: int, lang: str, font: int, waiting: bool) -> None:
    shared, actor = services.shared(), current_actor()  # one store read per tick per view
    stored = shared.every(("experiment", experiment, visibility.view(services.store(), actor)),
                          POLL_SECONDS, lambda: ex.load(services.store(), experiment, actor))
    if waiting and not stored.active:
        st.rerun(scope="app")  # stop polling
    large = font == charts.LARGE
    if large:
        st.subheader(stored.experiment.name, anchor=False)
    _status(stored, lang, large)
    st.info(safe.escape(stored.effect.reading(lang)), icon=":material/lightbulb:")
    secondary = st.session_state.get(SECONDARY) or experiment_charts.SECONDARY[0]
    if not large:
        secondary = st.segmented_control(
            t("experiment.secondary", lang), experiment_charts.SECONDARY, key=SECONDARY,
            default=experiment_charts.SECONDARY[0], required=True,
            format_func=lambda c: t(f"experiment.axis_{c}", lang))
    charts.show(shared.every(("experiment_effect", experiment, secondary, lang, font), POLL_SECONDS,
                             lambda: experiment_charts.effect(stored.effect, secondary, lang, font)),
                f"experiment_effect{'_large' if large else ''}", lang, download=not large)
    kind = "batch" if max((r.settings.epochs for r in stored.runs), default=0) <= 2 else "epoch"

    def curves() -> Any:
        metrics = {r.id: [m for m in services.live_run(r.id)[1] if m.kind == kind]
                   for r in stored.runs}
        runs = {r.id: r for r in stored.runs}
        return experiment_charts.curves(stored.effect, metrics, runs, kind, lang, font)

    charts.show(shared.every(("experiment_curves", experiment, kind, lang, font), POLL_SECONDS, curves),
                f"experiment_curves{'_large' if large else ''}", lang, download=not large)
    if not large:
        _table(stored, lang)


def _status(stored: ex.Stored, lang: str, large: bool) -> None:
    total = len(stored.runs)
    ended = sum(r.status in FINAL for r in stored.runs)
    text_col, stop_col = st.columns([3, 1], vertical_alignment="center")
    text_col.progress(ended / total if total else 1.0,
                      text=t("experiment.status", lang, ended=ended, total=total,
                             knob=stored.plan.knob.text, seeds=stored.plan.seeds))
    if stored.active and not large:
        stop_col.button(t("experiment.stop", lang), key="exp_stop", icon=":material/stop:",
                        on_click=_stop, args=(stored.experiment.id, lang), width="stretch")
    if stored.continuable and not large:
        with stop_col.popover(t("experiment.continue", lang), icon=":material/play_arrow:",
                              width="stretch"):
            st.number_input(t("experiment.more_epochs", lang), 1, 1000, 2, key=MORE)
            st.button(t("experiment.continue_go", lang), key="exp_continue", type="primary",
                      on_click=_continue, args=(stored.experiment.id, lang))
    if not stored.active and not large:
        with stop_col.popover(t("experiment.delete", lang), icon=":material/delete:",
                              width="stretch"):
            st.caption(t("experiment.delete_confirm", lang, n=total))
            st.button(t("experiment.delete_go", lang), key="exp_delete", type="primary",
                      on_click=_delete, args=(stored.experiment.id, lang))


def _delete(experiment: int, lang: str) -> None:
    """Remove the experiment with its runs (its owner or the teacher; the store checks)."""
    try:
        services.store().delete_experiment(experiment, actor=current_actor())
    except LabError as exc:
        st.toast(safe.escape(exc.text(lang)))
        return
    st.toast(t("experiment.deleted", lang, id=experiment))


def _stop(experiment: int, lang: str) -> None:
    try:
        ex.stop_experiment(services.store(), experiment, actor=current_actor())
    except LabError as exc:
        st.toast(safe.escape(exc.text(lang)))


def _continue(experiment: int, lang: str) -> None:
    epochs = int(st.session_state[MORE])
    try:
        ids = ex.continue_experiment(services.store(), services.executor(), experiment,
                                     epochs, actor=current_actor())
    except LabError as exc:
        st.toast(safe.escape(exc.text(lang)))
        return
    st.toast(t("experiment.continued", lang, n=len(ids), epochs=epochs))


def _table(stored: ex.Stored, lang: str) -> None:
    effect = stored.effect
    marks = {effect.best: t("experiment.best", lang)}
    if effect.knee is not None:
        marks[effect.knee] = " · ".join(filter(None, [marks.get(effect.knee),
                                                       t("experiment.knee", lang)]))
    percent = lambda x: None if x is None else 100 * x  # noqa: E731
    data = pd.DataFrame([{
        effect.knob.text: ex.value_text(effect.knob, r.value, lang),
        t("compare.col_params", lang): r.params,
        t("experiment.mean", lang): percent(r.mean), t("experiment.min", lang): percent(r.low),
        t("experiment.max", lang): percent(r.high), t("experiment.std", lang): percent(r.std),
        t("compare.col_seconds", lang): r.seconds,
        t("experiment.runs", lang): " ".join(f"#{n}" for n in r.runs),
        t("experiment.mark", lang): marks.get(i, ""),
    } for i, r in enumerate(effect.rows)])
    number = st.column_config.NumberColumn
    st.dataframe(data, hide_index=True, width="stretch", key="exp_table", column_config={
        **{t(f"experiment.{k}", lang): number(format=formats.PERCENT_COLUMN)
           for k in ("mean", "min", "max", "std")},
        t("compare.col_seconds", lang): number(format="%.1f s")})
    csv_col, compare_col = st.columns(2)
    csv_col.download_button(t("compare.csv", lang), ex.effect_csv(effect, lang),
                            f"layerlab-experiment-{stored.experiment.id}.csv", mime="text/csv",
                            icon=":material/table:", key="exp_csv", on_click="ignore")
    compare_col.button(t("experiment.compare_runs", lang), key="exp_compare_runs",
                       icon=":material/compare_arrows:",
                       on_click=chosen_runs.choose, args=([r.id for r in stored.runs],))
