"""Read models to cached bytes and back, without rebuilding them on a hit.

A model (or a list of them) is kept in its wire form (`wire.to_json`) behind a CRC-32 of it; a
hit hands that JSON out as `Encoded`, checked but not parsed, so it goes to the client as it
is. The hits of a book list keep, besides each book's JSON, what a cursor is made of (id,
title, year, relevance), in a small JSON header before the books.

Anything that is not what `encode` wrote (Redis returned garbage, or another version's
entry) fails the checksum or the header and is refused with ValueError: a miss, never a
different page.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import orjson

from library.application.read_models import BookHit, BookView, Encoded
from library.application.wire import to_json

_CHECKSUM = 8  # hex digits of a CRC-32
_HEADER_END = b"\n"  # orjson escapes newlines inside strings, so the header has none


def _sealed(json: bytes) -> bytes:
    return b"%08x" % zlib.crc32(json) + json


def _unsealed(data: bytes) -> bytes:
    json = data[_CHECKSUM:]
    if data[:_CHECKSUM] != b"%08x" % zlib.crc32(json):
        raise ValueError("cached value fails its checksum")
    return json


def encode(value: object) -> bytes:
    """A read model, or a list of them, as kept in the cache."""
    return _sealed(to_json(value))


def decode(data: bytes, kind: Any) -> Encoded[Any]:
    """What `encode` kept, in wire form, named as `kind`.

    Raises:
        ValueError: `data` is not what `encode` wrote.
    """
    return Encoded(_unsealed(data), kind)


def encode_hits(hits: Sequence[BookHit]) -> bytes:
    """The hits of a book list: a header of cursor values and lengths, then the books."""
    books = [to_json(hit.book) for hit in hits]
    header = orjson.dumps(
        [
            [hit.id, hit.title, hit.year, hit.relevance, len(book)]
            for hit, book in zip(hits, books, strict=True)
        ]
    )
    return _sealed(header + _HEADER_END + b"".join(books))


def decode_hits(data: bytes) -> list[BookHit]:
    """The hits `encode_hits` kept, each book in wire form.

    Raises:
        ValueError: `data` is not what `encode_hits` wrote.
    """
    header, found, books = _unsealed(data).partition(_HEADER_END)
    if not found:
        raise ValueError("cached hits have no header")
    try:
        rows = orjson.loads(header)
        if type(rows) is not list:
            raise TypeError(f"the header is a {type(rows).__name__}")
        hits: list[BookHit] = []
        start = 0
        for book_id, title, year, relevance, length in rows:
            end = start + length
            hits.append(
                BookHit(book_id, title, year, relevance, Encoded(books[start:end], BookView))
            )
            start = end
    except (TypeError, ValueError) as error:  # not a list of 5-item rows with a length
        raise ValueError(f"cached hits are malformed: {error}") from error
    if start != len(books):
        raise ValueError("cached hits do not add up to their books")
    return hits
