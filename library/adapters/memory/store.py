"""The committed state of the in-memory catalogue: plain dictionaries and id sequences.

Values are immutable (the domain's frozen data classes, frozensets), so readers can hold on
to them without copying, and a transaction replaces a value instead of mutating it.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from collections.abc import Iterator

from attrs import frozen

from library.domain.authors import AuthorData
from library.domain.books import BookData
from library.domain.reviews import ReviewData


@frozen
class ReviewRecord:
    """A stored review: the book it belongs to and what it says."""

    book_id: int
    data: ReviewData


class MemoryStore:
    """Everything committed so far, plus the sequences and the writers' lock.

    Attributes:
        authors: author id -> the author's data.
        books: book id -> the book's data.
        reviews: review id -> the review.
        book_authors: book id -> ids of its authors (an entry for every book).
        author_books: author id -> ids of their books (an entry for every author).
        book_reviews: book id -> ids of its reviews (an entry for every book).
    """

    def __init__(self) -> None:
        self.authors: dict[int, AuthorData] = {}
        self.books: dict[int, BookData] = {}
        self.reviews: dict[int, ReviewRecord] = {}
        self.book_authors: dict[int, frozenset[int]] = {}
        self.author_books: dict[int, frozenset[int]] = {}
        self.book_reviews: dict[int, frozenset[int]] = {}
        # Like PostgreSQL sequences: an id handed out is never handed out again, even when
        # the transaction that took it rolls back.
        self._author_ids: Iterator[int] = itertools.count(1)
        self._book_ids: Iterator[int] = itertools.count(1)
        self._review_ids: Iterator[int] = itertools.count(1)
        # One lock per event loop: an asyncio.Lock binds to the loop it first waits in, and
        # test clients may run each request in a loop of its own.
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def next_author_id(self) -> int:
        return next(self._author_ids)

    def next_book_id(self) -> int:
        return next(self._book_ids)

    def next_review_id(self) -> int:
        return next(self._review_ids)

    def writer_lock(self) -> asyncio.Lock:
        """The lock that serialises writers running in the current event loop."""
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock
