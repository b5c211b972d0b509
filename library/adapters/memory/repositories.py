"""Repositories over one in-memory transaction: domain entities in, domain entities out.

Each `get` builds a fresh entity, so a use case can change it freely; nothing reaches the
transaction until `save`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from library.adapters.memory.store import ReviewRecord
from library.adapters.memory.transaction import MemoryTransaction
from library.domain.authors import Author, AuthorData
from library.domain.books import Book, BookData
from library.domain.errors import DuplicateReview, NotFound, UnknownReferences
from library.domain.ids import unique_ids
from library.domain.reviews import Review, ReviewData, reviewer_key


def _require(entity: str, field: str, ids: Iterable[int], exists: Callable[[int], bool]) -> None:
    """Refuse links to missing rows, as PostgreSQL's foreign keys would."""
    missing = [(index, value) for index, value in enumerate(ids) if not exists(value)]
    if missing:
        raise UnknownReferences(entity, field, missing)


class MemoryAuthorRepository:
    """Authors as one transaction sees them."""

    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, data: AuthorData, book_ids: tuple[int, ...]) -> Author:
        ids = unique_ids(book_ids)
        _require("book", "book_ids", ids, self._tx.books.has)
        author_id = self._tx.store.next_author_id()
        self._tx.put_author(author_id, data)
        self._tx.link_author(author_id, ids)
        return Author(author_id, data, ids)

    async def get(self, author_id: int) -> Author | None:
        data = self._tx.authors.get(author_id)
        if data is None:
            return None
        return Author(author_id, data, tuple(sorted(self._tx.author_books.get(author_id) or ())))

    async def save(self, author: Author) -> None:
        if author.id not in self._tx.authors:
            raise NotFound("author", author.id)
        _require("book", "book_ids", author.book_ids, self._tx.books.has)
        self._tx.put_author(author.id, author.data)
        self._tx.link_author(author.id, author.book_ids)

    async def remove(self, author: Author) -> None:
        if author.id in self._tx.authors:
            self._tx.delete_author(author.id)

    async def existing(self, author_ids: Collection[int]) -> set[int]:
        return {author_id for author_id in author_ids if author_id in self._tx.authors}


class MemoryBookRepository:
    """Books as one transaction sees them."""

    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, data: BookData, author_ids: tuple[int, ...]) -> Book:
        ids = unique_ids(author_ids)
        _require("author", "author_ids", ids, self._tx.authors.has)
        book_id = self._tx.store.next_book_id()
        self._tx.put_book(book_id, data)
        self._tx.link_book(book_id, ids)
        return Book(book_id, data, ids)

    async def get(self, book_id: int) -> Book | None:
        data = self._tx.books.get(book_id)
        if data is None:
            return None
        author_ids = tuple(sorted(self._tx.book_authors.get(book_id) or ()))
        return Book(book_id, data, author_ids, self._reviewers(book_id))

    async def save(self, book: Book) -> None:
        if book.id not in self._tx.books:
            raise NotFound("book", book.id)
        _require("author", "author_ids", book.author_ids, self._tx.authors.has)
        self._tx.put_book(book.id, book.data)
        self._tx.link_book(book.id, book.author_ids)

    async def remove(self, book: Book) -> None:
        if book.id in self._tx.books:
            self._tx.delete_book(book.id)

    async def existing(self, book_ids: Collection[int]) -> set[int]:
        return {book_id for book_id in book_ids if book_id in self._tx.books}

    def _reviewers(self, book_id: int) -> frozenset[str]:
        keys = set()
        for review_id in self._tx.book_reviews.get(book_id) or ():
            review = self._tx.reviews.get(review_id)
            if review is not None:
                keys.add(reviewer_key(review.data.reviewer.value))
        return frozenset(keys)


class MemoryReviewRepository:
    """Reviews as one transaction sees them; one review per reviewer and book."""

    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, book_id: int, data: ReviewData) -> Review:
        if book_id not in self._tx.books:
            raise NotFound("book", book_id)
        key = reviewer_key(data.reviewer.value)
        for review_id in self._tx.book_reviews.get(book_id) or ():
            other = self._tx.reviews.get(review_id)
            if other is not None and reviewer_key(other.data.reviewer.value) == key:
                raise DuplicateReview(book_id, data.reviewer.value)
        review_id = self._tx.store.next_review_id()
        self._tx.put_review(review_id, ReviewRecord(book_id, data))
        return Review(review_id, book_id, data)

    async def get(self, review_id: int) -> Review | None:
        record = self._tx.reviews.get(review_id)
        if record is None:
            return None
        return Review(review_id, record.book_id, record.data)

    async def save(self, review: Review) -> None:
        record = self._tx.reviews.get(review.id)
        if record is None:
            raise NotFound("review", review.id)
        # The book and the reviewer of a review never change; only what it says does.
        self._tx.put_review(review.id, ReviewRecord(record.book_id, review.data))

    async def remove(self, review: Review) -> None:
        self._tx.delete_review(review.id)
