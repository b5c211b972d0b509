"""Domain events as NOTIFY payloads (PostgreSQL caps a payload at 8,000 bytes).

A payload is the writer's origin (a token naming the instance), a space, then the events as
JSON: a listener skips what its own instance wrote, since that instance's writers applied
those events to the cache themselves, right after committing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import orjson

from library.domain.events import (
    AuthorChanged,
    AuthorRemoved,
    BookChanged,
    BookRemoved,
    CatalogueImported,
    DomainEvent,
    ReviewChanged,
)

MAX_PAYLOAD = 7_900
EVERYTHING = b'"*"'  # too much changed to list: every cached entry is suspect

_BOOK_EVENTS: dict[str, type[BookChanged] | type[BookRemoved]] = {
    "book": BookChanged,
    "book-": BookRemoved,
}
_AUTHOR_EVENTS: dict[str, type[AuthorChanged] | type[AuthorRemoved]] = {
    "author": AuthorChanged,
    "author-": AuthorRemoved,
}


def _plain(event: DomainEvent) -> list[object]:
    match event:
        case BookChanged(book_id, author_ids):
            return ["book", book_id, sorted(author_ids)]
        case BookRemoved(book_id, author_ids):
            return ["book-", book_id, sorted(author_ids)]
        case AuthorChanged(author_id, book_ids):
            return ["author", author_id, sorted(book_ids)]
        case AuthorRemoved(author_id, book_ids):
            return ["author-", author_id, sorted(book_ids)]
        case ReviewChanged(book_id, review_id):
            return ["review", book_id, review_id]
        case CatalogueImported():
            return ["*", 0, 0]
    raise TypeError(f"not a domain event: {event!r}")


ANONYMOUS = "-"  # an origin no instance has (its tokens are hex)


def payloads(events: Sequence[DomainEvent], origin: str = ANONYMOUS) -> Iterator[bytes]:
    """Payloads of at most MAX_PAYLOAD bytes that together carry `events` from `origin`."""
    head = origin.encode() + b" "
    for body in _bodies(events, MAX_PAYLOAD - len(head)):
        yield head + body


def _bodies(events: Sequence[DomainEvent], limit: int) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 2
    for event in events:
        item = orjson.dumps(_plain(event))
        if len(item) + 2 > limit:
            yield EVERYTHING
            continue
        if size + len(item) + 1 > limit:
            yield b"[" + b",".join(batch) + b"]"
            batch, size = [], 2
        batch.append(item)
        size += len(item) + 1
    if batch:
        yield b"[" + b",".join(batch) + b"]"


def origin_of(payload: str) -> str:
    """Who wrote a payload (ANONYMOUS when it does not say)."""
    origin, found, _ = payload.partition(" ")
    return origin if found else ANONYMOUS


def events_of(payload: str) -> list[DomainEvent] | None:
    """The events in a payload; None when it says (or, garbled, means) "everything".

    Raises nothing: a payload that cannot be read is treated as "everything changed".
    """
    try:
        items = orjson.loads(payload.partition(" ")[2])
        if not isinstance(items, list):
            return None
        return [_event(item) for item in items]
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return None


def _event(item: object) -> DomainEvent:
    if type(item) is not list or len(item) != 3:
        raise ValueError("not an event")
    kind, subject, other = item
    if kind in _BOOK_EVENTS:
        return _BOOK_EVENTS[kind](_id(subject), _ids(other))
    if kind in _AUTHOR_EVENTS:
        return _AUTHOR_EVENTS[kind](_id(subject), _ids(other))
    if kind == "review":
        return ReviewChanged(_id(subject), _id(other))
    if kind == "*":
        return CatalogueImported()
    raise ValueError(f"unknown event kind {kind!r}")


def _id(value: object) -> int:
    # Exactly what `payloads` writes: reading "1", 1.5 or true as an id would invalidate
    # some other entity and leave the one that changed stale.
    if type(value) is not int:
        raise ValueError(f"not an id: {value!r}")
    return value


def _ids(values: object) -> frozenset[int]:
    if type(values) is not list:
        raise ValueError(f"not a list of ids: {values!r}")
    return frozenset(_id(value) for value in values)
