"""Rendered reads to cached bytes and back, without parsing them on a hit.

An entry is the JSON clients are sent (`Rendered`) behind a CRC-32 of it; a hit hands that
JSON out as it is, checked but not parsed. The hits of a book list keep, besides each book's
JSON, what a cursor is made of (id, title, year, relevance), in a small JSON header before
the books.

Anything that is not what `seal` wrote (Redis returned garbage) fails the checksum or the
header and is refused with ValueError: a miss, never a different page. Entries of another
shape of the read models never meet these functions: their keys differ (`keys.CacheKeys`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import orjson

from library.application.read_models import BookHit, BookView
from library.application.rendered import Rendered

# The layout of the entries written here (checksum, hits header): part of the entries' key
# version with the read models' shape, so that changing it is never read by old code.
LAYOUT = 1

_CHECKSUM = 8  # hex digits of a CRC-32
_HEADER_END = b"\n"  # orjson escapes newlines inside strings, so the header has none


def _sealed(json: bytes) -> bytes:
    return b"%08x" % zlib.crc32(json) + json


def _unsealed(data: bytes) -> bytes:
    json = data[_CHECKSUM:]
    if data[:_CHECKSUM] != b"%08x" % zlib.crc32(json):
        raise ValueError("cached value fails its checksum")
    return json


def seal(value: Rendered[Any]) -> bytes:
    """A rendered read as kept in the cache."""
    return _sealed(value.json)


def unseal(data: bytes) -> Rendered[Any]:
    """What `seal` kept, as it is sent.

    Raises:
        ValueError: `data` is not what `seal` wrote.
    """
    return Rendered(_unsealed(data))


def seal_hits(hits: Sequence[BookHit[Rendered[BookView]]]) -> bytes:
    """The hits of a book list: a header of cursor values and lengths, then the books."""
    header = orjson.dumps(
        [[hit.id, hit.title, hit.year, hit.relevance, len(hit.book.json)] for hit in hits]
    )
    return _sealed(header + _HEADER_END + b"".join(hit.book.json for hit in hits))


def unseal_hits(data: bytes) -> list[BookHit[Rendered[BookView]]]:
    """The hits `seal_hits` kept, each book as it is sent.

    Raises:
        ValueError: `data` is not what `seal_hits` wrote.
    """
    header, found, books = _unsealed(data).partition(_HEADER_END)
    if not found:
        raise ValueError("cached hits have no header")
    try:
        rows = orjson.loads(header)
        if type(rows) is not list:
            raise TypeError(f"the header is a {type(rows).__name__}")
        hits: list[BookHit[Rendered[BookView]]] = []
        start = 0
        for book_id, title, year, relevance, length in rows:
            end = start + length
            hits.append(BookHit(book_id, title, year, relevance, Rendered(books[start:end])))
            start = end
    except (TypeError, ValueError) as error:  # not a list of 5-item rows with a length
        raise ValueError(f"cached hits are malformed: {error}") from error
    if start != len(books):
        raise ValueError("cached hits do not add up to their books")
    return hits
