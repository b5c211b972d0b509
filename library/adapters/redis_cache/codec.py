"""Read models to bytes and back: orjson over cattrs' unstructured form.

Decoding is strict about JSON types: cattrs on its own would read `{}` as an empty list or
`"5"` as 5, and a garbled entry must be refused (a miss), never served as a different page.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import orjson
from cattrs import Converter
from cattrs.preconf.orjson import OrjsonConverter, make_converter


class WrongTypeError(TypeError):
    """A cached JSON value of another type than the read model's field."""


def _strict(kind: type, *accepted: type) -> Callable[[object, Any], Any]:
    def structure(value: object, _: Any) -> Any:
        if type(value) not in accepted:
            raise WrongTypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


def _is_sequence(cls: Any) -> bool:
    origin = typing.get_origin(cls)
    return origin is list or (origin is tuple and typing.get_args(cls)[1:] == (...,))


def _strict_sequence(cls: Any, converter: Converter) -> Callable[[object, Any], Any]:
    origin = typing.get_origin(cls)
    item_type = typing.get_args(cls)[0]
    structure_item = converter.get_structure_hook(item_type)

    def structure(value: object, _: Any) -> Any:
        if type(value) is not list:
            raise WrongTypeError(f"expected an array, got {type(value).__name__}")
        return origin(structure_item(item, item_type) for item in value)

    return structure


def _make_converter() -> OrjsonConverter:
    converter = make_converter(detailed_validation=False)
    converter.register_structure_hook(int, _strict(int, int))
    converter.register_structure_hook(str, _strict(str, str))
    converter.register_structure_hook(float, _strict(float, float, int))
    converter.register_structure_hook_factory(_is_sequence, _strict_sequence)
    return converter


_converter = _make_converter()


def encode(value: object) -> bytes:
    data: bytes = _converter.dumps(value)
    return data


def decode(data: bytes, kind: Any) -> Any:
    """Rebuild a read model.

    Raises:
        ValueError: `data` is not what `encode` wrote for `kind` (Redis returned garbage).
    """
    try:
        raw = orjson.loads(data)
        if type(raw) is not (list if _is_sequence(kind) else dict):
            raise WrongTypeError(f"expected {kind}, got {type(raw).__name__}")
        return _converter.structure(raw, kind)
    except Exception as error:  # cattrs raises a variety of exceptions on bad input
        raise ValueError(f"cached value is not a {kind}: {error}") from error
