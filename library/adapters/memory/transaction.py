"""A transaction over the store: a journal of changes, applied all at once on commit.

Reads inside the transaction see the journal first, then the committed state; nobody else
sees the journal. Committing is synchronous (no `await`), so a reader on the same event loop
sees either none or all of a transaction's changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from library.adapters.memory.store import MemoryStore, ReviewRecord
from library.domain.authors import AuthorData
from library.domain.books import BookData

K = TypeVar("K")
V = TypeVar("V")

_EMPTY: frozenset[int] = frozenset()


class _Journal(Protocol):
    def apply(self) -> None: ...

    def discard(self) -> None: ...


class Overlay(Generic[K, V]):
    """One table as a transaction sees it: pending changes over the committed values."""

    def __init__(self, committed: dict[K, V]) -> None:
        self._committed = committed
        self._changes: dict[K, V | None] = {}  # None marks a deletion

    def get(self, key: K) -> V | None:
        if key in self._changes:
            return self._changes[key]
        return self._committed.get(key)

    def has(self, key: K) -> bool:
        return self.get(key) is not None

    def __contains__(self, key: K) -> bool:
        return self.has(key)

    def put(self, key: K, value: V) -> None:
        self._changes[key] = value

    def delete(self, key: K) -> None:
        self._changes[key] = None

    def apply(self) -> None:
        """Write the pending changes into the committed table and forget them."""
        for key, value in self._changes.items():
            if value is None:
                self._committed.pop(key, None)
            else:
                self._committed[key] = value
        self._changes.clear()

    def discard(self) -> None:
        self._changes.clear()


class MemoryTransaction:
    """The tables of the store as one transaction sees them, kept consistent together.

    The link tables are kept in both directions (book -> authors, author -> books) so that
    either side reads in O(its own links).
    """

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.authors = Overlay(store.authors)
        self.books = Overlay(store.books)
        self.reviews = Overlay(store.reviews)
        self.book_authors = Overlay(store.book_authors)
        self.author_books = Overlay(store.author_books)
        self.book_reviews = Overlay(store.book_reviews)
        self._tables: tuple[_Journal, ...] = (
            self.authors,
            self.books,
            self.reviews,
            self.book_authors,
            self.author_books,
            self.book_reviews,
        )

    def commit(self) -> None:
        for table in self._tables:
            table.apply()

    def rollback(self) -> None:
        for table in self._tables:
            table.discard()

    # Authors and books

    def put_author(self, author_id: int, data: AuthorData) -> None:
        self.authors.put(author_id, data)
        if self.author_books.get(author_id) is None:
            self.author_books.put(author_id, _EMPTY)

    def put_book(self, book_id: int, data: BookData) -> None:
        self.books.put(book_id, data)
        if self.book_authors.get(book_id) is None:
            self.book_authors.put(book_id, _EMPTY)
            self.book_reviews.put(book_id, _EMPTY)

    def delete_author(self, author_id: int) -> None:
        """Delete the author and their links; the books stay."""
        self.link_author(author_id, ())
        self.authors.delete(author_id)
        self.author_books.delete(author_id)

    def delete_book(self, book_id: int) -> None:
        """Delete the book, its links and its reviews; the authors stay."""
        self.link_book(book_id, ())
        for review_id in self.book_reviews.get(book_id) or _EMPTY:
            self.reviews.delete(review_id)
        self.books.delete(book_id)
        self.book_authors.delete(book_id)
        self.book_reviews.delete(book_id)

    # Links

    def link_book(self, book_id: int, author_ids: Iterable[int]) -> None:
        """Make `author_ids` the book's authors, updating each author's side too."""
        new = frozenset(author_ids)
        old = self.book_authors.get(book_id) or _EMPTY
        self.book_authors.put(book_id, new)
        for author_id in old - new:
            self.author_books.put(
                author_id, (self.author_books.get(author_id) or _EMPTY) - {book_id}
            )
        for author_id in new - old:
            self.author_books.put(
                author_id, (self.author_books.get(author_id) or _EMPTY) | {book_id}
            )

    def link_author(self, author_id: int, book_ids: Iterable[int]) -> None:
        """Make `book_ids` the author's books, updating each book's side too."""
        new = frozenset(book_ids)
        old = self.author_books.get(author_id) or _EMPTY
        self.author_books.put(author_id, new)
        for book_id in old - new:
            self.book_authors.put(book_id, (self.book_authors.get(book_id) or _EMPTY) - {author_id})
        for book_id in new - old:
            self.book_authors.put(book_id, (self.book_authors.get(book_id) or _EMPTY) | {author_id})

    # Reviews

    def put_review(self, review_id: int, review: ReviewRecord) -> None:
        if self.reviews.get(review_id) is None:
            ids = self.book_reviews.get(review.book_id) or _EMPTY
            self.book_reviews.put(review.book_id, ids | {review_id})
        self.reviews.put(review_id, review)

    def delete_review(self, review_id: int) -> None:
        review = self.reviews.get(review_id)
        if review is None:
            return
        ids = self.book_reviews.get(review.book_id)
        if ids is not None:
            self.book_reviews.put(review.book_id, ids - {review_id})
        self.reviews.delete(review_id)
