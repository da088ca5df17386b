"""One-click fixes lead home: the fix a teacher would pick, offered once, never adding errors;
and models too big to train are refused (or warned about) before Start."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from builder import limits
from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.layers import LAYER_TYPES, Param
from builder.templates import TEMPLATES

L = Layer.make
PLAIN = [k for k in LAYER_TYPES if not k.is_block]
BLOCKS = [k for k in LAYER_TYPES if k.is_block]


def arch(*layers, shape=(28, 28, 1)) -> Architecture:
    return Architecture(shape, tuple(layers), "t")


def fixes(report, code=None):
    return [f for p in report.problems if code in (None, p.code) for f in p.fixes]


def test_a_misplaced_dense_is_moved_after_flatten_or_removed():
    broken = arch(L("Conv2D"), L("Dense", units=4), L("Flatten"), L("Dense", units=10, activation="softmax"))
    report = analyse(broken, 10)
    offered = fixes(report, "dense_on_map")
    assert [f.action for f in offered] == ["move", "remove"]
    assert offered[0].text("en") == "Move this Dense after Flatten" and offered[0].text("ko")
    moved = offered[0].apply(broken)
    assert [x.type for x in moved.layers] == ["Conv2D", "Flatten", "Dense", "Dense"]
    assert not analyse(moved, 10).problems
    assert [x.type for x in offered[1].apply(broken).layers] == ["Conv2D", "Flatten", "Dense"]


def test_a_missing_flatten_is_offered_once_where_the_feature_map_ends():
    template = TEMPLATES["mnist-cnn"].architecture
    flat = next(i for i, x in enumerate(template.layers) if x.type == "Flatten")
    broken = Architecture(template.input_shape, template.layers[:flat] + template.layers[flat + 1:])
    report = analyse(broken, 10)
    assert len(report.problems) >= 3  # two Dense on a map and the output
    offered = fixes(report)
    assert len(offered) == 1 and offered[0].text("en") == "Insert Flatten"
    repaired = offered[0].apply(broken)
    assert repaired.layers == template.layers
    assert analyse(repaired, 10).total_params == analyse(template, 10).total_params
    assert not analyse(repaired, 10).problems


# ---------------------------------------------------------------- the property

def _value(param: Param) -> st.SearchStrategy:
    """Small values inside the parameter's own bounds (sizes kept small so stacks go deep)."""
    if param.kind == "bool":
        base = st.booleans()
    elif param.kind == "choice":
        base = st.sampled_from(param.choices)
    elif param.kind == "int":
        base = st.integers(int(param.low), int(min(param.high, param.low + 12)))
    elif param.kind == "size":
        side = st.integers(int(param.low), int(min(param.high, 4)))
        base = st.one_of(side, st.lists(side, min_size=2, max_size=2))
    else:
        base = st.floats(param.low, param.high, allow_nan=False)
    return st.one_of(st.none(), base) if param.optional else base


@st.composite
def _layer(draw, depth: int) -> Layer:
    kinds = PLAIN + (BLOCKS if depth < 1 else [])
    kind = draw(st.sampled_from(kinds))
    params = {p.name: draw(_value(p)) for p in kind.params}
    paths = []
    if kind.is_block:
        count = draw(st.integers(*kind.paths))
        paths = [draw(st.lists(_layer(depth + 1), max_size=3)) for _ in range(count)]
    return L(kind.name, *paths, **params)


@st.composite
def architectures(draw) -> tuple[Architecture, int | None]:
    side = draw(st.integers(1, 12))
    shape = (side, draw(st.integers(1, 12)), draw(st.integers(1, 3)))
    layers = draw(st.lists(_layer(0), max_size=7))
    return Architecture(shape, tuple(layers)), draw(st.sampled_from([None, 2, 10]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures())
def test_no_offered_fix_ever_adds_errors(case):
    architecture, classes = case
    report = analyse(architecture, classes)
    offered = fixes(report)
    assert all(offered.count(f) == 1 for f in offered)  # identical fixes are merged
    for fix in offered:
        after = analyse(fix.apply(architecture), classes)
        assert len(after.errors) <= len(report.errors), (fix, report.problems, after.problems)


# ---------------------------------------------------------------- size limits

GIANT = arch(L("Conv2D", filters=4096, padding="same"), L("Flatten"),
             L("Dense", units=65536), L("Dense", units=10, activation="softmax"))


def test_the_210_billion_parameter_model_is_refused_naming_its_biggest_layer():
    report = analyse(GIANT, 10)
    assert report.total_params > 200e9 and not report.ok
    problem = next(p for p in report.errors if p.code == "too_many_params")
    assert problem.address == (2,) and problem.layer_type == "Dense"
    assert "Dense" in problem.text("en") and "50,000,000" in problem.message("en")
    assert problem.hint("ko") != problem.hint("en")


def test_summary_exits_2_for_the_giant(tmp_path, capsys):
    from builder import cli
    path = tmp_path / "giant.json"
    path.write_text(GIANT.to_json())
    assert cli.main(["summary", str(path)]) == 2


def test_memory_limit_counts_weights_and_activations(monkeypatch):
    big_maps = arch(L("Conv2D", filters=64, padding="same"), L("GlobalAveragePooling2D"),
                    L("Dense", units=10, activation="softmax"), shape=(512, 512, 3))
    monkeypatch.setenv("LAYERLAB_MAX_TRAIN_MEMORY", "100G")
    assert analyse(big_maps, 10).ok  # 12.9 GB of activations for a batch of 64
    monkeypatch.setenv("LAYERLAB_MAX_TRAIN_MEMORY", "1G")
    report = analyse(big_maps, 10)
    assert [p.code for p in report.errors] == ["too_much_memory"]
    assert "1.0 GB" in report.errors[0].message("en")


def test_a_big_model_gets_a_warning_with_its_forecast(monkeypatch):
    model = arch(L("Flatten"), L("Dense", units=16384), L("Dense", units=10, activation="softmax"))
    report = analyse(model, 10)  # 12.9 M parameters
    warning = next(p for p in report.problems if p.code == "big_model")
    assert warning.severity == "warning" and report.ok and "MB" in warning.message("en")
    monkeypatch.setenv("LAYERLAB_WARN_PARAMS", "20M")
    assert "big_model" not in {p.code for p in analyse(model, 10).problems}


@pytest.mark.parametrize("text, value", [("8G", 8 * 2 ** 30), ("500M", 500 * 2 ** 20),
                                         ("50_000_000", 50_000_000), ("nonsense", 7), ("-3", 7)])
def test_limits_read_sizes_from_the_environment(monkeypatch, text, value):
    monkeypatch.setenv("LAYERLAB_X", text)
    assert limits._env_size("LAYERLAB_X", 7) == value


def test_training_bytes_is_the_forecasts_model_part():
    from builder.forecast import TYPICAL, estimate
    from builder.settings import split
    from builder.settings import TrainSettings
    model = TEMPLATES["mnist-cnn"].architecture
    settings_ = TrainSettings()
    report = analyse(model)
    images = sum(split(1000, settings_))
    data = images * 28 * 28 * 1 * limits.BYTES_PER_VALUE
    peak = estimate(model, 1000, settings_).peak_memory_bytes
    assert settings_.batch_size == limits.DEFAULT_BATCH
    assert peak - TYPICAL.baseline_bytes - data == limits.training_bytes(report.total_params, report.memory)
