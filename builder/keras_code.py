"""Keras model code read without running it: ``ast`` and a small evaluator of constants.

What is read: ``Sequential([...])`` or ``Sequential()`` plus ``model.add(...)``; the layer
classes LayerLab knows under ``keras.layers``, ``tf.keras.layers``, ``from keras.layers
import ...`` or a ``layers`` alias; positional and keyword arguments; ``input_shape`` or
``keras.Input``; functional code whose joins LayerLab's blocks express (``Add`` of a path
and its input is a Residual block, ``Add``/``Concatenate`` of parallel paths a Branch; a
hand-written 1×1 projection shortcut is such a path). A Residual followed by an
``Activation`` takes it as the block's activation.
Names bound to constants (``num_classes = 10``) are resolved. Lines that do not touch the
model (data loading, ``model.compile``, ``model.fit``, ``print``) are skipped.

The code is never executed, evaluated or imported. Anything that could run something or
that LayerLab cannot follow (a loop, a function, a lambda, a comprehension, a walrus, a
model or layer made under an ``if``, a dunder name, an import of another library, an unknown layer or argument, a
variable that is not a constant) is reported with its line number; each layer's settings
are then read by :func:`builder.keras_json.read_layer`, as a Keras JSON import reads them.
An argument left out takes Keras's default (``keras_defaults``), not LayerLab's; the
arguments exported code writes positionally (``keras_call``) are required, as in Keras.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from builder.architecture import MAX_BYTES, Architecture, LayerFormatError, read_input_shape
from builder.errors import LabError
from builder.keras_json import document, read_layer
from builder.layers import LAYER_TYPES, layer_type, shape_text, with_role

LAYERS = {kind.name for kind in LAYER_TYPES if not kind.is_block}
MERGES = {"Add": "add", "Concatenate": "concatenate"}  # Keras joins → a Branch's merge
INPUTS = {"Input", "InputLayer"}
HOLDS = {"keras": {"Sequential", "Model", "Input"}, "keras.models": {"Sequential", "Model"},
         "keras.layers": LAYERS | set(MERGES) | INPUTS}  # where each Keras class is found
LIBRARIES = {"keras", "tensorflow", "numpy", "matplotlib", "sklearn"}  # imports that are read past
MODEL_METHODS = {"compile", "fit", "evaluate", "predict", "summary", "save", "save_weights",
                 "load_weights", "count_params", "to_json", "get_config"}  # no effect on layers
FORBIDDEN_NAMES = {"eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals",
                   "locals", "vars", "breakpoint", "input", "help", "memoryview"}
MAX_NODES = 20_000  # syntax-tree nodes in one snippet
MAX_NUMBER = 10 ** 12
MAX_TEXT = 1_000
UNSUPPORTED = {  # statement or expression kinds refused wherever they are, and why
    ast.For: "code_loop", ast.AsyncFor: "code_loop", ast.While: "code_loop",
    ast.ListComp: "code_loop", ast.SetComp: "code_loop", ast.DictComp: "code_loop",
    ast.GeneratorExp: "code_loop", ast.FunctionDef: "code_function",
    ast.AsyncFunctionDef: "code_function", ast.Lambda: "code_function",
    ast.ClassDef: "code_class", ast.NamedExpr: "code_walrus", ast.IfExp: "code_condition", ast.Match: "code_condition", ast.Try: "code_try",
    ast.With: "code_with", ast.AsyncWith: "code_with", ast.Global: "code_global",
    ast.Nonlocal: "code_global", ast.Await: "code_function", ast.Yield: "code_function",
    ast.YieldFrom: "code_function", ast.Delete: "code_delete",
}


class Problem(Exception):
    """One line LayerLab cannot read: its number and why (a LabError)."""

    def __init__(self, line: int, error: LabError) -> None:
        super().__init__(error.code)
        self.line, self.error = line, error


class KerasCodeError(LabError):
    """The snippet could not be read; ``problems`` holds each line's reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("code_problems", lines=self._lines)

    def _lines(self, lang: str) -> str:
        return "; ".join(self.lines(lang))

    def lines(self, lang: str) -> list[str]:
        """One text per problem, e.g. "line 3: LSTM is not a layer LayerLab knows"."""
        from builder.text import t
        return [t("error.code_line", lang, line=p.line, detail=p.error.text(lang))
                for p in self.problems]


def problem(node: ast.AST, key: str, **args: Any) -> Problem:
    """The problem at ``node``'s line; names from the code are cut to 60 characters."""
    shown = {k: v[:57] + "..." if isinstance(v, str) and len(v) > 60 else v
             for k, v in args.items()}
    return Problem(getattr(node, "lineno", 0), LabError(key, **shown))


# ---------------------------------------------------------------- values the evaluator knows

@dataclass(frozen=True)
class Module:
    path: str  # normalised: "keras", "keras.layers", or another library's dotted name


@dataclass(frozen=True)
class KerasClass:
    name: str


@dataclass(frozen=True)
class Unknown:
    """A value LayerLab does not follow (data, a function's result); ``name`` says which."""
    name: str = ""


@dataclass
class Spec:
    """A Keras layer written in the code (not yet read into a LayerLab layer)."""
    class_name: str
    config: dict[str, Any]
    line: int
    input_shape: Any = None
    used: bool = False


@dataclass(frozen=True)
class Tensor:
    node: int  # 0: the model's input; else a position in Reader.nodes (creation order)


@dataclass
class Node:
    spec: Spec
    inputs: tuple[int, ...]


@dataclass
class SequentialModel:
    line: int
    name: str
    layers: list[Spec] = field(default_factory=list)
    input_shape: Any = None


@dataclass
class FunctionalModel:
    line: int
    name: str
    output: int


def normalise(path: str) -> str:
    """``tensorflow.keras.layers`` → ``keras.layers``; ``tensorflow`` stays."""
    for prefix in ("tensorflow.keras", "tensorflow.python.keras"):
        if path == prefix or path.startswith(prefix + "."):
            return "keras" + path[len(prefix):]
    return path


def attribute(value: Any, name: str, node: ast.AST) -> Any:
    """``value.name`` for a module: a submodule, a Keras class, or a problem."""
    if not isinstance(value, Module):
        return Unknown()
    classes = HOLDS.get(value.path, set())
    if name in classes:
        return KerasClass(name)
    if value.path == "keras.layers":
        raise problem(node, "code_unknown_layer", name=name)
    return Module(normalise(f"{value.path}.{name}"))


# ---------------------------------------------------------------- the checks before reading

def check_safe(tree: ast.Module) -> list[Problem]:
    """Everything that could run code or that straight-line reading cannot follow."""
    found: list[Problem] = []
    for node in ast.walk(tree):
        code = UNSUPPORTED.get(type(node))
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            found.append(problem(decorators[0], "code_function"))
        elif code:
            found.append(problem(node, code))
        elif isinstance(node, ast.Name) and (node.id.startswith("__") or node.id in FORBIDDEN_NAMES):
            found.append(problem(node, "code_forbidden", name=node.id))
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            found.append(problem(node, "code_forbidden", name=node.attr))
        elif isinstance(node, ast.Starred):
            found.append(problem(node, "code_starred"))
    return found


def parse(text: str | bytes) -> ast.Module:
    """The syntax tree of ``text`` (size and complexity limited first)."""
    if len(text) > MAX_BYTES:
        raise LabError("too_big", size=len(text), limit=MAX_BYTES)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise LabError("not_utf8") from None
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise KerasCodeError([Problem(exc.lineno or 0, LabError("code_syntax",
                                                                detail=exc.msg or ""))]) from None
    except (RecursionError, MemoryError, ValueError):
        raise LabError("code_too_complex") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise LabError("code_too_complex")
    return tree


# ---------------------------------------------------------------- reading

def from_keras_code(text: str | bytes) -> Architecture:
    """The model that ``text`` builds (raises KerasCodeError listing each line's problem)."""
    tree = parse(text)
    problems = check_safe(tree)
    if problems:
        raise KerasCodeError(problems)
    reader = Reader()
    for statement in tree.body:
        try:
            reader.statement(statement)
        except Problem as found:
            reader.problems.append(found)
        except RecursionError:
            raise LabError("code_too_complex") from None
    if reader.problems:
        raise KerasCodeError(reader.problems)
    try:
        return reader.architecture()
    except Problem as found:
        raise KerasCodeError([found]) from None


class Reader:
    """Walks the statements in order, binding names to the values above."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {}
        self.nodes: list[Node] = [Node(Spec("Input", {}, 0), ())]
        self.models: list[SequentialModel | FunctionalModel] = []
        self.input_shape: Any = None
        self.problems: list[Problem] = []
        self.conditional = 0  # depth of the if statements being read

    # statements

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._import(node, alias.name, alias.asname or alias.name.split(".")[0],
                             whole=alias.asname is None)
        elif isinstance(node, ast.ImportFrom):
            self._import_from(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = self.value(node.value) if node.value is not None else Unknown()
            for target in targets:
                self._bind(target, value)
        elif isinstance(node, ast.AugAssign):
            self._bind(node.target, self.value(ast.BinOp(node.target, node.op, node.value,
                                                         lineno=node.lineno)))
        elif isinstance(node, ast.Expr):
            self.value(node.value)
        elif isinstance(node, ast.If):
            self._condition(node)
        # pass, assert, raise, return: nothing to read

    def _condition(self, node: ast.If) -> None:
        """Both branches are read, but nothing of the model may be made in them (which one
        runs is not known), and every name they assign is unknown afterwards."""
        self.value(node.test)
        self.conditional += 1
        try:
            for statement in [*node.body, *node.orelse]:
                self.statement(statement)
        finally:
            self.conditional -= 1
        for name in ast.walk(node):
            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                self.names[name.id] = Unknown(name.id)

    def _unconditional(self, node: ast.AST) -> None:
        if self.conditional:
            raise problem(node, "code_condition")

    def _import(self, node: ast.AST, dotted: str, bound: str, whole: bool) -> None:
        root = dotted.split(".")[0]
        if root not in LIBRARIES:
            raise problem(node, "code_import", name=dotted)
        self.names[bound] = Module(normalise(root if whole else dotted))

    def _import_from(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            raise problem(node, "code_import", name="." * node.level + (node.module or ""))
        module = Module(normalise(node.module))
        if node.module.split(".")[0] not in LIBRARIES:
            raise problem(node, "code_import", name=node.module)
        for alias in node.names:
            if alias.name == "*":
                raise problem(node, "code_star_import", name=node.module)
            self.names[alias.asname or alias.name] = attribute(module, alias.name, node)

    def _bind(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.names[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (tuple, list)) and len(value) == len(target.elts):
                for item, part in zip(target.elts, value):
                    self._bind(item, part)
                return
            if _holds_model(value):
                raise problem(target, "code_unpack")
            for item in target.elts:
                self._bind(item, Unknown())
        elif self._touches_model(target):
            raise problem(target, "code_model_change")

    def _touches_model(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and isinstance(
            self.names.get(n.id), (SequentialModel, FunctionalModel, Spec, Tensor))
            for n in ast.walk(node))

    # expressions

    def value(self, node: ast.expr) -> Any:
        """What ``node`` stands for; constants are computed, the rest is followed or Unknown."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.names.get(node.id, Unknown(node.id))
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.value(item) for item in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.UnaryOp):
            return _unary(node.op, self.value(node.operand))
        if isinstance(node, ast.BinOp):
            return _binary(node.op, self.value(node.left), self.value(node.right))
        if isinstance(node, ast.Call):
            return self._call(node)
        for child in ast.iter_child_nodes(node):  # subscripts, f-strings, comparisons ...
            if isinstance(child, ast.expr):
                self.value(child)
        return Unknown()

    def _attribute(self, node: ast.Attribute) -> Any:
        owner = self.value(node.value)
        if isinstance(owner, (SequentialModel, FunctionalModel)) and \
                node.attr not in MODEL_METHODS | {"add"}:
            raise problem(node, "code_model_method", name=node.attr)
        if isinstance(owner, (SequentialModel, FunctionalModel, Spec, Tensor)):
            return Unknown()
        return attribute(owner, node.attr, node)

    def _call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Attribute):
            owner = self.value(node.func.value)
            if isinstance(owner, SequentialModel) and node.func.attr == "add":
                return self._add(owner, node)
            if isinstance(owner, (SequentialModel, FunctionalModel)):
                if node.func.attr not in MODEL_METHODS:
                    raise problem(node, "code_model_method", name=node.func.attr)
                return Unknown()
        func = self.value(node.func)
        if isinstance(func, KerasClass):
            return self._construct(func.name, node)
        if isinstance(func, Spec):
            return self._apply(func, node)
        if isinstance(func, (SequentialModel, FunctionalModel, Tensor)):
            raise problem(node, "code_model_call")
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            self.value(argument)  # a model.add(...) inside print(...) still counts
        return Unknown()

    def constant(self, node: ast.expr) -> Any:
        """A layer argument: a number, text, bool, None or a tuple/list of them."""
        value = self.value(node)
        if not _is_constant(value):
            name = value.name if isinstance(value, Unknown) else ""
            if name:
                raise problem(node, "code_unresolved", name=name)
            raise problem(node, "code_not_constant", source=_source(node))
        return value

    def _keywords(self, node: ast.Call) -> dict[str, Any]:
        found = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise problem(node, "code_starred")
            found[keyword.arg] = self.constant(keyword.value)
        return found

    # Keras objects

    def _construct(self, name: str, node: ast.Call) -> Any:
        self._unconditional(node)
        if name == "Sequential":
            return self._sequential(node)
        if name == "Model":
            return self._model(node)
        if name == "Input":
            return self._input(node)
        kwargs = self._keywords(node)
        kind = layer_type(name) if name in LAYERS else None
        positional = kind.positional if kind else ("shape",) if name == "InputLayer" else ()
        if len(node.args) > len(positional):
            raise problem(node, "code_positional", type=name, count=len(positional),
                          names=", ".join(positional) or "-")
        for key, argument in zip(positional, node.args):
            if key in kwargs:
                raise problem(node, "code_twice", name=key)
            kwargs[key] = self.constant(argument)
        shape = kwargs.pop("input_shape", None)
        if kind is not None:
            missing = [key for key in kind.keras_call if key not in kwargs]
            if missing:
                raise problem(node, "code_missing", type=name, name=missing[0])
            kwargs = {**kind.keras_defaults, **kwargs}  # Keras's defaults, not LayerLab's
        if name == "InputLayer":
            shape = kwargs.get("shape", shape)
        elif name in MERGES:
            if kwargs.pop("axis", -1) not in (-1, 3):
                raise problem(node, "code_concat_axis")
            kwargs.pop("name", None)
            if kwargs:
                raise problem(node, "code_merge_argument", type=name, name=sorted(kwargs)[0])
        return Spec(name, _json(kwargs), node.lineno, shape)

    def _input(self, node: ast.Call) -> Tensor:
        kwargs = self._keywords(node)
        if node.args:
            kwargs["shape"] = self.constant(node.args[0])
        if self.input_shape is not None:
            raise problem(node, "code_two_inputs")
        self.input_shape = (node.lineno, kwargs.get("shape"))
        return Tensor(0)

    def _sequential(self, node: ast.Call) -> SequentialModel:
        name = self._name_argument(node)
        model = SequentialModel(node.lineno, name)
        self.models.append(model)
        items = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "layers"), None)
        if items is not None:
            if not isinstance(items, (ast.List, ast.Tuple)):
                raise problem(node, "code_layer_list")
            for item in items.elts:
                self._append(model, item)
        return model

    def _name_argument(self, node: ast.Call) -> str:
        extra = [k.arg for k in node.keywords if k.arg not in ("name", "layers", "inputs",
                                                              "outputs")]
        if extra:
            raise problem(node, "code_model_argument", name=str(extra[0]))
        name = next((self.constant(k.value) for k in node.keywords if k.arg == "name"), "")
        return name if isinstance(name, str) else ""

    def _add(self, model: SequentialModel, node: ast.Call) -> Unknown:
        self._unconditional(node)
        if len(node.args) != 1 or node.keywords:
            raise problem(node, "code_add_one")
        self._append(model, node.args[0])
        return Unknown()

    def _append(self, model: SequentialModel, node: ast.expr) -> None:
        item = self.value(node)
        if isinstance(item, Tensor) and item.node == 0 and not model.layers:
            model.input_shape = self.input_shape[1]
            return
        if not isinstance(item, Spec) or item.class_name in MERGES:
            raise problem(node, "code_not_layer", source=_source(node))
        self._use(item, node)
        if item.class_name == "InputLayer":
            if model.layers or model.input_shape is not None:
                raise problem(node, "code_input_first")
            model.input_shape = item.input_shape
            return
        if item.input_shape is not None:
            if model.layers or model.input_shape is not None:
                raise problem(node, "code_input_first")
            model.input_shape = item.input_shape
        model.layers.append(item)

    def _use(self, spec: Spec, node: ast.AST) -> None:
        if spec.used:
            raise problem(node, "code_shared_layer", type=spec.class_name)
        spec.used = True

    def _apply(self, spec: Spec, node: ast.Call) -> Tensor:
        """``Layer(...)(x)`` or ``Add()([x, y])``: a node of the functional graph."""
        self._unconditional(node)
        if len(node.args) != 1 or node.keywords:
            raise problem(node, "code_apply_one")
        value = self.value(node.args[0])
        sources = value if isinstance(value, (list, tuple)) else [value]
        if not sources or not all(isinstance(s, Tensor) for s in sources):
            raise problem(node, "code_not_tensor", source=_source(node.args[0]))
        if (spec.class_name in MERGES) != isinstance(value, (list, tuple)) or \
                spec.class_name in INPUTS:
            raise problem(node, "code_apply_one")
        if spec.class_name in MERGES and len(sources) < 2:
            raise problem(node, "code_merge_two")
        self._use(spec, node)
        self.nodes.append(Node(spec, tuple(s.node for s in sources)))
        return Tensor(len(self.nodes) - 1)

    def _model(self, node: ast.Call) -> FunctionalModel:
        name = self._name_argument(node)
        given = dict(zip(("inputs", "outputs"), node.args))
        given.update({k.arg: k.value for k in node.keywords if k.arg in ("inputs", "outputs")})
        if set(given) != {"inputs", "outputs"}:
            raise problem(node, "code_model_io")
        inputs, outputs = self.value(given["inputs"]), self.value(given["outputs"])
        inputs = inputs[0] if isinstance(inputs, (list, tuple)) and len(inputs) == 1 else inputs
        outputs = outputs[0] if isinstance(outputs, (list, tuple)) and len(outputs) == 1 else outputs
        if inputs != Tensor(0) or not isinstance(outputs, Tensor) or outputs.node == 0:
            raise problem(node, "code_model_io")
        model = FunctionalModel(node.lineno, name, outputs.node)
        self.models.append(model)
        return model

    # the architecture

    def architecture(self) -> Architecture:
        if len(self.models) != 1:
            line = self.models[1].line if self.models else 1
            raise Problem(line, LabError("code_model_count" if self.models else "code_no_model"))
        model = self.models[0]
        if isinstance(model, SequentialModel):
            if not model.layers:
                raise Problem(model.line, LabError("code_empty"))
            lines = {(i,): spec.line for i, spec in enumerate(model.layers)}
            layers = [layer_dict(spec) for spec in model.layers]
            shape = _shape(model.input_shape, model.layers[0], model.line)
        else:
            layers = Graph(self.nodes).stack(model.output, 0)
            lines = _addresses(layers, ())
            layers = _strip(layers)
            shape = _shape(self.input_shape[1], None, self.input_shape[0])
        try:
            arch = Architecture.from_dict(document(model.name, shape, layers))
        except LayerFormatError as exc:
            line = next((lines[a] for a in _prefixes(exc.address) if a in lines), model.line)
            raise Problem(line, exc.inner) from None
        except LabError as exc:
            raise Problem(model.line, exc) from None
        _check_shortcuts(arch, lines)
        return arch


def layer_dict(spec: Spec) -> dict[str, Any]:
    """A LayerLab layer from a written Keras layer, as the Keras JSON import reads it."""
    try:
        return read_layer({"class_name": spec.class_name, "config": spec.config}, ())
    except LayerFormatError as exc:
        raise Problem(spec.line, LabError("code_layer", type=spec.class_name,
                                          detail=exc.inner)) from None


class Graph:
    """A functional graph read back into stacks and blocks, from the output to the input."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes, self.used = nodes, set()
        self.residual = with_role("residual")[0].name
        self.branch = with_role("branch")[0].name

    def stack(self, end: int, start: int) -> list[dict[str, Any]]:
        """The layers from tensor ``start`` (exclusive) to ``end`` (inclusive), in order."""
        layers: list[dict[str, Any]] = []
        while end != start:
            node = self.nodes[end]
            if end < start or end == 0:
                raise Problem(node.spec.line, LabError("code_graph"))
            if end in self.used:
                raise Problem(node.spec.line, LabError("code_graph"))
            self.used.add(end)
            if node.spec.class_name in MERGES:
                source = self._source(node.inputs)
                layers.append(self._block(node, source))
                end = source
            else:
                layers.append({**layer_dict(node.spec), "line": node.spec.line})
                end = node.inputs[0]
        return _fold_activation(layers[::-1], self.residual)

    def _ancestors(self, node: int) -> set[int]:
        seen, todo = set(), [node]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.nodes[current].inputs)
        return seen

    def _source(self, inputs: tuple[int, ...]) -> int:
        """The latest tensor every input of a join descends from (where the paths split)."""
        common = set.intersection(*(self._ancestors(i) for i in inputs))
        return max(common)

    def _block(self, node: Node, source: int) -> dict[str, Any]:
        merge = MERGES[node.spec.class_name]
        paths = [self.stack(i, source) for i in node.inputs]
        line = node.spec.line
        if merge == "add" and len(paths) == 2 and not all(paths):  # a path plus its input
            main = paths[0] or paths[1]
            return {"type": self.residual, "params": {"activation": "linear"}, "paths": [main],
                    "line": line}
        return {"type": self.branch, "params": {"merge": merge}, "paths": paths, "line": line}


def _check_shortcuts(arch: Architecture, lines: dict[tuple, int]) -> None:
    """Keras adds a path and its input only when their shapes agree; LayerLab's Residual
    would add a projection instead, which the code does not have."""
    from builder.analysis import analyse
    report = analyse(arch)
    for address, layer in arch.walk():
        if layer_type(layer.type).role != "residual":
            continue
        end = report.row((*address, 0, len(layer.paths[0]) - 1))
        shortcut = report.row(address).input_shape
        if end and end.output_shape and shortcut and end.output_shape != shortcut:
            raise Problem(lines.get(address, 0), LabError(
                "code_add_shapes", main=shape_text(end.output_shape), shortcut=shape_text(shortcut)))


def _fold_activation(layers: list[dict[str, Any]], residual: str) -> list[dict[str, Any]]:
    """A Residual block (linear) followed by an Activation layer: the block's activation."""
    folded: list[dict[str, Any]] = []
    for layer in layers:
        previous = folded[-1] if folded else None
        kind = layer_type(layer["type"])
        if previous and previous["type"] == residual and kind.role == "activation" \
                and previous["params"]["activation"] == "linear":
            previous["params"]["activation"] = layer["params"].get("activation", "linear")
            continue
        folded.append(layer)
    return folded


def _addresses(layers: list[dict[str, Any]], prefix: tuple[int, ...]) -> dict[tuple, int]:
    found: dict[tuple, int] = {}
    for i, layer in enumerate(layers):
        found[(*prefix, i)] = layer["line"]
        for k, path in enumerate(layer.get("paths", [])):
            found.update(_addresses(path, (*prefix, i, k)))
    return found


def _strip(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layer documents without the line numbers kept for messages."""
    return [{**{k: v for k, v in layer.items() if k not in ("line", "paths")},
             **({"paths": [_strip(p) for p in layer["paths"]]} if "paths" in layer else {})}
            for layer in layers]


def _prefixes(address: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [address[:n] for n in range(len(address), 0, -1)]


def _shape(value: Any, first: Spec | None, line: int) -> tuple[int, int, int]:
    """The input shape; (H, W) before a first Flatten reads as one grey channel (H, W, 1)."""
    if value is None:
        raise Problem(line, LabError("code_no_input"))
    shape = list(value) if isinstance(value, (list, tuple)) else value
    if isinstance(shape, list) and len(shape) == 2 and first is not None and \
            layer_type(first.class_name).role == "flatten":
        shape = [*shape, 1]
    try:
        return read_input_shape(shape)
    except LabError as exc:
        raise Problem(first.line if first and first.input_shape is not None else line, exc) from None


# ---------------------------------------------------------------- constants

def _holds_model(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_holds_model(v) for v in value)
    return isinstance(value, (SequentialModel, FunctionalModel, Spec, Tensor))


def _is_constant(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_is_constant(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _json(value: Any) -> Any:
    """Tuples as lists, as Keras JSON writes them."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return [_json(v) for v in value] if isinstance(value, (list, tuple)) else value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unary(op: ast.unaryop, value: Any) -> Any:
    if _number(value) and isinstance(op, (ast.USub, ast.UAdd)):
        return -value if isinstance(op, ast.USub) else value
    if isinstance(op, ast.Not) and _is_constant(value):
        return not value
    return Unknown()


OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
             ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
             ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b}


def _binary(op: ast.operator, left: Any, right: Any) -> Any:
    """Arithmetic on numbers (results over 10¹² are not followed); text + text."""
    if isinstance(left, str) and isinstance(right, str) and isinstance(op, ast.Add):
        return left + right if len(left) + len(right) <= MAX_TEXT else Unknown()
    if not (_number(left) and _number(right)) or abs(left) > MAX_NUMBER or abs(right) > MAX_NUMBER:
        return Unknown()
    if isinstance(op, ast.Pow):
        if not (isinstance(right, int) and 0 <= right <= 64 and abs(left) <= 2 ** 16):
            return Unknown()
        result = left ** right
    elif type(op) in OPERATORS:
        try:
            result = OPERATORS[type(op)](left, right)
        except (ZeroDivisionError, OverflowError):
            return Unknown()
    else:
        return Unknown()
    return result if abs(result) <= MAX_NUMBER else Unknown()


def _source(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def looks_like_code(text: str | bytes) -> bool:
    """Python rather than JSON: the text does not start with ``{`` or ``[``."""
    head = text[:1000].lstrip()
    head = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    return not head.startswith(("{", "["))


