"""Opaque keyset cursors, bound to the filters and sort they were issued for.

A cursor is base64url(JSON [fingerprint, sort values..., book id]). The fingerprint is a
digest of the normalised filter, so a cursor replayed with other filters or another sort is
refused instead of silently walking a different list. Cursors are not signed: forging one
can only move a client within the list it is allowed to read anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math

from library.application.errors import InvalidQuery
from library.application.ports import BookFilter, BookPosition, SortOrder
from library.application.read_models import BookHit
from library.domain.ids import is_valid_id


def fingerprint(query: BookFilter) -> str:
    described: list[object] = [
        query.q,
        None if query.title is None else query.title.lower(),
        query.isbn,
        query.author_id,
        query.before,
        query.after,
        [[order.field, order.descending] for order in query.sort],
    ]
    # Filters added later join only when given, so that cursors issued before stay valid.
    if query.language is not None:
        described.append({"language": query.language})
    canonical = json.dumps(
        described,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def position_of(hit: BookHit[object], sort: tuple[SortOrder, ...]) -> BookPosition:
    """The keyset position just after `hit`."""
    values: list[str | int | float | None] = []
    for order in sort:
        if order.field == "title":
            values.append(hit.title)
        elif order.field == "year":
            values.append(hit.year)
        else:
            values.append(hit.relevance)
    return BookPosition(tuple(values), hit.id)


def encode_cursor(query: BookFilter, position: BookPosition) -> str:
    payload = [fingerprint(query), *position.values, position.book_id]
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


_BAD = "cursor is malformed"


def decode_cursor(cursor: str, query: BookFilter) -> BookPosition:
    """Read a cursor issued for `query`.

    Raises:
        InvalidQuery: the cursor cannot be decoded or was issued for another query.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidQuery(_BAD, "cursor") from error
    if not isinstance(payload, list) or len(payload) != len(query.sort) + 2:
        raise InvalidQuery(_BAD, "cursor")
    if payload[0] != fingerprint(query):
        raise InvalidQuery("cursor was issued for other filters or another sort", "cursor")
    values: list[str | int | float | None] = []
    for order, value in zip(query.sort, payload[1:-1], strict=True):
        values.append(_checked(order, value))
    book_id = payload[-1]
    if not is_valid_id(book_id):
        raise InvalidQuery(_BAD, "cursor")
    return BookPosition(tuple(values), book_id)


def _storable(text: str) -> bool:
    """Whether a store can compare against `text` (no NUL, no lone surrogate)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _checked(order: SortOrder, value: object) -> str | int | float | None:
    if order.field == "title" and isinstance(value, str) and _storable(value):
        return value
    if order.field == "year" and (value is None or (type(value) is int and 1 <= value <= 9999)):
        return value
    if order.field == "similarity" and type(value) in (int, float):
        try:
            number = float(value)  # type: ignore[arg-type]  # int or float, checked above
        except OverflowError:
            raise InvalidQuery(_BAD, "cursor") from None
        if math.isfinite(number):
            return number
    raise InvalidQuery(_BAD, "cursor")
