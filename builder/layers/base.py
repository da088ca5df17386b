"""What a layer type is: :class:`Param` (one parameter with its bounds) and :class:`LayerType`
(everything LayerLab knows about one Keras layer type), plus the small helpers the family
modules use to declare their types.

Parameter names are Keras constructor argument names, so the Keras mapping of a layer
is its parameters, with sizes written as tuples. ``keras_fixed`` lists the other Keras
settings LayerLab reads only at these values (Keras JSON import); ``keras_call`` and
``keras_defaults`` make exported code read like hand-written Keras. ``worked`` fills the
general formula in with one layer's real numbers (see :mod:`builder.arithmetic`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from builder.errors import LabError
from builder.rules import Shape
from builder.text import t

ACTIVATIONS = ("relu", "linear", "sigmoid", "tanh", "softmax", "elu", "selu", "gelu",
               "swish", "softplus", "leaky_relu")
Lines = list[str]
# What a layer type is for, declared so that no code guesses it from a group or a parameter:
ROLES = ("convolution",     # a convolution with filters of its own (Conv2D and its kin)
         "depthwise",       # a convolution per channel (no filters of its own)
         "pooling",         # a sliding window that shrinks the map
         "global_pooling",  # a whole channel to one number
         "flatten", "dense", "activation", "rescaling",
         "dropout",         # switches values off while training; passes test images through
         "normalization",   # batch statistics
         "augmentation",    # random changes of training images; passes test images through
         "residual", "branch")  # blocks
# How a run's default name counts a role ("2×Conv · 1×Dense · 44.6k"); roles not here
# (pooling, flatten, activation …) shape a model less and stay out of the signature.
ROLE_SHORT = {"convolution": "Conv", "depthwise": "DWConv", "dense": "Dense",
              "dropout": "Drop", "normalization": "BN", "residual": "Res", "branch": "Branch"}


class ParamError(LabError):
    """A parameter value is outside what the layer type allows; the message says why."""


@dataclass(frozen=True)
class Param:
    """One layer parameter. ``kind`` is int, float, choice, bool or size (an (h, w) pair)."""

    name: str
    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    optional: bool = False  # None allowed, meaning "Keras's default rule" (see help)
    help: Mapping[str, str] = field(default_factory=dict)

    def normalize(self, value: Any) -> Any:
        """Return the stored form of ``value`` or raise :class:`ParamError` saying why."""
        if value is None and self.optional:
            return None
        if self.kind == "size":
            return self._size(value)
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise ParamError("param_bool", name=self.name, got=_show(value))
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise ParamError("param_choice", name=self.name, got=_show(value),
                             choices=", ".join(map(str, self.choices)))
        if self.kind == "int":
            return self._number(value, int)
        return float(self._number(value, float))

    def _number(self, value: Any, kind: type) -> int | float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not ok or (kind is int and not isinstance(value, int)) or value != value \
                or not self.low <= value <= self.high:
            code = "param_int" if kind is int else "param_float"
            raise ParamError(code, name=self.name, low=_num(self.low), high=_num(self.high),
                             got=_show(value))
        return value

    def _size(self, value: Any) -> list[int]:
        pair = [value, value] if not isinstance(value, (list, tuple)) else list(value)
        if len(pair) != 2:
            raise ParamError("param_size", name=self.name, got=_show(value))
        return [self._number(v, int) for v in pair]


def _num(x: float | None) -> str:
    return f"{x:g}" if x is not None else "?"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class LayerType:
    """Everything LayerLab knows about one Keras layer type (blocks: :class:`BlockType`)."""

    name: str
    group: str
    params: tuple[Param, ...]
    shape: Callable[[Shape, dict], Shape]
    explain: Mapping[str, str]
    formula: Mapping[str, str]
    weights: Callable[[Shape, dict], tuple[int, int]] = lambda shape, p: (0, 0)
    flops: Callable[[Shape, Shape, dict], int] = lambda inp, out, p: 0
    key_params: tuple[str, ...] = ()
    keras_fixed: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    keras_call: tuple[str, ...] = ()  # parameters exported code writes positionally
    keras_positional: tuple[str, ...] = ()  # Keras's leading constructor arguments, in order
    keras_defaults: Mapping[str, Any] = field(default_factory=dict)  # Keras's own; code omits them
    keras_read: Callable[[dict], dict] = lambda params: params  # undo Keras's rewrites on import
    worked: Callable[[dict, Any, str], Lines] = lambda p, row, lang: []  # row: analysis.Row
    per_position: bool = False  # on a feature map it acts on each position separately (a warning)
    paths: tuple[int, int] = (0, 0)  # (min, max) parallel paths; (0, 0) for plain layers
    role: str = ""  # one of ROLES

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.name}: role {self.role!r} is not one of {ROLES}")

    @property
    def is_block(self) -> bool:
        return self.paths != (0, 0)

    @property
    def pads(self) -> bool:
        """A sliding window whose padding can be 'same' (the fix for a window too big)."""
        return any(p.name == "padding" for p in self.params)

    @property
    def positional(self) -> tuple[str, ...]:
        """The parameters pasted code may give positionally (Keras's order)."""
        return self.keras_positional or self.keras_call

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.normalize(p.default) for p in self.params}

    def normalize(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Fill defaults, check every value, reject unknown names (raises ParamError)."""
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            raise ParamError("param_unknown", name=_show(sorted(map(str, unknown))[0]),
                             layer=self.name)
        return {p.name: p.normalize(params.get(p.name, p.default)) for p in self.params}

    def keras_kwargs(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Keras constructor arguments: the parameters, with sizes as tuples."""
        return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


# ---------------------------------------------------------------- declaring types

def text(en: str, ko: str) -> dict[str, str]:
    return {"en": en, "ko": ko}


def int_param(name: str, default: int, low: int, high: int, **kw: Any) -> Param:
    return Param(name, "int", default, low, high, **kw)


def size_param(name: str, default: int | None, high: int, **kw: Any) -> Param:
    return Param(name, "size", default, 1, high, **kw)


def choice_param(name: str, default: str, choices: tuple[str, ...]) -> Param:
    return Param(name, "choice", default, choices=choices)


def float_param(name: str, default: float, low: float, high: float, **kw: Any) -> Param:
    return Param(name, "float", default, low, high, **kw)


ACTIVATION = choice_param("activation", "relu", ACTIVATIONS)
PADDING = choice_param("padding", "valid", ("valid", "same"))
USE_BIAS = Param("use_bias", "bool", True)
IMAGE_ONLY = {"data_format": (None, "channels_last")}
KERAS_LINEAR = {"activation": "linear", "use_bias": True}  # Keras default of Dense and Conv2D
UNCHANGED = text("shape unchanged; 0 params", "형태 그대로; 파라미터 0개")


# ---------------------------------------------------------------- worked formulas

def shape_text(shape: Shape | None) -> str:
    """``(28, 28, 32)`` → ``28×28×32``; the one shape formatter (``?`` when unknown)."""
    return "×".join(map(str, shape)) if shape else "?"


def params_text(n: int, lang: str) -> str:
    return t("arith.params", lang, n=f"{n:,}")


def window_line(n: int, k: int, s: int, padding: str) -> str:
    """One axis of a sliding window: valid ``⌊(n − k + 2·0) / s⌋ + 1``, same ``⌈n / s⌉``."""
    if padding == "same":
        return f"⌈{n} / {s}⌉ = {-(-n // s)}"
    return f"⌊({n} − {k} + 2·0) / {s}⌋ + 1 = {(n - k) // s + 1}"


def window_lines(row: Any, kernel: list[int], strides: list[int], padding: str) -> Lines:
    """Height and width lines of a window (one line when both axes read the same)."""
    h, w, _ = row.input_shape
    height = window_line(h, kernel[0], strides[0], padding)
    width = window_line(w, kernel[1], strides[1], padding)
    return [height] if height == width else [f"H: {height}", f"W: {width}"]


def bias_text(params: dict) -> str:
    return " + 1" if params["use_bias"] else ""
