"""The backends the contract suites run against, and helpers to fill them through the ports.

A backend is a unit of work factory, a catalogue and the event bus they publish to, over
empty storage. A new adapter (PostgreSQL, a cache over either) joins the suites by adding a
builder to `BACKENDS`: an async context manager that yields a `Backend` and cleans up after
the test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeVar, overload

import orjson
import pytest
from attrs import define, field
from cattrs.preconf.orjson import make_converter

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.adapters.postgres import PostgresCatalogue, PostgresUnitOfWork, create_pool
from library.adapters.redis_cache import (
    CachedCatalogue,
    CacheInvalidator,
    CacheKeys,
    CircuitBreaker,
    GenerationalCache,
    create_client,
)
from library.application.events import EventBus
from library.application.ports import (
    AuthorFilter,
    BookFilter,
    BookPosition,
    Catalogue,
    RenderedCatalogue,
    UnitOfWork,
    UnitOfWorkFactory,
)
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
    book_hit,
)
from library.application.rendered import Rendered, render
from library.domain.authors import AuthorData, AuthorName, Email
from library.domain.books import BookData, Description, Genre, Isbn, Title, Year
from library.domain.events import AuthorChanged, BookChanged, DomainEvent, ReviewChanged
from library.domain.reviews import Comment, Rating, ReviewData, ReviewerName
from tests.postgres.pg_support import EMPTY_CATALOGUE

M = TypeVar("M")


@define
class Backend:
    """What a contract test gets: the write ports, the read port and the event bus."""

    name: str
    unit_of_work: UnitOfWorkFactory
    catalogue: Catalogue
    bus: EventBus
    published: list[DomainEvent] = field(factory=list)

    def __attrs_post_init__(self) -> None:
        self.bus.subscribe(self._record)

    async def _record(self, events: Sequence[DomainEvent]) -> None:
        self.published.extend(events)

    async def add_author(
        self, name: str, email: str | None = None, book_ids: Sequence[int] = ()
    ) -> int:
        async with self.unit_of_work() as uow:
            author = await uow.authors.add(author_data(name, email), tuple(book_ids))
            uow.emit(AuthorChanged(author.id, frozenset(book_ids)))  # as the use cases do
            await uow.commit()
        return author.id

    async def add_book(
        self,
        title: str,
        *,
        year: int | None = None,
        isbn: str | None = None,
        genre: str | None = None,
        description: str | None = None,
        author_ids: Sequence[int] = (),
    ) -> int:
        data = book_data(title, year=year, isbn=isbn, genre=genre, description=description)
        async with self.unit_of_work() as uow:
            book = await uow.books.add(data, tuple(author_ids))
            uow.emit(BookChanged(book.id, frozenset(author_ids)))
            await uow.commit()
        return book.id

    async def add_review(
        self, book_id: int, reviewer: str, rating: int = 5, comment: str | None = None
    ) -> int:
        async with self.unit_of_work() as uow:
            review = await uow.reviews.add(book_id, review_data(reviewer, rating, comment))
            uow.emit(ReviewChanged(book_id, review.id))
            await uow.commit()
        return review.id

    async def list_books(
        self,
        query: BookFilter | None = None,
        *,
        after: BookPosition | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[BookHit[BookView]]:
        hits = await self.catalogue.books(
            query or BookFilter(), after=after, offset=offset, limit=limit
        )
        return list(hits)

    async def book_ids(
        self,
        query: BookFilter | None = None,
        *,
        after: BookPosition | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[int]:
        hits = await self.list_books(query, after=after, offset=offset, limit=limit)
        return [hit.book.id for hit in hits]


def author_data(name: str, email: str | None = None) -> AuthorData:
    return AuthorData(AuthorName(name), Email.parse(email))


def book_data(
    title: str,
    *,
    year: int | None = None,
    isbn: str | None = None,
    genre: str | None = None,
    description: str | None = None,
) -> BookData:
    return BookData(
        title=Title(title),
        year=None if year is None else Year(year),
        isbn=Isbn.parse(isbn),
        genre=Genre.parse(genre),
        description=Description.parse(description),
    )


def review_data(reviewer: str, rating: int = 5, comment: str | None = None) -> ReviewData:
    return ReviewData(ReviewerName(reviewer), Rating(rating), Comment.parse(comment))


@asynccontextmanager
async def memory_backend(
    request: pytest.FixtureRequest, bus: EventBus | None = None
) -> AsyncIterator[Backend]:
    store = MemoryStore()
    bus = bus or EventBus()

    def unit_of_work() -> UnitOfWork:
        return MemoryUnitOfWork(store, bus)

    yield Backend("memory", unit_of_work, MemoryCatalogue(store), bus)


@asynccontextmanager
async def postgres_backend(
    request: pytest.FixtureRequest, bus: EventBus | None = None
) -> AsyncIterator[Backend]:
    """The PostgreSQL adapters over this run's database, emptied before each test."""
    url: str = request.getfixturevalue("postgres_url")
    pool = create_pool(url, min_size=1, max_size=4)
    await pool.open(wait=True)
    try:
        async with pool.connection() as connection:
            await connection.execute(EMPTY_CATALOGUE)
        bus = bus or EventBus()

        def unit_of_work() -> UnitOfWork:
            return PostgresUnitOfWork(pool, bus)

        yield Backend("postgres", unit_of_work, PostgresCatalogue(pool), bus)
    finally:
        await pool.close()


REDIS_URL = os.environ.get("LIBRARY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


StorageBuilder = Callable[
    [pytest.FixtureRequest, EventBus | None], AbstractAsyncContextManager[Backend]
]


@asynccontextmanager
async def cached(
    request: pytest.FixtureRequest, storage: StorageBuilder, *, cluster: bool = False
) -> AsyncIterator[Backend]:
    """A storage backend behind the Redis cache, under a key namespace of this test's own.

    With `cluster`, the cache is on the 3-master Redis Cluster this run started (a session
    fixture); a multi-key command over several slots would fail there with CROSSSLOT.
    """
    keys = CacheKeys(namespace=f"test-{uuid.uuid4().hex[:12]}")
    url = request.getfixturevalue("redis_cluster_url") if cluster else REDIS_URL
    client = create_client(url, cluster=cluster, timeout=1.0)
    cache = GenerationalCache(client, keys, ttl=60, breaker=CircuitBreaker(), observer=Strict())
    bus = EventBus([CacheInvalidator(cache, keys)])
    try:
        async with storage(request, bus) as inner:
            yield Backend(
                f"redis-{'cluster-' if cluster else ''}over-{inner.name}",
                inner.unit_of_work,
                Parsed(CachedCatalogue(inner.catalogue, cache, keys), inner.catalogue),
                bus,
            )
    finally:
        async for key in client.scan_iter(match=f"{{{keys.namespace}}}:*"):
            await client.delete(key)
        await client.aclose()


class Parsed:
    """A rendered catalogue's reads parsed back into models, for the suites to compare.

    Each read must render back to exactly the JSON it came as.
    """

    def __init__(self, inner: RenderedCatalogue, stored: Catalogue) -> None:
        self._inner = inner
        self._stored = stored

    async def book(self, book_id: int) -> BookDetail | None:
        return _model(await self._inner.book(book_id), BookDetail)

    async def book_reviews(self, book_id: int) -> Sequence[ReviewView] | None:
        return _model(await self._inner.book_reviews(book_id), list[ReviewView])

    async def review(self, review_id: int) -> ReviewView | None:
        return _model(await self._inner.review(review_id), ReviewView)

    async def author(self, author_id: int) -> AuthorView | None:
        return _model(await self._inner.author(author_id), AuthorView)

    async def author_books(self, author_id: int) -> Sequence[BookSummary] | None:
        return _model(await self._inner.author_books(author_id), list[BookSummary])

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[BookView]]:
        hits = await self._inner.books(query, after=after, offset=offset, limit=limit)
        models = [book_hit(_model(hit.book, BookView), hit.relevance) for hit in hits]
        assert all(  # the cursor values kept next to each book
            (hit.id, hit.title, hit.year) == (model.id, model.title, model.year)
            for hit, model in zip(hits, models, strict=True)
        )
        return models

    async def authors(self, query: AuthorFilter) -> Sequence[AuthorView]:
        authors: list[AuthorView] = _model(await self._inner.authors(query), list[AuthorView])
        return authors

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        return await self._stored.most_reviewed_books(limit)


_converter = make_converter()


@overload
def _model(value: Rendered[M], kind: type[M]) -> M: ...


@overload
def _model(value: Rendered[M] | None, kind: type[M]) -> M | None: ...


def _model(value: Rendered[M] | None, kind: type[M]) -> M | None:
    if value is None:
        return None
    model = _converter.structure(orjson.loads(value.json), kind)
    assert render(model) == value, "a rendered read does not round-trip"
    return model


class Strict:
    """A cache observer that fails the test on any Redis error (such as CROSSSLOT).

    The cache hides Redis errors from its callers by design, so a contract test would pass
    on a cache that never works; this makes them visible.
    """

    def hit(self, kind: str) -> None: ...

    def miss(self, kind: str) -> None: ...

    def bypass(self, kind: str) -> None:
        raise AssertionError(f"the cache was bypassed for {kind}: Redis failed before")

    def error(self, kind: str) -> None:
        raise AssertionError(f"Redis failed for {kind} (see the log)")


def redis_over_memory(request: pytest.FixtureRequest) -> AbstractAsyncContextManager[Backend]:
    return cached(request, memory_backend)


def redis_over_postgres(request: pytest.FixtureRequest) -> AbstractAsyncContextManager[Backend]:
    return cached(request, postgres_backend)


def redis_cluster_over_memory(
    request: pytest.FixtureRequest,
) -> AbstractAsyncContextManager[Backend]:
    return cached(request, memory_backend, cluster=True)


def redis_cluster_over_postgres(
    request: pytest.FixtureRequest,
) -> AbstractAsyncContextManager[Backend]:
    return cached(request, postgres_backend, cluster=True)


BACKENDS: dict[str, Callable[[pytest.FixtureRequest], AbstractAsyncContextManager[Backend]]] = {
    "memory": memory_backend,
    "postgres": postgres_backend,
    "redis-over-memory": redis_over_memory,
    "redis-over-postgres": redis_over_postgres,
    "redis-cluster-over-memory": redis_cluster_over_memory,
    "redis-cluster-over-postgres": redis_cluster_over_postgres,
}
