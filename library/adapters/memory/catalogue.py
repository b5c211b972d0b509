"""The read side over the committed state of the in-memory store.

Every method runs to completion without awaiting, so it reads one consistent state: a
transaction commits between two reads, never during one.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence

import attrs

from library.adapters.memory.ordering import SortKey, SortKeys
from library.adapters.memory.postgres_search import lower
from library.adapters.memory.search import SearchIndex, SearchText
from library.adapters.memory.store import MemoryStore, ReviewRecord
from library.application.book_fields import stored
from library.application.ports import AuthorFilter, BookFilter, BookPosition
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
    book_hit,
)
from library.domain.authors import AuthorData
from library.domain.books import BookData


def _author_view(author_id: int, data: AuthorData) -> AuthorView:
    return AuthorView(author_id, data.name.value, None if data.email is None else data.email.value)


def _review_view(review_id: int, record: ReviewRecord) -> ReviewView:
    data = record.data
    comment = None if data.comment is None else data.comment.value
    return ReviewView(review_id, data.reviewer.value, data.rating.value, comment)


def _year(data: BookData) -> int | None:
    return None if data.year is None else data.year.value


def _filter(query: BookFilter) -> Callable[[BookData], bool] | None:
    """A test of every filter of `query` but `q` and `author_id`; None when there is none."""
    tests: list[Callable[[BookData], bool]] = []
    if query.title is not None:
        title = lower(query.title)
        tests.append(lambda data: lower(data.title.value) == title)
    if query.isbn is not None:
        isbn = query.isbn
        tests.append(lambda data: data.isbn is not None and data.isbn.value == isbn)
    if query.language is not None:
        language = query.language
        tests.append(lambda data: data.language is not None and data.language.value == language)
    # A book without a year never matches a year filter.
    if query.before is not None:
        before = query.before
        tests.append(lambda data: data.year is not None and data.year.value <= before)
    if query.after is not None:
        after = query.after
        tests.append(lambda data: data.year is not None and data.year.value >= after)
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda data: all(test(data) for test in tests)


class MemoryCatalogue:
    """Book and author pages, lists and searches read from a `MemoryStore`."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._search = SearchIndex()

    async def book(self, book_id: int) -> BookDetail | None:
        data = self._store.books.get(book_id)
        if data is None:
            return None
        reviews = self._reviews_of(book_id)
        count = len(reviews)
        average = sum(review.rating for review in reviews) / count if count else None
        view = self._book_view(book_id, data)
        return BookDetail(
            **attrs.asdict(view, recurse=False),
            reviews=reviews,
            review_count=count,
            rating_avg=average,
        )

    async def book_reviews(self, book_id: int) -> Sequence[ReviewView] | None:
        if book_id not in self._store.books:
            return None
        return self._reviews_of(book_id)

    async def review(self, review_id: int) -> ReviewView | None:
        record = self._store.reviews.get(review_id)
        return None if record is None else _review_view(review_id, record)

    async def author(self, author_id: int) -> AuthorView | None:
        data = self._store.authors.get(author_id)
        return None if data is None else _author_view(author_id, data)

    async def author_books(self, author_id: int) -> Sequence[BookSummary] | None:
        book_ids = self._store.author_books.get(author_id)
        if book_ids is None:
            return None
        books = self._store.books
        return [
            BookSummary(book_id, books[book_id].title.value, _year(books[book_id]))
            for book_id in sorted(book_ids)
        ]

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[BookView]]:
        if limit <= 0:
            return []
        keys = SortKeys(query.sort)
        start = None if after is None else keys.of_position(after)
        books = self._store.books
        accept = _filter(query)
        if query.q is None and not query.sort and accept is None:
            # By id, nothing to compute per book: the most common page by far.
            first = 0 if after is None else after.book_id
            ids = (book_id for book_id in self._candidates(query) if book_id > first)
            return [
                book_hit(self._book_view(book_id, books[book_id]))
                for book_id in heapq.nsmallest(offset + limit, ids)[offset:]
            ]
        book_authors = self._store.book_authors
        scorer = None
        if query.q is not None:
            scorer = self._search.book_scorer(SearchText.of(query.q), self._store.authors)
        found: list[tuple[SortKey, int, float | None]] = []
        for book_id in self._candidates(query):
            data = books[book_id]
            if accept is not None and not accept(data):
                continue
            relevance = None
            if scorer is not None:
                relevance = scorer.relevance(book_id, data, book_authors.get(book_id, ()))
                if relevance is None:
                    continue
            key = keys.of(book_id, data.title.value, _year(data), relevance)
            if start is None or key > start:
                found.append((key, book_id, relevance))
        if scorer is not None:
            self._search.prune(books, self._store.authors)
        # A bounded heap: O(n log(offset + limit)) instead of sorting every match.
        page = heapq.nsmallest(offset + limit, found)[offset:]
        return [
            book_hit(self._book_view(book_id, books[book_id]), relevance)
            for _, book_id, relevance in page
        ]

    async def authors(self, query: AuthorFilter) -> Sequence[AuthorView]:
        name = None if query.name is None else lower(query.name)
        email = None if query.email is None else lower(query.email)
        text = None if query.q is None else SearchText.of(query.q)
        found: list[tuple[float, int]] = []
        for author_id, data in self._store.authors.items():
            if name is not None and lower(data.name.value) != name:
                continue
            if email is not None and (data.email is None or lower(data.email.value) != email):
                continue
            relevance = 0.0
            if text is not None:
                score = self._search.author_relevance(text, author_id, data)
                if score is None:
                    continue
                relevance = score
            found.append((-relevance, author_id))  # highest relevance first, then by id
        if text is not None:
            self._search.prune(self._store.books, self._store.authors)
        page = heapq.nsmallest(query.offset + query.limit, found)[query.offset :]
        return [_author_view(author_id, self._store.authors[author_id]) for _, author_id in page]

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        counts = ((-len(ids), book_id) for book_id, ids in self._store.book_reviews.items() if ids)
        return [book_id for _, book_id in heapq.nsmallest(limit, counts)]

    def _candidates(self, query: BookFilter) -> Iterable[int]:
        if query.author_id is None:
            return self._store.books.keys()
        return sorted(self._store.author_books.get(query.author_id) or ())

    def _authors_of(self, book_id: int) -> list[tuple[int, AuthorData]]:
        authors = self._store.authors
        return [
            (author_id, authors[author_id])
            for author_id in sorted(self._store.book_authors.get(book_id) or ())
        ]

    def _reviews_of(self, book_id: int) -> tuple[ReviewView, ...]:
        reviews = self._store.reviews
        return tuple(
            _review_view(review_id, reviews[review_id])
            for review_id in sorted(self._store.book_reviews.get(book_id) or ())
        )

    def _book_view(self, book_id: int, data: BookData) -> BookView:
        authors = self._authors_of(book_id)
        return BookView(
            id=book_id,
            **stored(data),
            authors=tuple(_author_view(author_id, author) for author_id, author in authors),
        )
