"""The read side with a Redis cache in front: the same port as what it wraps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from library.adapters.redis_cache import codec
from library.adapters.redis_cache.keys import CacheKeys
from library.adapters.redis_cache.store import GenerationalCache
from library.application.ports import AuthorFilter, BookFilter, BookPosition, Catalogue
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    Encoded,
    ReviewView,
)

R = TypeVar("R")


class CachedCatalogue:
    """Serve reads from Redis when a current entry exists, else from `inner`, then cache.

    Correctness does not depend on Redis: every failure reads through to `inner`, and an
    entry is only served while the generations it recorded are current. A hit comes back in
    wire form (`Encoded`): it is never rebuilt, only passed on.
    """

    def __init__(self, inner: Catalogue, cache: GenerationalCache, keys: CacheKeys) -> None:
        self._inner = inner
        self._cache = cache
        self._keys = keys

    async def _read(
        self,
        kind: str,
        key: str,
        dependencies: Sequence[str],
        load: Callable[[], Awaitable[R | None]],
        decode: Callable[[bytes], R],
        encode: Callable[[R], bytes] = codec.encode,
    ) -> R | None:
        found = await self._cache.lookup(kind, key, dependencies)
        if found.value is not None:
            try:
                return decode(found.value)
            except ValueError:
                # A garbled entry is a miss; the store that follows overwrites it.
                self._cache.observer.error(kind)
        result = await load()
        if result is not None and found.generations is not None:
            await self._cache.store(kind, key, dependencies, found, encode(result))
        return result

    async def book(self, book_id: int) -> BookDetail | Encoded[BookDetail] | None:
        keys = self._keys
        return await self._read(
            "book",
            keys.book(book_id),
            [keys.book_generation(book_id), keys.all_authors],
            lambda: self._inner.book(book_id),
            lambda data: codec.decode(data, BookDetail),
        )

    async def book_reviews(
        self, book_id: int
    ) -> Sequence[ReviewView] | Encoded[list[ReviewView]] | None:
        keys = self._keys
        return await self._read(
            "book_reviews",
            keys.book_reviews(book_id),
            [keys.book_generation(book_id)],
            lambda: self._inner.book_reviews(book_id),
            lambda data: codec.decode(data, list[ReviewView]),
        )

    async def review(self, review_id: int) -> ReviewView | None:
        # Not cached: deleting a book removes its reviews without naming them, and a single
        # review is read too rarely to be worth a dependency on its book.
        return await self._inner.review(review_id)

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        # An operator's query (cache warming), not worth an entry of its own.
        return await self._inner.most_reviewed_books(limit)

    async def author(self, author_id: int) -> AuthorView | Encoded[AuthorView] | None:
        keys = self._keys
        return await self._read(
            "author",
            keys.author(author_id),
            [keys.author_generation(author_id)],
            lambda: self._inner.author(author_id),
            lambda data: codec.decode(data, AuthorView),
        )

    async def author_books(
        self, author_id: int
    ) -> Sequence[BookSummary] | Encoded[list[BookSummary]] | None:
        keys = self._keys
        return await self._read(
            "author_books",
            keys.author_books(author_id),
            [keys.author_generation(author_id), keys.all_books],
            lambda: self._inner.author_books(author_id),
            lambda data: codec.decode(data, list[BookSummary]),
        )

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit]:
        keys = self._keys
        result = await self._read(
            "book_list",
            keys.book_list(repr((query, after, offset, limit))),
            [keys.all_books, keys.all_authors],
            lambda: self._inner.books(query, after=after, offset=offset, limit=limit),
            codec.decode_hits,
            codec.encode_hits,
        )
        return [] if result is None else result

    async def authors(
        self, query: AuthorFilter
    ) -> Sequence[AuthorView] | Encoded[list[AuthorView]]:
        keys = self._keys
        result: Sequence[AuthorView] | Encoded[list[AuthorView]] | None = await self._read(
            "author_list",
            keys.author_list(repr(query)),
            [keys.all_authors],
            lambda: self._inner.authors(query),
            lambda data: codec.decode(data, list[AuthorView]),
        )
        return [] if result is None else result
