"""The exported script: the tutorial's shape, the settings, one commented block per layer
(tests/test_exports_run.py runs every export for real on tiny data)."""
from __future__ import annotations

import re

import pytest

from builder.analysis import analyse
from builder.architecture import Architecture, Layer
from builder.codegen import export_script
from builder.errors import LabError
from builder.keras_graph import NotBuildable
from builder.settings import TrainSettings
from builder.templates import TEMPLATES

L = Layer.make
STEPS_KO = ["# 1. 라이브러리 임포트", "# 2. 데이터셋 로드 및 전처리", "# 3. 모델 생성", "# 4. 레이어 추가",
            "# 5. 모델 컴파일", "# 6. 모델 훈련", "# 7. 모델 평가"]
# The seed tutorial's first exercise, as printed there.
SEED_MNIST_LINES = [
    "model = Sequential()",
    "model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))",
    "model.add(MaxPooling2D(pool_size=(2, 2)))",
    "model.add(Conv2D(64, (3, 3), activation='relu'))",
    "model.add(MaxPooling2D(pool_size=(2, 2)))",
    "model.add(Flatten())",
    "model.add(Dense(128, activation='relu'))",
    "model.add(Dense(num_classes, activation='softmax'))",
    "y_train = to_categorical(y_train, num_classes)",
    "loss, accuracy = model.evaluate(x_test, y_test)",
]
BLOCKS = Architecture((12, 12, 3), (
    L("Conv2D", filters=8, padding="same"),
    L("Residual", [L("Conv2D", filters=16, strides=2, padding="same"), L("BatchNormalization")]),
    L("Branch", [], [L("Conv2D", filters=4, kernel_size=1)],
      [L("Residual", [L("Conv2D", filters=16, padding="same", activation="linear")],
         activation="linear")], merge="concatenate"),
    L("GlobalMaxPooling2D"), L("Dropout", rate=0.2), L("Dense", units=3, activation="softmax")),
    "blocks")


def lines(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines()]


def code_lines(script: str) -> list[str]:
    return [line for line in lines(script) if line and not line.startswith("#")]


def test_seed_template_exports_the_tutorial_code():
    script = export_script(TEMPLATES["mnist-cnn"].architecture, "mnist")
    found = lines(script)
    for line in SEED_MNIST_LINES:
        assert line in found, line
    assert [line for line in found if re.match(r"# \d\. ", line)] == STEPS_KO
    assert "(x_train, y_train), (x_test, y_test) = mnist.load_data()" in found


def test_comment_language_changes_but_code_does_not():
    arch = TEMPLATES["lenet5"].architecture
    korean, english = export_script(arch, lang="ko"), export_script(arch, lang="en")
    assert "# 1. Import libraries" in english and "# 1. 라이브러리 임포트" in korean
    assert code_lines(korean) == code_lines(english)


def test_settings_reach_compile_and_fit():
    settings = TrainSettings(optimizer="sgd", learning_rate=0.05, batch_size=32, epochs=3,
                             validation_split=0.2, limit=500, seed=7)
    found = lines(export_script(TEMPLATES["mlp"].architecture, "fashion_mnist", settings, "en"))
    assert ("model.compile(optimizer=SGD(learning_rate=0.05, momentum=0.9), "
            "loss='categorical_crossentropy', metrics=['accuracy'])") in found
    assert "history = model.fit(x_train, y_train, epochs=3, batch_size=32, validation_split=0.2)" in found
    assert "x_train, y_train = x_train[:500], y_train[:500]" in found
    assert "set_random_seed(7)" in found and "from keras.datasets import fashion_mnist" in found


def test_blocks_use_the_functional_api():
    found = lines(export_script(BLOCKS, "data.npz", lang="en"))
    assert "inputs = Input(shape=(12, 12, 3))" in found
    projection = found.index("residual_2_projection = Conv2D(16, (1, 1), strides=(2, 2), padding='same')(conv2d_1)")
    shape = "×".join(map(str, analyse(BLOCKS).row((1,)).output_shape))
    assert found[projection - 1] == ("# the main path changes the shape, so the shortcut gets a "
                                     f"1×1 projection to {shape}")
    assert "branch_3_concatenate = Concatenate(axis=-1)([residual_2_activation, conv2d_3_2_1, residual_3_3_1_add])" in found
    assert "# layer 3 › path 3 › layer 1 (Residual)" in found
    assert found[found.index("# 4. Add layers") - 2].startswith("inputs = Input")
    assert "model = Model(inputs, dense_6)" in found
    assert "DATA_FILE = 'data.npz'" in found and "data = np.load(DATA_FILE)" in found


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_template_exports_valid_python(name, lang):
    template = TEMPLATES[name]
    compile(export_script(template.architecture, template.dataset, lang=lang), name, "exec")


def test_digits_uses_the_offline_set():
    arch = Architecture((8, 8, 1), (L("Flatten"), L("Dense", units=10, activation="softmax")))
    found = lines(export_script(arch, "digits"))
    assert "digits = load_digits()" in found and "DATA_FILE = None" in found
    assert "x = digits.images.reshape(-1, 8, 8, 1).astype('float32') / 16.0" in found


def test_refuses_what_cannot_run():
    with pytest.raises(LabError, match="28×28×1.*32×32×3"):
        export_script(TEMPLATES["mnist-cnn"].architecture, "cifar10")
    with pytest.raises(LabError, match="imagenet"):
        export_script(TEMPLATES["mnist-cnn"].architecture, "imagenet")
    with pytest.raises(NotBuildable, match=r"layer 2 \(Conv2D\)"):
        export_script(Architecture((28, 28, 1), (L("Flatten"), L("Conv2D"))))


def test_one_commented_block_per_layer_and_the_summary():
    arch = TEMPLATES["mnist-cnn"].architecture
    report = analyse(arch)
    found = lines(export_script(arch, "mnist", lang="en"))
    headings = [line for line in found if line.startswith("# layer ")]
    assert len(headings) == len(arch.layers)
    assert headings[0] == "# layer 1 (Conv2D): 320 parameters, output 26×26×32"
    after = found[found.index(headings[0]) + 1]
    assert after.startswith("model.add(Conv2D(32")
    assert found[found.index(headings[1]) - 1] == ""  # each block stands apart
    assert found.index("model.summary()") < found.index("# 5. Compile the model")
    assert sum(int(h.split(": ")[1].split(" ")[0].replace(",", "")) for h in headings) \
        == report.total_params


def test_a_block_comment_counts_its_insides():
    found = lines(export_script(BLOCKS, "data.npz", lang="en"))
    residual = next(line for line in found if line.startswith("# layer 2 (Residual)"))
    inside = sum(r.params for r in analyse(BLOCKS).rows if r.address[0] == 1)
    assert residual.startswith(f"# layer 2 (Residual): {inside:,} parameters") and inside > 0
