"""Read models to bytes and back: orjson over cattrs' unstructured form."""

from __future__ import annotations

from typing import Any

from cattrs.preconf.orjson import make_converter

_converter = make_converter()


def encode(value: object) -> bytes:
    data: bytes = _converter.dumps(value)
    return data


def decode(data: bytes, kind: Any) -> Any:
    """Rebuild a read model.

    Raises:
        ValueError: `data` is not what `encode` wrote for `kind` (Redis returned garbage).
    """
    try:
        return _converter.loads(data, kind)
    except Exception as error:  # cattrs raises a variety of exceptions on bad input
        raise ValueError(f"cached value is not a {kind}: {error}") from error
