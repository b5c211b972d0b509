"""Read models: the shapes clients read, built by the read side (never by entities).

Field names are the wire names of API.md, since these exist to be shown to clients.
"""

from __future__ import annotations

from attrs import frozen


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
    """A book found by a list or search query, with its relevance when `q` was given."""

    book: BookView
    relevance: float | None = None


@frozen
class BookPage:
    items: tuple[BookView, ...]
    next_cursor: str | None
