"""Export an architecture as runnable Keras code in the seed tutorial's style.

:func:`program` writes the code once, as named steps (imports, data, create, layers,
compile, train, evaluate); :func:`export_script` renders them as one script with the
tutorial's seven numbered comments and :mod:`builder.notebook` as a notebook's cells. A
straight stack is written as ``model.add(Conv2D(32, (3, 3), activation='relu',
input_shape=(28, 28, 1)))`` lines; a stack with blocks uses the Functional API, one variable
per Keras node of :mod:`builder.keras_graph`. Layer arguments come from the layer type's
Keras mapping: ``keras_call`` parameters are written positionally and Keras defaults are
left out. Comments follow ``lang``; the code does not depend on it.

User text (model and layer names, file paths) reaches the code only as a ``repr`` literal
or inside a comment with every control character and line separator removed
(:func:`comment_safe`), so no name can add a statement. The data step has one documented
switch, ``DATA_FILE``: a local ``.npz`` in Keras layout used instead of the download.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from builder import edits
from builder.analysis import Report, analyse
from builder.architecture import NAME_FORBIDDEN, Address, Architecture, position
from builder.layers import CLASSIFIER, layer_type, shape_text
from builder.datasets import DATASETS
from builder.errors import LabError
from builder.keras_graph import INPUT, Graph, Node, plan
from builder.settings import TrainSettings
from builder.text import t

OPTIMIZERS = {"adam": ("Adam", ""), "sgd": ("SGD", ", momentum=0.9"), "rmsprop": ("RMSprop", "")}
STEPS = ("imports", "data", "create", "layers", "compile", "train", "evaluate")
SWITCH = "DATA_FILE"  # the data step's one switch: a local .npz path, or None to download
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")
UNSAFE = NAME_FORBIDDEN | {"Cs", "Co", "Cn"}  # never in a comment: controls, separators, unassigned


@dataclass(frozen=True)
class Program:
    """The code of an export, step by step (``code[step]`` for each of :data:`STEPS`)."""

    header: str                      # one line, already comment-safe
    code: dict[str, list[str]]
    sequential: bool
    report: Report


def program(arch: Architecture, dataset: str = "mnist",
            settings: TrainSettings = TrainSettings(), lang: str = "ko") -> Program:
    """The steps' code for ``arch`` on ``dataset`` with ``settings``.

    ``dataset`` is a registered name or a ``.npz`` path (Keras layout: x_train, y_train,
    x_test, y_test). Raises LabError when the model has an error or does not fit the data.
    """
    report = analyse(arch)
    graph = plan(arch, report)
    _check_dataset(dataset, arch.input_shape)
    classes = DATASETS[dataset].classes if dataset in DATASETS else None
    used = list(dict.fromkeys(n.class_name for n in graph.nodes))
    header = comment_safe(t("code.header", lang, name=arch.name or "model", dataset=dataset,
                            params=report.total_params))
    create, layers = (_sequential(arch, report, graph, classes, lang) if graph.sequential
                      else _functional(arch, report, graph, classes, lang))
    code = {
        "imports": _imports(dataset, used, graph.sequential, settings, lang),
        "data": _data(dataset, arch.input_shape, classes, settings, lang),
        "create": create,
        "layers": [*layers, "", "model.summary()"],
        "compile": [f"model.compile(optimizer={optimizer(settings)}, "
                    "loss='categorical_crossentropy', metrics=['accuracy'])"],
        "train": [f"history = {fit_call('model', settings)}"],
        "evaluate": ["loss, accuracy = model.evaluate(x_test, y_test)",
                     'print(f"Test loss: {loss}")',
                     'print(f"Test accuracy: {accuracy}")'],
    }
    return Program(header, code, graph.sequential, report)


def export_script(arch: Architecture, dataset: str = "mnist",
                  settings: TrainSettings = TrainSettings(), lang: str = "ko") -> str:
    """Python source that loads ``dataset``, builds, trains and evaluates ``arch``, under
    the tutorial's seven numbered comments (raises LabError as :func:`program`)."""
    made = program(arch, dataset, settings, lang)
    create = "code.step3" if made.sequential else "code.step3_functional"
    keys = dict(zip(STEPS, ("code.step1", "code.step2", create, "code.step4", "code.step5",
                            "code.step6", "code.step7")))
    parts = [[f"# {made.header}"],
             *([f"# {t(keys[step], lang)}", *made.code[step]] for step in STEPS)]
    return "\n\n".join("\n".join(lines) for lines in parts) + "\n"


def comment_safe(text: str) -> str:
    """``text`` on one line, safe inside a ``#`` comment (nothing after it can become a
    statement): line breaks and other spacing controls become spaces, every other control
    or format character and line or paragraph separator is removed."""
    return "".join(" " if ch.isspace() else ch for ch in text
                   if unicodedata.category(ch) not in UNSAFE or ch.isspace())


def fit_call(model: str, settings: TrainSettings) -> str:
    """``model.fit(...)`` with the run's epochs, batch size and validation split."""
    return (f"{model}.fit(x_train, y_train, epochs={settings.epochs}, "
            f"batch_size={settings.batch_size}, validation_split={settings.validation_split})")


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
    lines = []
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
    lines = _load(dataset, shape, settings, lang)
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
    """Images as float32 (N, H, W, C) in 0–1 and integer labels, train and test; from the
    download, or from the ``.npz`` that :data:`SWITCH` names."""
    dims = ", ".join(map(str, shape))
    local = dataset not in DATASETS
    switch = [f"# {t('code.switch', lang)}",
              f"{SWITCH} = {dataset!r}" if local else f"{SWITCH} = None"]
    from_file = [f"data = np.load({SWITCH})",
                 f"x_train, y_train = data['{NPZ_KEYS[0]}'], data['{NPZ_KEYS[1]}']",
                 f"x_test, y_test = data['{NPZ_KEYS[2]}'], data['{NPZ_KEYS[3]}']"]
    scale = [f"# {t('code.reshape', lang, shape=f'({dims})')}",
             f"x_train = x_train.reshape(-1, {dims}).astype('float32') / 255.0",
             f"x_test = x_test.reshape(-1, {dims}).astype('float32') / 255.0"]
    if local:
        return [*switch, *from_file, *scale]
    if dataset == "digits":
        return [*switch, f"if {SWITCH}:", *_indent(from_file + scale), "else:",
                f"    # {t('code.digits', lang)}",
                "    digits = load_digits()",
                f"    x = digits.images.reshape(-1, {dims}).astype('float32') / 16.0",
                "    x_train, x_test, y_train, y_test = train_test_split(",
                f"        x, digits.target, test_size=0.2, random_state={settings.seed}, "
                "stratify=digits.target)"]
    return [*switch, f"if {SWITCH}:", *_indent(from_file), "else:",
            f"    (x_train, y_train), (x_test, y_test) = {dataset}.load_data()", *scale]


def _indent(lines: list[str]) -> list[str]:
    return [f"    {line}" if line else line for line in lines]


def _sequential(arch: Architecture, report: Report, graph: Graph, classes: int | None,
                lang: str) -> tuple[list[str], list[str]]:
    """The create step (``model = Sequential()``) and one commented block per layer."""
    lines: list[str] = []
    announced: set[Address] = set()
    for i, node in enumerate(graph.nodes):
        lines += _headings(arch, report, node.owner, announced, lang)
        first = {"input_shape": graph.input_shape} if i == 0 else {}
        lines.append(f"model.add({_call(node, classes, first)})")
    return ["model = Sequential()"], lines


def _functional(arch: Architecture, report: Report, graph: Graph, classes: int | None,
                lang: str) -> tuple[list[str], list[str]]:
    """The create step (the input) and the layers, one variable per Keras node."""
    lines: list[str] = []
    announced: set[Address] = set()
    for node in graph.nodes:
        lines += _headings(arch, report, node.owner, announced, lang)
        if node.name.endswith("_projection"):
            lines.append(f"# {t('code.projection', lang, out=shape_text(node.shape))}")
        sources = ", ".join("inputs" if name == INPUT else name for name in node.inputs)
        lines.append(f"{node.name} = {_call(node, classes)}"
                     f"({f'[{sources}]' if len(node.inputs) > 1 else sources})")
    return ([f"inputs = Input(shape={_literal(graph.input_shape)})"],
            [*lines, f"model = Model(inputs, {graph.output})"])


def _headings(arch: Architecture, report: Report, owner: Address, announced: set[Address],
              lang: str) -> list[str]:
    """Comments before the first node of each layer: each top-level layer gets its position,
    name, parameters and output shape (after a blank line), each inner block its position."""
    lines = []
    for end in range(1, len(owner) + 1, 2):
        address = owner[:end]
        layer = edits.get(arch, address)
        if address in announced or (end > 1 and not layer_type(layer.type).is_block):
            continue
        announced.add(address)
        where = position(address, layer.type, lang)
        if end > 1:
            lines.append(f"# {where}")
            continue
        row = report.row(address)
        named = f" {layer.name!r}" if layer.name else ""
        inside = sum(r.params for r in report.rows if r.address[:1] == address)
        text = t("code.layer", lang, where=where, name=named, params=inside,
                 shape=shape_text(row.output_shape) if row.output_shape else "?")
        lines += [*([""] if address != (0,) else []), f"# {comment_safe(text)}"]
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


def optimizer(settings: TrainSettings, rate: str | None = None) -> str:
    """``Adam(learning_rate=0.001)``: the optimizer call of ``settings`` (``rate``, when
    given, is the code written for the learning rate, e.g. a variable's name)."""
    name, extra = OPTIMIZERS[settings.optimizer]
    return f"{name}(learning_rate={rate or settings.learning_rate}{extra})"


def _literal(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(map(_literal, value)) + ")"
    return repr(value)

