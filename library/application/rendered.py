"""Read models as the JSON clients are sent: made once, kept by a cache, sent as they are.

Read models carry the wire names of API.md, so their JSON is theirs to define, once. What
clients read goes through the rendered read side (`ports.RenderedCatalogue`): a cache keeps
these bytes and hands them out again without parsing or rebuilding them, and the HTTP edge
sends them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import orjson
from attrs import frozen
from cattrs.preconf.orjson import make_converter

from library.application.read_models import BookHit, BookPage, BookView

# Covariant: a rendered list of books is a rendered sequence of books.
M = TypeVar("M", covariant=True)
T = TypeVar("T")

_converter = make_converter()


@frozen
class Rendered(Generic[M]):
    """A read model, a list of them or a page, as exactly the JSON it is sent as."""

    json: bytes


def to_json(value: object) -> bytes:
    """The JSON of a read model, or of a list of them."""
    data: bytes = orjson.dumps(_converter.unstructure(value))
    return data


def render(model: T) -> Rendered[T]:
    return Rendered(to_json(model))


def render_page(
    hits: Sequence[BookHit[Rendered[BookView]]], next_cursor: str | None
) -> Rendered[BookPage]:
    """A page of books from books already rendered: the JSON `render(BookPage(...))` makes,
    spliced together rather than rebuilt."""
    items = b",".join(hit.book.json for hit in hits)
    return Rendered(b'{"items":[' + items + b'],"next_cursor":' + orjson.dumps(next_cursor) + b"}")
