"""Read models: the shapes clients read, built by the read side (never by entities).

Field names are the wire names of API.md, since these exist to be shown to clients.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from attrs import frozen

# Covariant: a list of models in wire form is also a sequence of them in wire form.
M = TypeVar("M", covariant=True)


@frozen
class Encoded(Generic[M]):
    """A read model (or a list of them) in its wire form: exactly the JSON it encodes to.

    A cache hands these out instead of rebuilding the models it keeps, so that a cached read
    reaches the client as it is, neither decoded nor encoded again. `kind` names the model
    (`BookDetail`, `list[AuthorView]`), for the rare reader that needs its fields
    (`wire.decoded`).
    """

    json: bytes
    kind: Any


@frozen
class AuthorView:
    id: int
    name: str
    email: str | None


@frozen
class ReviewView:
    id: int
    reviewer_name: str
    rating: int
    comment: str | None


@frozen
class BookView:
    """A book as it appears in lists."""

    id: int
    title: str
    year: int | None
    book_isbn: str | None
    genre_name: str | None
    description: str | None
    authors: tuple[AuthorView, ...]


@frozen
class BookDetail:
    """A book's own page: its list form plus reviews and their summary."""

    id: int
    title: str
    year: int | None
    book_isbn: str | None
    genre_name: str | None
    description: str | None
    authors: tuple[AuthorView, ...]
    reviews: tuple[ReviewView, ...]
    review_count: int
    rating_avg: float | None


@frozen
class BookSummary:
    """A book in an author's list of books."""

    id: int
    title: str
    year: int | None


@frozen
class BookHit:
    """A book found by a list or search query.

    Carries what a keyset cursor is made of (id, title, year and the relevance when `q` was
    given) next to the book, so that the book itself may stay in its wire form.
    """

    id: int
    title: str
    year: int | None
    relevance: float | None
    book: BookView | Encoded[BookView]

    @classmethod
    def of(cls, book: BookView, relevance: float | None = None) -> BookHit:
        return cls(book.id, book.title, book.year, relevance, book)


@frozen
class BookPage:
    items: tuple[BookView | Encoded[BookView], ...]
    next_cursor: str | None
