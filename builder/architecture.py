"""The architecture format: dataclasses and their versioned JSON.

An :class:`Architecture` is an input shape ``(H, W, C)`` and an ordered stack of
:class:`Layer` entries. A block (Residual, Branch) is a layer whose ``paths`` hold small
stacks of their own. Every page, the CLI, the Keras builder, the code export and the run
store pass this one format around.

JSON (``"format": "layerlab.architecture"``)::

    {"format": "layerlab.architecture", "version": 2, "name": "...",
     "input_shape": [28, 28, 1],
     "layers": [{"type": "Conv2D", "params": {"filters": 32, ...}},
                {"type": "Residual", "params": {...}, "paths": [[{...}, ...]]}]}

Version 1 is the straight stack (no ``paths``); version 2 adds blocks. Both are read;
version 2 is written.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Mapping

from builder.errors import LabError
from builder.layers import layer_type

FORMAT = "layerlab.architecture"
VERSION = 2
MAX_BYTES = 1_000_000
MAX_LAYERS = 400
MAX_DEPTH = 2  # blocks inside blocks, at most this deep
MAX_NAME = 80
NAME_FORBIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})  # control, format, line/paragraph separators
MAX_SIDE = 1024
MAX_CHANNELS = 64

Address = tuple[int, ...]  # (i,) top level; (i, path, j) inside a block; 0-based


class Params(Mapping[str, Any]):
    """A layer's parameters: read-only and hashable, so a whole :class:`Architecture` is a
    value (equal models are equal and hash alike; analyses are memoised on them). Sizes are
    kept as tuples and read as fresh lists (``[3, 3]``), so no caller can change them."""

    __slots__ = ("_values", "_hash")

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values = {k: tuple(v) if isinstance(v, list) else v for k, v in (values or {}).items()}
        self._hash = hash(frozenset(self._values.items()))

    def __getitem__(self, name: str) -> Any:
        value = self._values[name]
        return list(value) if isinstance(value, tuple) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Params({dict(self)!r})"


@dataclass(frozen=True)
class Layer:
    """One entry of a stack: a layer type, its full parameters, and paths for blocks.
    Parameters are normalised once, when the layer is made (defaults filled in, every value
    checked by its layer type: a bad value raises LabError, so no Layer holds one); the
    stored :class:`Params` cannot change afterwards. A type LayerLab does not know keeps its
    parameters as given, for the analysis to report."""

    type: str
    params: Params = field(default_factory=Params)
    paths: tuple[tuple["Layer", ...], ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        kind = layer_type(self.type) if isinstance(self.type, str) else None
        params = self.params if kind is None else kind.normalize(self.params)
        object.__setattr__(self, "params", params if isinstance(params, Params) else Params(params))
        if not (isinstance(self.paths, tuple) and all(isinstance(p, tuple) for p in self.paths)):
            object.__setattr__(self, "paths", tuple(tuple(p) for p in self.paths))

    @classmethod
    def make(cls, type_name: str, *paths: list["Layer"], name: str = "", **params: Any) -> "Layer":
        """A layer with defaults filled in and values checked (raises LabError)."""
        if layer_type(type_name) is None:
            raise LabError("unknown_type", type=type_name)
        return cls(type_name, params, tuple(tuple(p) for p in paths), name)

    def with_params(self, **changes: Any) -> "Layer":
        """This layer with some parameters changed (checked; raises LabError)."""
        return replace(self, params={**self.params, **changes})


@dataclass(frozen=True)
class Architecture:
    """An image classifier: input shape plus a stack of layers. A value: immutable and
    hashable, compared by content."""

    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_shape", tuple(self.input_shape))
        object.__setattr__(self, "layers", tuple(self.layers))

    @property
    def has_blocks(self) -> bool:
        return any(layer.paths for layer in self.layers)

    def walk(self) -> Iterator[tuple[Address, Layer]]:
        """Every layer, blocks before their insides, with its address."""
        yield from _walk(self.layers, ())

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "name": self.name,
                "input_shape": list(self.input_shape),
                "layers": [_layer_to_dict(layer) for layer in self.layers]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, doc: Any) -> "Architecture":
        """Validate and read a LayerLab document (raises LabError naming the field)."""
        if not isinstance(doc, dict):
            raise LabError("not_object", what="architecture")
        if doc.get("format") != FORMAT:
            raise LabError("wrong_format", expected=FORMAT, got=_short(doc.get("format")))
        version = doc.get("version")
        if version not in (1, 2) or isinstance(version, bool):
            raise LabError("wrong_version", got=_short(version), supported="1, 2")
        unknown = set(doc) - {"format", "version", "name", "input_shape", "layers"}
        if unknown:
            raise LabError("unknown_field", field=_short(sorted(map(str, unknown))[0]))
        layers = doc.get("layers")
        if not isinstance(layers, list):
            raise LabError("field_type", field="layers", expected="a list")
        return cls(read_input_shape(doc.get("input_shape")),
                   _read_stack(layers, (), allow_blocks=version >= 2),
                   read_name(doc.get("name", ""), "name"))

    @classmethod
    def from_json(cls, text: str | bytes) -> "Architecture":
        return cls.from_dict(parse_json(text))


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` with a size limit and a clear message instead of a traceback."""
    if len(text) > MAX_BYTES:
        raise LabError("too_big", size=len(text), limit=MAX_BYTES)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", "?")
        raise LabError("bad_json", line=line, detail=_short(str(exc).split(":")[0])) from None


def read_input_shape(value: Any) -> tuple[int, int, int]:
    if not (isinstance(value, list) and len(value) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 1 <= value[0] <= MAX_SIDE and 1 <= value[1] <= MAX_SIDE
            and 1 <= value[2] <= MAX_CHANNELS):
        raise LabError("bad_input_shape", got=_short(value), side=MAX_SIDE, channels=MAX_CHANNELS)
    return value[0], value[1], value[2]


def read_name(value: Any, field_name: str) -> str:
    """A model or layer name: text of at most MAX_NAME characters with no control character
    and no line or paragraph separator (Unicode categories Cc, Cf, Zl, Zp), so that a name
    can never start a new line of an exported script. Every way a name comes in (files,
    links, Keras JSON, the CLI, the canvas's rename) goes through here."""
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise LabError("bad_name", field=field_name, limit=MAX_NAME)
    bad = next((ch for ch in value if unicodedata.category(ch) in NAME_FORBIDDEN), None)
    if bad is not None:
        raise LabError("name_control", field=field_name, char=f"U+{ord(bad):04X}")
    return value


def position(address: Address, layer_type_name: str = "", lang: str = "en") -> str:
    """Plain label for an address: "layer 4 › path 1 › layer 2 (Conv2D)", 1-based."""
    from builder.text import t
    parts = [t("pos.layer", lang, n=address[0] + 1)]
    for i in range(1, len(address), 2):
        parts += [t("pos.path", lang, n=address[i] + 1), t("pos.layer", lang, n=address[i + 1] + 1)]
    label = " › ".join(parts)
    return f"{label} ({layer_type_name})" if layer_type_name else label


class LayerFormatError(LabError):
    """A layer entry is malformed; the message names its position and type."""

    def __init__(self, address: Address, type_name: str, inner: LabError) -> None:
        super().__init__("at_layer", where=lambda lang: position(address, type_name, lang),
                         detail=inner)
        self.address, self.type_name, self.inner = address, type_name, inner


def check_limits(arch: Architecture) -> Architecture:
    """``arch`` when it keeps the format's limits (layers per stack, nesting depth), which a
    file must keep too; raises the errors :meth:`Architecture.from_dict` would, without a
    JSON round trip (the layers' parameters are checked when they are made)."""
    _check_stack(arch.layers, ())
    return arch


def _check_stack(layers: tuple[Layer, ...], prefix: Address) -> None:
    _check_count(len(layers))
    for i, layer in enumerate(layers):
        address = (*prefix, i)
        try:
            _check_depth(address, len(layer.paths))
            for k, path in enumerate(layer.paths):
                _check_stack(path, (*address, k))
        except LayerFormatError:
            raise
        except LabError as exc:
            raise LayerFormatError(address, layer.type, exc) from None


def _check_count(count: int) -> None:
    if count > MAX_LAYERS:
        raise LabError("too_many_layers", count=count, limit=MAX_LAYERS)


def _check_depth(address: Address, paths: int) -> None:
    if paths and len(address) // 2 >= MAX_DEPTH:
        raise LabError("too_deep", limit=MAX_DEPTH)


def _read_stack(items: list[Any], prefix: Address, allow_blocks: bool) -> tuple[Layer, ...]:
    _check_count(len(items))
    return tuple(_read_layer(item, (*prefix, i), allow_blocks) for i, item in enumerate(items))


def _read_layer(item: Any, address: Address, allow_blocks: bool) -> Layer:
    type_name = item.get("type") if isinstance(item, dict) else None
    shown = type_name if isinstance(type_name, str) else ""
    try:
        return _layer_from_dict(item, address, allow_blocks)
    except LayerFormatError:
        raise
    except LabError as exc:
        raise LayerFormatError(address, _short(shown, 30), exc) from None


def _layer_from_dict(item: Any, address: Address, allow_blocks: bool) -> Layer:
    if not isinstance(item, dict):
        raise LabError("not_object", what="layer")
    unknown = set(item) - {"type", "params", "paths", "name"}
    if unknown:
        raise LabError("unknown_field", field=_short(sorted(map(str, unknown))[0]))
    kind = layer_type(item.get("type")) if isinstance(item.get("type"), str) else None
    if kind is None:
        raise LabError("unknown_type", type=_short(item.get("type"), 30))
    params = item.get("params", {})
    if not isinstance(params, dict):
        raise LabError("field_type", field="params", expected="an object")
    paths = item.get("paths", [])
    low, high = kind.paths
    if not isinstance(paths, list) or not all(isinstance(p, list) for p in paths):
        raise LabError("field_type", field="paths", expected="a list of lists")
    if kind.is_block and not allow_blocks:
        raise LabError("blocks_need_v2", type=kind.name)
    if not low <= len(paths) <= high:
        raise LabError("path_count", type=kind.name, low=low, high=high, got=len(paths))
    _check_depth(address, len(paths))
    read = tuple(_read_stack(p, (*address, k), allow_blocks) for k, p in enumerate(paths))
    return Layer(kind.name, params, read, read_name(item.get("name", ""), "name"))


def _layer_to_dict(layer: Layer) -> dict[str, Any]:
    doc: dict[str, Any] = {"type": layer.type, "params": dict(layer.params)}
    if layer.name:
        doc["name"] = layer.name
    if layer.paths:
        doc["paths"] = [[_layer_to_dict(x) for x in path] for path in layer.paths]
    return doc


def _walk(layers: tuple[Layer, ...], prefix: Address) -> Iterator[tuple[Address, Layer]]:
    for i, layer in enumerate(layers):
        yield (*prefix, i), layer
        for k, path in enumerate(layer.paths):
            yield from _walk(path, (*prefix, i, k))


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
