"""Read models: the shapes clients read, built by the read side (never by entities).

Field names are the wire names of API.md, since these exist to be shown to clients.
"""

from __future__ import annotations

import hashlib
from typing import Generic, TypeVar

from attrs import field, fields, frozen

# Covariant: the hits of books in their JSON form are hits of something book-shaped.
B = TypeVar("B", covariant=True)


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
    language: str | None = field(default=None, kw_only=True)  # an extension: ISO 639-1


@frozen
class BookDetail(BookView):
    """A book's own page: its list form plus reviews and their summary."""

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
class BookHit(Generic[B]):
    """A book found by a list or search query.

    Carries what a keyset cursor is made of (id, title, year and the relevance when `q` was
    given) next to the book, so that the book itself may come as a model or as its JSON.
    """

    id: int
    title: str
    year: int | None
    relevance: float | None
    book: B


def book_hit(book: BookView, relevance: float | None = None) -> BookHit[BookView]:
    return BookHit(book.id, book.title, book.year, relevance, book)


@frozen
class BookPage:
    items: tuple[BookView, ...]
    next_cursor: str | None


# Every read model a client can be sent (and a cache may keep the JSON of).
READ_MODELS: tuple[type, ...] = (AuthorView, ReviewView, BookView, BookDetail, BookSummary)


def shape_of(models: tuple[type, ...] = READ_MODELS) -> str:
    """A digest of the read models' shape: each one's name and fields, with their types.

    It changes whenever a model gains, loses, renames or retypes a field, so that what was
    kept of the old shape (cache entries) is never taken for the new one.
    """
    described = [
        (model.__qualname__, [(field.name, str(field.type)) for field in fields(model)])
        for model in models
    ]
    return hashlib.sha256(repr(described).encode()).hexdigest()[:12]
