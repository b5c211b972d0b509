"""The JSON form of read models: what clients are sent, and what caches keep.

Read models carry the wire names of API.md, so their JSON is theirs to define, once: the HTTP
edge sends it and a cache stores it, and a cached read goes out without being rebuilt.
"""

from __future__ import annotations

from typing import TypeVar

import orjson
from cattrs.preconf.orjson import make_converter

from library.application.read_models import Encoded

M = TypeVar("M")

_converter = make_converter()
# Already encoded: spliced into the document as it is.
_converter.register_unstructure_hook(Encoded, lambda value: orjson.Fragment(value.json))


def to_json(value: object) -> bytes:
    """Encode a read model, a list of them, or a page holding some already encoded."""
    if type(value) is Encoded:
        return value.json
    data: bytes = orjson.dumps(_converter.unstructure(value))
    return data


def decoded(value: M | Encoded[M]) -> M:
    """The read model itself, rebuilt from its wire form when it comes encoded.

    Raises:
        ValueError: the JSON is not the wire form of the model it names.
    """
    if not isinstance(value, Encoded):
        return value
    try:
        model: M = _converter.structure(orjson.loads(value.json), value.kind)
    except Exception as error:  # cattrs raises a variety of exceptions on bad input
        raise ValueError(f"not the JSON of a {value.kind}: {error}") from error
    return model
