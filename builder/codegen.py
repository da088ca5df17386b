"""Export an architecture as a runnable Keras script in the seed tutorial's style.

The script keeps the tutorial's seven numbered steps (import, load and preprocess, create
the model, add layers, compile, train, evaluate). A straight stack is written as
``model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))`` lines; a
stack with blocks uses the Functional API, one variable per Keras node of
:mod:`builder.keras_graph`. Layer arguments come from the layer type's Keras mapping:
``keras_call`` parameters are written positionally and Keras defaults are left out.
Comments follow ``lang``; the code does not depend on it.
"""
from __future__ import annotations

from typing import Any

from builder import edits
from builder.analysis import analyse
from builder.architecture import Address, Architecture, position
from builder.layers import CLASSIFIER, layer_type, shape_text
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.keras_graph import INPUT, Graph, Node, plan
from builder.settings import TrainSettings
from builder.text import t

OPTIMIZERS = {"adam": ("Adam", ""), "sgd": ("SGD", ", momentum=0.9"), "rmsprop": ("RMSprop", "")}


def export_script(arch: Architecture, dataset: str = "mnist",
                  settings: TrainSettings = TrainSettings(), lang: str = "ko") -> str:
    """Python source that loads ``dataset``, builds, trains and evaluates ``arch``.

    ``dataset`` is a registered name or a ``.npz`` path (Keras layout: x_train, y_train,
    x_test, y_test). Raises LabError when the model has an error or does not fit the data.
    """
    report = analyse(arch)
    graph = plan(arch, report)
    _check_dataset(dataset, arch.input_shape)
    classes = DATASETS[dataset].classes if dataset in DATASETS else None
    used = list(dict.fromkeys(n.class_name for n in graph.nodes))
    header = t("code.header", lang, name=arch.name or "model", dataset=dataset,
               params=report.total_params)
    parts = [
        [f"# {header}"],
        _imports(dataset, used, graph.sequential, settings, lang),
        _data(dataset, arch.input_shape, classes, settings, lang),
        (_sequential(graph, classes, lang) if graph.sequential
         else _functional(arch, graph, classes, lang)),
        [f"# {t('code.step5', lang)}",
         f"model.compile(optimizer={_optimizer(settings)}, loss='categorical_crossentropy', "
         "metrics=['accuracy'])"],
        [f"# {t('code.step6', lang)}",
         f"model.fit(x_train, y_train, epochs={settings.epochs}, batch_size={settings.batch_size}, "
         f"validation_split={settings.validation_split})"],
        [f"# {t('code.step7', lang)}",
         "loss, accuracy = model.evaluate(x_test, y_test)",
         'print(f"Test loss: {loss}")',
         'print(f"Test accuracy: {accuracy}")'],
    ]
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"


def _check_dataset(dataset: str, input_shape: tuple[int, int, int]) -> None:
    if dataset.endswith(".npz"):
        return
    info = DATASETS.get(dataset)
    if info is None:
        raise LabError("export_dataset", name=dataset, names=", ".join(DATASETS))
    if info.input_shape != tuple(input_shape):
        raise LabError("export_shape", arch=shape_text(input_shape), dataset=dataset,
                       data=shape_text(info.input_shape))


def _imports(dataset: str, used: list[str], sequential: bool, settings: TrainSettings,
             lang: str) -> list[str]:
    lines = [f"# {t('code.step1', lang)}"]
    if dataset == "digits":
        lines += ["from sklearn.datasets import load_digits",
                  "from sklearn.model_selection import train_test_split"]
    elif dataset in DATASETS:
        lines.append(f"from keras.datasets import {dataset}")
    layers = used if sequential else ["Input", *used]
    lines += [f"from keras.models import {'Sequential' if sequential else 'Model'}",
              f"from keras.layers import {', '.join(layers)}",
              f"from keras.optimizers import {OPTIMIZERS[settings.optimizer][0]}",
              "from keras.utils import set_random_seed, to_categorical",
              "import numpy as np",
              "",
              f"# {t('code.seed', lang)}",
              f"set_random_seed({settings.seed})"]
    return lines


def _data(dataset: str, shape: tuple[int, int, int], classes: int | None,
          settings: TrainSettings, lang: str) -> list[str]:
    lines = [f"# {t('code.step2', lang)}", *_load(dataset, shape, settings, lang)]
    if settings.limit:
        lines += [f"# {t('code.limit', lang, limit=settings.limit)}",
                  f"x_train, y_train = x_train[:{settings.limit}], y_train[:{settings.limit}]"]
    count = classes or "int(max(y_train.max(), y_test.max())) + 1"
    return lines + [f"# {t('code.one_hot', lang)}",
                    f"num_classes = {count}",
                    "y_train = to_categorical(y_train, num_classes)",
                    "y_test = to_categorical(y_test, num_classes)"]


def _load(dataset: str, shape: tuple[int, int, int], settings: TrainSettings,
          lang: str) -> list[str]:
    """Images as float32 (N, H, W, C) in 0–1 and integer labels, train and test."""
    dims = ", ".join(map(str, shape))
    if dataset == "digits":
        return [f"# {t('code.digits', lang)}",
                "digits = load_digits()",
                f"x = digits.images.reshape(-1, {dims}).astype('float32') / 16.0",
                "x_train, x_test, y_train, y_test = train_test_split(",
                f"    x, digits.target, test_size=0.2, random_state={settings.seed}, "
                "stratify=digits.target)"]
    if dataset in DATASETS:
        lines = [f"(x_train, y_train), (x_test, y_test) = {dataset}.load_data()"]
    else:
        lines = [f"data = np.load({dataset!r})",
                 "x_train, y_train = data['x_train'], data['y_train']",
                 "x_test, y_test = data['x_test'], data['y_test']"]
    return lines + [f"# {t('code.reshape', lang, shape=f'({dims})')}",
                    f"x_train = x_train.reshape(-1, {dims}).astype('float32') / 255.0",
                    f"x_test = x_test.reshape(-1, {dims}).astype('float32') / 255.0"]


def _sequential(graph: Graph, classes: int | None, lang: str) -> list[str]:
    lines = [f"# {t('code.step3', lang)}", "model = Sequential()", "", f"# {t('code.step4', lang)}"]
    for i, node in enumerate(graph.nodes):
        first = {"input_shape": graph.input_shape} if i == 0 else {}
        lines.append(f"model.add({_call(node, classes, first)})")
    return lines


def _functional(arch: Architecture, graph: Graph, classes: int | None, lang: str) -> list[str]:
    lines = [f"# {t('code.step3_functional', lang)}",
             f"inputs = Input(shape={_literal(graph.input_shape)})", "",
             f"# {t('code.step4', lang)}"]
    announced: set[Address] = set()
    for node in graph.nodes:
        lines += _block_headings(arch, node.owner, announced, lang)
        if node.name.endswith("_projection"):
            lines.append(f"# {t('code.projection', lang, out=shape_text(node.shape))}")
        sources = ", ".join("inputs" if name == INPUT else name for name in node.inputs)
        lines.append(f"{node.name} = {_call(node, classes)}"
                     f"({f'[{sources}]' if len(node.inputs) > 1 else sources})")
    return lines + [f"model = Model(inputs, {graph.output})"]


def _block_headings(arch: Architecture, owner: Address, announced: set[Address],
                    lang: str) -> list[str]:
    """A comment such as ``# layer 3 (Residual)`` before the first node of each block."""
    lines = []
    for end in range(1, len(owner) + 1, 2):
        layer = edits.get(arch, owner[:end])
        if layer_type(layer.type).is_block and owner[:end] not in announced:
            announced.add(owner[:end])
            lines.append(f"# {position(owner[:end], layer.type, lang)}")
    return lines


def _call(node: Node, classes: int | None, extra: dict[str, Any] | None = None) -> str:
    """``Conv2D(32, (3, 3), activation='relu')``: positional, then non-default keywords."""
    kind = layer_type(node.class_name)
    positional = kind.keras_call if kind else ()
    defaults = kind.keras_defaults if kind else {}
    args = [_literal(node.kwargs[name]) for name in positional]
    if kind is CLASSIFIER and node.kwargs["units"] == classes and len(node.owner) == 1:
        args[0] = "num_classes"
    args += [f"{key}={_literal(value)}" for key, value in {**node.kwargs, **(extra or {})}.items()
             if key not in positional and not (key in defaults and _plain(value) == defaults[key])]
    return f"{node.class_name}({', '.join(args)})"


def _plain(value: Any) -> Any:
    """Sizes as layer types store them (lists), to compare with Keras defaults."""
    return list(value) if isinstance(value, tuple) else value


def _optimizer(settings: TrainSettings) -> str:
    name, extra = OPTIMIZERS[settings.optimizer]
    return f"{name}(learning_rate={settings.learning_rate}{extra})"


def _literal(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(map(_literal, value)) + ")"
    return repr(value)

