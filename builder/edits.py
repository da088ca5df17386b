"""Pure edits of an architecture, addressed by position.

An address is ``(i,)`` for the i-th layer of the stack and ``(i, k, j)`` for the j-th
layer of path k of the block at i (0-based). Every edit returns a new Architecture;
the canvas, the one-click fixes and the tests all go through these functions.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from builder.architecture import Address, Architecture, Layer, read_name
from builder.layers import layer_type


def new_layer(type_name: str, **params: Any) -> Layer:
    """A fresh layer as the palette makes it; blocks come with their type's default paths."""
    kind = layer_type(type_name)
    if kind is None or not kind.is_block:
        return Layer.make(type_name, **params)
    paths = [[Layer.make(name, **values) for name, values in path] for path in kind.default_paths]
    return Layer.make(type_name, *paths, **params)


def get(arch: Architecture, address: Address) -> Layer:
    """The layer at ``address`` (IndexError when there is none)."""
    stack, index = _stack(arch.layers, address)
    return stack[index]


def stack_of(arch: Architecture, address: Address) -> tuple[Layer, ...]:
    """The stack (top level or a block's path) that holds ``address``."""
    return _stack(arch.layers, address)[0]


def insert(arch: Architecture, address: Address, layer: Layer) -> Architecture:
    """Insert ``layer`` so that it ends up at ``address`` (index == len appends)."""
    return _edit(arch, address, lambda stack, i: (*stack[:i], layer, *stack[i:]), allow_end=True)


def remove(arch: Architecture, address: Address) -> Architecture:
    return _edit(arch, address, lambda stack, i: (*stack[:i], *stack[i + 1:]))


def replace_layer(arch: Architecture, address: Address, layer: Layer) -> Architecture:
    return _edit(arch, address, lambda stack, i: (*stack[:i], layer, *stack[i + 1:]))


def set_params(arch: Architecture, address: Address, **params: Any) -> Architecture:
    """Change parameters of one layer; values are checked by its layer type."""
    return replace_layer(arch, address, get(arch, address).with_params(**params))


def rename(arch: Architecture, address: Address, name: str) -> Architecture:
    """Give the layer at ``address`` a name, checked like a file's (raises LabError)."""
    return replace_layer(arch, address, replace(get(arch, address), name=read_name(name, "name")))


def duplicate(arch: Architecture, address: Address) -> Architecture:
    return insert(arch, (*address[:-1], address[-1] + 1), get(arch, address))


def move(arch: Architecture, source: Address, target: Address) -> Architecture:
    """Move a layer to ``target`` (an address in the stack *after* removing the source)."""
    layer = get(arch, source)
    return insert(remove(arch, source), target, layer)


def add_path(arch: Architecture, address: Address) -> Architecture:
    """Give a Branch block one more (empty) path, up to its type's maximum."""
    block = get(arch, address)
    if len(block.paths) >= layer_type(block.type).paths[1]:
        return arch
    return replace_layer(arch, address, replace(block, paths=(*block.paths, ())))


def remove_path(arch: Architecture, address: Address, path: int) -> Architecture:
    block = get(arch, address)
    if len(block.paths) <= layer_type(block.type).paths[0]:
        return arch
    paths = block.paths[:path] + block.paths[path + 1:]
    return replace_layer(arch, address, replace(block, paths=paths))


def _stack(layers: tuple[Layer, ...], address: Address) -> tuple[tuple[Layer, ...], int]:
    for k in range(0, len(address) - 1, 2):
        layers = layers[address[k]].paths[address[k + 1]]
    return layers, address[-1]


def _edit(arch: Architecture, address: Address, change, allow_end: bool = False) -> Architecture:
    """Apply ``change(stack, index)`` to the stack holding ``address``."""
    return replace(arch, layers=_edit_stack(arch.layers, address, change, allow_end))


def _edit_stack(stack: tuple[Layer, ...], address: Address, change, allow_end: bool):
    head = address[0]
    limit = len(stack) + (1 if allow_end and len(address) == 1 else 0)
    if not 0 <= head < limit:
        raise IndexError(f"no layer at position {head + 1}")
    if len(address) == 1:
        return tuple(change(stack, head))
    block, path = stack[head], address[1]
    if not 0 <= path < len(block.paths):
        raise IndexError(f"no path {path + 1} in layer {head + 1}")
    paths = list(block.paths)
    paths[path] = _edit_stack(block.paths[path], address[2:], change, allow_end)
    return (*stack[:head], replace(block, paths=tuple(paths)), *stack[head + 1:])
