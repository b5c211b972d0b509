"""What changed, told to subscribers (the cache) after the change has committed."""

from __future__ import annotations

from attrs import frozen


@frozen
class BookChanged:
    """A book was added or changed; `author_ids` are its authors before and after."""

    book_id: int
    author_ids: frozenset[int] = frozenset()


@frozen
class BookRemoved:
    book_id: int
    author_ids: frozenset[int] = frozenset()


@frozen
class AuthorChanged:
    """An author was added or changed; `book_ids` are their books before and after."""

    author_id: int
    book_ids: frozenset[int] = frozenset()


@frozen
class AuthorRemoved:
    author_id: int
    book_ids: frozenset[int] = frozenset()


@frozen
class ReviewChanged:
    """A review was added, changed or removed; its book's pages change with it."""

    book_id: int
    review_id: int


@frozen
class CatalogueImported:
    """A bulk import added books, authors and links: every cached page may be stale."""


DomainEvent = (
    BookChanged | BookRemoved | AuthorChanged | AuthorRemoved | ReviewChanged | CatalogueImported
)
