"""Request bodies: media type, size limit and JSON parsing, in the order API.md checks them."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import falcon.asgi
import orjson

from library.entrypoints.http.errors import (
    MALFORMED_JSON,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION_ERROR,
    Problem,
)


def is_json_media_type(content_type: str | None) -> bool:
    """Tell whether `content_type` names JSON.

    Accepted: `application/json` with any parameters, `application/*+json`, and no type at all
    (clients of the original service send JSON without one).
    """
    if content_type is None:
        return True
    media_type = content_type.partition(";")[0].strip().lower()
    if not media_type:
        return True
    kind, _, subtype = media_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


class _NotJsonError(ValueError):
    """The stdlib parser accepted something that is not strict JSON."""


def _refuse_constant(name: str) -> NoReturn:
    raise _NotJsonError(f"{name} is not JSON")


def _has_lone_surrogate(value: object) -> bool:
    """Whether any string (or key) in `value` holds an unpaired UTF-16 surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(data: bytes) -> Any:
    """Parse strict JSON.

    orjson first (fast). The standard library gets a second try for what some orjson
    versions refuse although it is JSON (integers beyond 64 bits, which must reach validation
    as a 422, not a 400), held to what orjson allows otherwise: no NaN or Infinity and no
    unpaired surrogates (which no store, nor orjson when answering, could handle).

    Raises:
        ValueError: `data` is not JSON.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, RecursionError) as error:
        raise ValueError(str(error)) from error
    if _has_lone_surrogate(value):
        raise ValueError("strings must not hold unpaired surrogates")
    return value


class JsonBody:
    """Read a request's JSON body within the configured size limit."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes

    async def object(self, req: falcon.asgi.Request) -> dict[str, Any]:
        """Read a body that must be a JSON object.

        Raises:
            Problem: 415 for another media type, 413 over the limit, 400 for bad JSON, 422
                for an empty body or a JSON value that is not an object.
        """
        value = await self._read(req, "a JSON object")
        if not isinstance(value, dict):
            raise Problem(VALIDATION_ERROR, "the request body must be a JSON object")
        return value

    async def array(self, req: falcon.asgi.Request) -> list[Any]:
        """Read a body that must be a JSON array (as `object`, for arrays)."""
        value = await self._read(req, "a JSON array")
        if not isinstance(value, list):
            raise Problem(VALIDATION_ERROR, "the request body must be a JSON array")
        return value

    async def _read(self, req: falcon.asgi.Request, expected: str) -> Any:
        if not is_json_media_type(req.content_type):
            raise Problem(
                UNSUPPORTED_MEDIA_TYPE,
                f"the request body must be JSON (application/json), not {req.content_type}",
            )
        limit = self._max_bytes
        too_large = Problem(PAYLOAD_TOO_LARGE, f"the request body is larger than {limit} bytes")
        if req.content_length is not None and req.content_length > limit:
            raise too_large
        buffered: bytes | None = req.context.get(
            "buffered_body"
        )  # read by the Idempotency-Key check
        data = buffered if buffered is not None else await req.stream.read(limit + 1)
        if len(data) > limit:
            raise too_large
        if not data.strip():
            raise Problem(VALIDATION_ERROR, f"the request body is empty; it must be {expected}")
        try:
            return parse_json(data)
        except ValueError as error:
            raise Problem(MALFORMED_JSON, "the request body is not valid JSON") from error
