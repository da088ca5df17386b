"""Keras code read without running it (builder.keras_code): the tutorial's own code, the
accepted forms, each refusal with its line number, and hostile code that must run nothing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from builder import cli, templates
from builder.analysis import analyse
from builder.errors import LabError
from builder.keras_code import KerasCodeError, from_keras_code
from builder.sources import load_architecture, read_architecture

FIXTURES = Path(__file__).parent / "fixtures" / "keras_code"
HEAD = "import keras\nfrom keras import layers\n"


def problems(code: str) -> list[tuple[int, str]]:
    """(line, error code) of each problem the reader reports."""
    with pytest.raises(KerasCodeError) as caught:
        from_keras_code(code)
    return [(p.line, p.error.code) for p in caught.value.problems]


@pytest.mark.parametrize("fixture, template, total", [("tutorial_mnist", "mnist-cnn", 225_034),
                                                      ("tutorial_cifar10", "cifar10-cnn", None)])
def test_the_tutorials_code_reads_as_its_template(fixture, template, total):
    arch = from_keras_code((FIXTURES / f"{fixture}.py").read_text())
    expected = templates.get(template).architecture
    assert (arch.input_shape, arch.layers) == (expected.input_shape, expected.layers)
    assert analyse(arch).total_params == (total or analyse(expected).total_params)


def test_the_fixtures_are_the_seeds_code_blocks_with_their_line_breaks():
    seed = Path("/work/shared/seed/model-architecture-tutorial-ko.txt")
    if not seed.exists():
        pytest.skip("the seed text is not on this machine")
    flat = {" ".join(line.split()) for line in seed.read_text().splitlines()}
    for fixture in FIXTURES.glob("tutorial_*.py"):
        assert " ".join(fixture.read_text().split()) in flat, fixture.name


def test_cli_summary_of_a_python_file(capsys):
    assert cli.main(["summary", str(FIXTURES / "tutorial_mnist.py"), "--lang", "en"]) == 0
    assert "225,034" in capsys.readouterr().out


def test_cli_summary_names_the_line_of_each_problem(capsys, tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(HEAD + "import os\nmodel = keras.Sequential([layers.LSTM(8)])\n")
    assert cli.main(["summary", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "line 3: import of os" in err and "line 4: LSTM" in err


@pytest.mark.parametrize("code", [
    HEAD + "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3),\n"
           "    layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, 'softmax')])",
    "import tensorflow as tf\nmodel = tf.keras.Sequential()\n"
    "model.add(tf.keras.layers.Conv2D(8, (3, 3), input_shape=(28, 28, 1)))\n"
    "model.add(tf.keras.layers.MaxPooling2D(pool_size=2))\nmodel.add(tf.keras.layers.Flatten())\n"
    "model.add(tf.keras.layers.Dense(units=10, activation='softmax'))",
    "from tensorflow.keras import layers, models\nk = 3\nmodel = models.Sequential([\n"
    "    layers.InputLayer(input_shape=(28, 28, 1)), layers.Conv2D(4 * 2, k),\n"
    "    layers.MaxPooling2D((2, 2)), layers.Flatten(), layers.Dense(5 + 5, activation='softmax')])",
])
def test_every_accepted_form_gives_the_same_model(code):
    arch = from_keras_code(code)
    assert [layer.type for layer in arch.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    conv = arch.layers[0].params
    assert (conv["filters"], conv["kernel_size"], conv["activation"]) == (8, [3, 3], "linear")
    assert arch.layers[-1].params["units"] == 10 and arch.input_shape == (28, 28, 1)


def test_left_out_arguments_take_keras_defaults_and_required_ones_are_asked_for():
    arch = from_keras_code(HEAD + "m = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1))])")
    assert arch.layers[0].params["activation"] == "linear"  # Keras's default, not LayerLab's
    assert problems(HEAD + "m = keras.Sequential([layers.Dense(input_shape=(2, 2, 1))])") == \
        [(3, "code_missing")]


def test_a_dense_only_model_on_28x28_reads_as_one_grey_channel():
    arch = from_keras_code(HEAD + "m = keras.Sequential([layers.Flatten(input_shape=(28, 28)),\n"
                                  "    layers.Dense(10, activation='softmax')])")
    assert arch.input_shape == (28, 28, 1) and analyse(arch).total_params == 7850


def test_functional_code_reads_into_residual_and_branch_blocks():
    arch = from_keras_code(HEAD + """
inputs = keras.Input(shape=(16, 16, 3))
x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
y = layers.Conv2D(8, 3, padding="same", activation="relu")(x)
y = layers.Conv2D(8, 3, padding="same")(y)
x = layers.Add()([y, x])
x = layers.Activation("relu")(x)
a = layers.Conv2D(4, 1)(x)
b = layers.Conv2D(4, 3, padding="same")(layers.Conv2D(4, 1)(x))
x = layers.Concatenate()([a, b])
outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs=inputs, outputs=outputs)
""")
    roles = [layer.type for layer in arch.layers]
    assert roles == ["Conv2D", "Residual", "Branch", "GlobalAveragePooling2D", "Dense"]
    residual, branch = arch.layers[1], arch.layers[2]
    assert residual.params["activation"] == "relu" and len(residual.paths[0]) == 2
    assert branch.params["merge"] == "concatenate" and [len(p) for p in branch.paths] == [1, 2]


@pytest.mark.parametrize("body, expected", [
    ("m = keras.Sequential([layers.LSTM(8)])", [(3, "code_unknown_layer")]),
    ("m = keras.Sequential([\n  layers.Dense(4, input_shape=(2, 2, 1)),\n  layers.Dense(4, foo=1)])",
     [(5, "code_layer")]),
    ("m = keras.Sequential()\nfor i in range(3):\n    m.add(layers.Dense(4))", [(4, "code_loop")]),
    ("m = keras.Sequential([layers.Dense(units, input_shape=(2, 2, 1))])", [(3, "code_unresolved")]),
    ("import os\nimport pickle", [(3, "code_import"), (4, "code_import")]),
    ("m = keras.Sequential([layers.Dense(4)])", [(3, "code_no_input")]),
    ("a = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1))])\n"
     "b = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1))])", [(4, "code_model_count")]),
    ("m = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1))])\nm.pop()",
     [(4, "code_model_method")]),
    ("d = layers.Dense(4)\ni = keras.Input((4, 4, 1))\nx = d(layers.Flatten()(i))\nx = d(x)\n"
     "m = keras.Model(i, x)", [(6, "code_shared_layer")]),
    ("i = keras.Input((8, 8, 1))\nx = layers.Conv2D(4, 3)(i)\nx = layers.Add()([x, i])\n"
     "m = keras.Model(i, x)", [(5, "code_add_shapes")]),
    ("m = keras.Sequential([layers.Conv2D(4, 3, 1, 'same', 'channels_last', input_shape=(8, 8, 1))])",
     [(3, "code_positional")]),
    ("m = keras.Sequential([layers.Dense(4, activation=keras.activations.relu,\n"
     "                                   input_shape=(2, 2, 1))])", [(3, "code_not_constant")]),
    ("m = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1)), keras.Input((3, 3, 1))])",
     [(3, "code_not_layer")]),
    ("i = keras.Input((4, 4, 1))\nm = keras.Model(i, layers.Dense(2)(np.zeros(3)))",
     [(4, "code_not_tensor")]),
    ("m = keras.Sequential([layers.Add()])", [(3, "code_not_layer")]),
    ("if True:\n    m = keras.Sequential([layers.Dense(4, input_shape=(2, 2, 1))])",
     [(4, "code_condition")]),
    ("m = keras.Sequential()\nif big:\n    pass\nelse:\n    m.add(layers.Dense(4))",
     [(7, "code_condition")]),
    ("n = 4\nif big:\n    n = 8\nm = keras.Sequential([layers.Dense(n, input_shape=(2, 2, 1))])",
     [(6, "code_unresolved")]),
    ("m = keras.Sequential([layers.Dense(4, 'relu' if big else 'tanh', input_shape=(2, 2, 1))])",
     [(3, "code_condition")]),
])
def test_what_cannot_be_read_is_reported_with_its_line(body, expected):
    assert problems(HEAD + body) == expected
    with pytest.raises(KerasCodeError) as caught:
        from_keras_code(HEAD + body)
    for lang in ("en", "ko"):
        assert all(line.startswith(("line ", f"{n}번째")) for line, n in
                   zip(caught.value.lines(lang), [p for p, _ in expected]))


def marker_code(marker: Path) -> list[str]:
    """Hostile snippets; any one of them, if run, would create ``marker``."""
    touch = f"__import__('os').system('touch {marker}')"
    return [
        HEAD + f"model = keras.Sequential([layers.Dense({touch}, input_shape=(2, 2, 1))])",
        HEAD + f"model = keras.Sequential([layers.Dense(4, name={touch})])",
        f"@{touch}\ndef f():\n    pass",
        f"import keras\n@keras.saving.register_keras_serializable()\nclass L(keras.layers.Layer):\n"
        f"    x = open('{marker}', 'w')",
        HEAD + f"model = keras.Sequential([layers.Dense((n := open('{marker}', 'w')))])",
        f"import subprocess\nsubprocess.run(['touch', '{marker}'])",
        f"from os import system\nsystem('touch {marker}')",
        f"().__class__.__bases__[0].__subclasses__()\nopen('{marker}', 'w')",
        f"exec(\"open('{marker}', 'w')\")",
        f"eval(\"open('{marker}', 'w')\")",
        f"getattr(__builtins__, 'open')('{marker}', 'w')",
        HEAD + f"model = keras.Sequential([layers.Lambda(lambda x: open('{marker}', 'w'))])",
        HEAD + f"model = keras.Sequential([layers.Dense(f, input_shape=(2, 2, 1)) "
               f"for f in [open('{marker}', 'w')]])",
    ]


def test_hostile_code_is_refused_and_runs_nothing(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("os.system was called"))
    for code in marker_code(marker):
        with pytest.raises(KerasCodeError) as caught:
            from_keras_code(code)
        assert caught.value.problems and all(p.line >= 1 for p in caught.value.problems), code
        assert not marker.exists(), code


@pytest.mark.parametrize("code", ["1 + " * 50_000 + "1", "x = 10 ** 10 ** 10 ** 10\n" * 3,
                                  "x = 'a' * 10 ** 12", "(" * 500 + ")" * 500, "\x00", b"\xff\xfe"])
def test_huge_or_broken_code_fails_fast_with_a_message(code):
    with pytest.raises(LabError) as caught:
        from_keras_code(code)
    assert caught.value.text("ko") and caught.value.text("en")


def test_data_lines_under_a_condition_are_skipped_like_other_data_lines():
    arch = from_keras_code(HEAD + """import numpy as np
DATA_FILE = None
if DATA_FILE:
    data = np.load(DATA_FILE)
    x_train = data['x_train']
else:
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([layers.Flatten(input_shape=(28, 28, 1)), layers.Dense(10)])
if DATA_FILE:
    model.summary()
""")
    assert analyse(arch).total_params == 7850


def test_sources_tell_code_from_json_by_content(tmp_path):
    path = tmp_path / "model.txt"
    path.write_text((FIXTURES / "tutorial_mnist.py").read_text())
    assert analyse(load_architecture(str(path))).total_params == 225_034
    layerlab = templates.get("mnist-cnn").architecture.to_json()
    assert read_architecture(layerlab) == templates.get("mnist-cnn").architecture


FRAGMENTS = [
    "import keras", "from keras import layers", "import tensorflow as tf", "import os",
    "from tensorflow.keras.layers import Conv2D, Dense, Flatten, Add", "n = 4", "n = n * 2",
    "inputs = keras.Input(shape=(8, 8, 1))", "x = layers.Conv2D(n, 3, padding='same')(inputs)",
    "y = layers.Conv2D(4, 1)(x)", "x = layers.Add()([x, y])", "x = Add()([x, inputs])",
    "x = layers.Flatten()(x)", "x = Dense(3)(x)", "model = keras.Model(inputs, x)",
    "model = keras.Sequential()", "model.add(Conv2D(n, 3, input_shape=(8, 8, 1)))",
    "model.add(Flatten())", "model.add(layers.Dense(n, 'relu'))", "model.add(x)",
    "model = keras.Sequential([Flatten(input_shape=(8, 8)), Dense(2)])", "model.summary()",
    "(a, b), c = model", "model.layers[0] = 3", "x = model(x)", "d = layers.Dense(2)",
    "model.add(d)", "x = d(x)", "z = tf.keras.layers.MaxPooling2D(2, 2, 'valid')(x)",
    "n = 'same'", "n = None", "n = -1", "n = 10 ** 100", "print(f'{n}')", "x[0] = 1",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12), st.text(max_size=30))
def test_any_mix_of_lines_loads_or_fails_with_a_lab_error(lines, noise):
    for code in ("\n".join(lines), "\n".join([*lines, noise])):
        try:
            arch = from_keras_code(code)
        except LabError as exc:
            assert exc.text("en") and exc.text("ko")
        else:
            assert analyse(arch).rows is not None


@pytest.mark.parametrize("name", sorted(templates.TEMPLATES))
def test_every_exported_script_pastes_back_as_its_model(name):
    from builder.codegen import export_script
    template = templates.TEMPLATES[name]
    read = from_keras_code(export_script(template.architecture, template.dataset))
    assert read.input_shape == template.architecture.input_shape
    assert analyse(read).total_params == analyse(template.architecture).total_params
    assert analyse(read).output_shape == analyse(template.architecture).output_shape
