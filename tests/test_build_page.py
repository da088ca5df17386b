"""The Build page's Python side: canvas events, share links, uploads, and the page (AppTest)."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builder import edits
from builder.analysis import analyse
from builder.architecture import MAX_BYTES, Architecture, Layer
from builder.errors import LabError
from builder.templates import TEMPLATES
from components import lang, safe, share
from components.canvas import events, view
from components.files import LINK_DONE, file_stem, read_upload

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MNIST = TEMPLATES["mnist-cnn"].architecture
RESNET = TEMPLATES["resnet-small"].architecture


def types(arch: Architecture) -> list[str]:
    return [layer.type for layer in arch.layers]


# ---- canvas events --------------------------------------------------------------------

def test_insert_from_the_palette_lands_where_dropped():
    arch = events.apply(MNIST, {"op": "insert", "type": "Dropout", "to": [5]})
    assert types(arch)[5] == "Dropout" and len(arch.layers) == len(MNIST.layers) + 1


def test_move_targets_count_positions_before_the_removal():
    down = events.apply(MNIST, {"op": "move", "from": [0], "to": [3]})  # dropped above card 3
    assert types(down)[:3] == ["MaxPooling2D", "Conv2D", "Conv2D"]
    up = events.apply(MNIST, {"op": "move", "from": [4], "to": [0]})
    assert types(up)[0] == "Flatten"
    assert events.apply(MNIST, {"op": "move", "from": [2], "to": [3]}) == MNIST


def test_move_into_a_block_path_and_out_again():
    inside = events.apply(RESNET, {"op": "move", "from": [0], "to": [3, 0, 1]})
    assert types(inside)[2] == "Residual"
    assert [x.type for x in inside.layers[2].paths[0]] == ["Conv2D"] * 3
    out = events.apply(inside, {"op": "move", "from": [2, 0, 1], "to": [0]})
    assert out == RESNET


def test_remove_duplicate_and_paths():
    assert len(events.apply(MNIST, {"op": "remove", "at": [6]}).layers) == 6
    twice = events.apply(MNIST, {"op": "duplicate", "at": [0]})
    assert twice.layers[0] == twice.layers[1]
    inception = TEMPLATES["inception-small"].architecture
    fewer = events.apply(inception, {"op": "remove_path", "at": [1], "path": 0})
    assert len(fewer.layers[1].paths) == 3
    assert len(events.apply(fewer, {"op": "add_path", "at": [1]}).layers[1].paths) == 4


@pytest.mark.parametrize("event", [
    {"op": "insert", "type": "Dense", "to": [99]},
    {"op": "remove", "at": [1, 0]},
    {"op": "remove", "at": "1"},
    {"op": "remove", "at": [True]},
    {"op": "explode", "at": [0]},
    {"op": "insert", "type": "NoSuchLayer", "to": [0]},
    {"op": "move", "from": [1], "to": [1, 0, 0]},
])
def test_impossible_events_raise_lab_errors(event):
    with pytest.raises(LabError):
        events.apply(RESNET, event)


def test_blocks_cannot_nest_deeper_than_the_format_allows():
    arch = RESNET
    for _ in range(2):  # a Residual in a Residual is allowed once, not twice
        arch = events.apply(arch, {"op": "insert", "type": "Residual", "to": [1, 0, 0]})
        arch = edits.replace_layer(arch, (1,), arch.layers[1])
    with pytest.raises(LabError):
        events.apply(arch, {"op": "insert", "type": "Residual", "to": [1, 0, 0, 0, 0]})


# ---- canvas view ----------------------------------------------------------------------

def test_cards_carry_shapes_params_and_problems():
    arch = edits.insert(MNIST, (7,), Layer.make("Conv2D", name="<b>x</b>"))
    cards = view.stack(arch, analyse(arch, 10), "en")
    assert [c["type"] for c in cards] == types(arch)
    assert cards[0]["out"] == "26×26×32" and cards[0]["params"] == "320"
    assert cards[0]["keys"].startswith("filters=32 · kernel_size=3×3")
    assert cards[7]["name"] == "<b>x</b>" and cards[7]["out"] == "?"
    assert "image-shaped" in cards[7]["problems"][0]["text"]


def test_block_cards_hold_paths_and_their_parameters():
    report = analyse(RESNET, 10)
    block = view.stack(RESNET, report, "en")[3]["block"]
    assert [c["type"] for c in block["paths"][0]] == ["Conv2D", "Conv2D"]
    inside = sum(r.params for r in report.rows if r.address[:1] == (3,))
    assert view.stack(RESNET, report, "en")[3]["params"] == f"{inside:,}"
    assert block["can_add"] is False and block["can_remove"] is False


def test_residual_cards_show_their_shortcut_beside_the_main_path():
    cards = view.stack(RESNET, analyse(RESNET, 10), "en")
    identity, projected = cards[1], cards[3]
    assert identity["shortcut"].startswith("shortcut: the input as it is, 0 params")
    assert identity["block"]["shortcut"]["keys"] == ""
    assert identity["block"]["labels"] == ["Main path"]
    params = (32 + 1) * 64
    assert projected["shortcut"] == (f"shortcut: 1×1 Conv2D projection, {params:,} params — added "
                                     "because the main path changes 16×16×32 into 16×16×64")
    assert projected["block"]["shortcut"] == {
        "title": "1×1 Conv2D projection", "keys": "filters=64 · kernel_size=1×1 · strides=1×1",
        "out": "16×16×64", "params": f"{params:,}"}
    branch = view.stack(TEMPLATES["inception-small"].architecture, analyse(
        TEMPLATES["inception-small"].architecture, 10), "ko")[1]
    assert branch["block"]["labels"] == ["경로 1", "경로 2", "경로 3", "경로 4"]
    assert "shortcut" not in branch and "shortcut" not in branch["block"]


def test_palette_follows_the_catalogue_groups():
    groups = view.palette("ko")
    assert [g["group"] for g in groups][-1] == "blocks"
    assert {"Residual", "Branch"} <= {c["type"] for c in groups[-1]["cards"]}
    assert groups[0]["title"] == "합성곱"


# ---- links, uploads, user strings -----------------------------------------------------

def test_share_links_round_trip_and_bad_ones_say_why():
    token = share.encode(RESNET)
    assert share.decode(token) == RESNET
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    for bad in ("", "abc", "!!!!", token[:-6], "A" * 20_000):
        with pytest.raises(share.LinkError) as caught:
            share.decode(bad)
        assert caught.value.text("ko").startswith("이 공유 링크를 열 수 없습니다")


def test_uploads_are_checked_before_anything_changes():
    assert read_upload(MNIST.to_json().encode()) == MNIST
    for content, code in ((b"x" * (MAX_BYTES + 1), "too_big"), (b"\xff\xfe", "not_utf8"),
                          (b'{"format": "layerlab.architecture"', "bad_json")):
        with pytest.raises(LabError) as caught:
            read_upload(content)
        assert caught.value.code == code


def test_user_strings_are_escaped_for_markdown_and_file_names():
    name = "<img src=x onerror=alert(1)>"
    assert "<" not in safe.escape(name) and "&lt;img" in safe.escape(name)
    assert file_stem(Architecture((1, 1, 1), name=name)) == "img-src-x-onerror-alert-1"
    assert file_stem(Architecture((1, 1, 1))) == "model"


def test_language_defaults_to_korean_for_ko_locales():
    assert [lang.from_locale(x) for x in ("ko", "ko-KR", "en-US", None, "")] == \
        ["ko", "ko", "en", "en", "en"]


# ---- the page (AppTest) ---------------------------------------------------------------

def build_page(**session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def canvas_data(at: AppTest) -> dict:
    return json.loads(at.get("bidi_component")[0].proto.json)[0]


def test_page_starts_with_the_seed_model_and_sends_it_to_the_canvas():
    at = build_page()
    assert not at.exception
    assert metric(at, "Total params") == "225,034"
    data = canvas_data(at)
    assert [c["type"] for c in data["stack"]] == types(MNIST)
    assert data["palette"][0]["cards"][0]["type"] == "Conv2D"


def test_dataset_template_undo_and_delta():
    at = build_page()
    at.selectbox(key="dataset_choice").select("cifar10").run()
    on_cifar = Architecture((32, 32, 3), MNIST.layers, MNIST.name)
    expected = analyse(on_cifar, 10).total_params
    assert metric(at, "Total params") == f"{expected:,}"
    assert canvas_data(at)["stack"][0]["out"] == "30×30×32"
    at.selectbox(key="template_choice").select("mlp").run()
    mlp = analyse(TEMPLATES["mlp"].architecture, 10).total_params
    total = next(m for m in at.metric if m.label == "Total params")
    assert total.value == f"{mlp:,}" and total.delta == f"{mlp - expected:+,}"
    at.button(key="undo").click().run()
    assert metric(at, "Total params") == f"{expected:,}"
    at.button(key="clear").click().run()
    assert canvas_data(at)["stack"] == [] and metric(at, "Total params") == "0"


def test_parameter_editor_changes_the_model_at_once():
    at = build_page(selected=(5,))
    assert "(1,600 + 1)·128 = 204,928 parameters" in [c.value for c in at.code]
    at.number_input(key=next(k for k in _keys(at) if k.endswith("-units"))).set_value(64).run()
    assert metric(at, "Total params") == f"{analyse(edits.set_params(MNIST, (5,), units=64), 10).total_params:,}"
    assert canvas_data(at)["stack"][5]["keys"] == "units=64 · activation=relu"


@pytest.mark.parametrize("lang, selected, name, value, words", [
    ("en", (0,), "filters", 0, ["Not applied", "filters must be an integer between 1 and 4096, got 0",
                                "keeps 32"]),
    ("ko", (5,), "units", 100_000, ["적용하지 않았습니다", "65536", "100000", "128"]),
])
def test_an_out_of_range_value_is_refused_next_to_the_field_and_in_problems(lang, selected, name,
                                                                            value, words):
    at = build_page(selected=selected, lang=lang)
    key = next(k for k in _keys(at) if k.endswith(f"-{name}"))
    at.number_input(key=key).set_value(value).run()
    refused = [e.value for e in at.error if all(w in e.value for w in words)]
    assert len(refused) == 2, [e.value for e in at.error]  # under the field and in Problems
    assert metric(at, "전체 파라미터" if lang == "ko" else "Total params") == "225,034"
    field = next(w for w in at.number_input if w.key.endswith(f"-{name}"))
    assert field.value == MNIST.layers[selected[0]].params[name]  # the field shows what trains
    at.number_input(key=field.key).set_value(16).run()  # the next change clears the refusal
    assert not [e for e in at.error if words[0] in e.value]


def test_problem_fix_button_repairs_the_model():
    broken = edits.remove(MNIST, (4,))  # no Flatten: Dense sees a feature map
    at = build_page(arch=broken)
    assert any("Dense receives" in w.value for w in at.warning)
    at.button(key=next(k for k in _button_keys(at) if k.startswith("fix-"))).click().run()
    assert metric(at, "Total params") == "225,034"


def test_a_rerun_carrying_an_older_url_of_the_session_keeps_its_model():
    """A click sent before the browser got the last run's URL carries the model before it;
    that token is the session's own, not a link to open (it would undo the last edit)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params[share.ARCH_PARAM] = share.encode(edits.remove(MNIST, (4,)))
    at.session_state[LINK_DONE] = True  # an earlier run of the session wrote the URL
    at.run()
    assert metric(at, "Total params") == "225,034"
    assert not [s.value for s in at.success if "Opened the model from the link" in s.value]


def test_share_link_opens_the_model_and_bad_links_explain():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params[share.ARCH_PARAM] = share.encode(RESNET)
    at.run()
    assert [c["type"] for c in canvas_data(at)["stack"]] == types(RESNET)
    bad = AppTest.from_file(APP, default_timeout=30)
    bad.query_params[share.ARCH_PARAM] = "garbage"
    bad.run()
    assert any("share link cannot be opened" in e.value for e in bad.error)


def test_korean_interface():
    at = build_page(lang="ko")
    assert metric(at, "전체 파라미터") == "225,034"
    assert canvas_data(at)["texts"]["palette"] == "레이어"


def _keys(at: AppTest) -> list[str]:
    return [w.key for w in at.number_input]


def _button_keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def test_a_rerun_analyses_each_model_revision_once(monkeypatch):
    """``analyse`` is memoised on the Architecture value: a rerun with no change computes
    nothing, and an edit computes the new model once, however many panels read it."""
    from builder import analysis
    analysis._analysed.cache_clear()
    computed: list[tuple[Architecture, int | None]] = []
    real = analysis._compute

    def counting(arch, classes, check_fixes):
        if check_fixes:  # the fixes' own trial models are analysed without checking fixes
            computed.append((arch, classes))
        return real(arch, classes, check_fixes)

    monkeypatch.setattr(analysis, "_compute", counting)
    at = build_page()
    assert (MNIST, 10) in computed and len(computed) == len(set(computed))
    computed.clear()
    at.run()
    assert computed == []
    at.selectbox(key="template_choice").select("mlp").run()
    assert computed == [(TEMPLATES["mlp"].architecture, 10)]
