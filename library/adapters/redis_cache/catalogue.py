"""The rendered read side with a Redis cache in front of storage's read side."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from library.adapters.redis_cache import codec
from library.adapters.redis_cache.keys import CacheKeys, canonical
from library.adapters.redis_cache.store import GenerationalCache
from library.application.ports import AuthorFilter, BookFilter, BookPosition, Catalogue
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
)
from library.application.rendered import Rendered, render
from library.application.rendering import rendered_hit

M = TypeVar("M")
R = TypeVar("R")


class CachedCatalogue:
    """`RenderedCatalogue`: current entries from Redis, else storage's answer, then cached.

    Correctness does not depend on Redis: every failure reads through to `inner`, and an
    entry is only served while the generations it recorded are current. A hit is handed out
    as the JSON it was kept as: never parsed, never rebuilt.
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
        load: Callable[[], Awaitable[M | None]],
        rendered: Callable[[M], R],
        unseal: Callable[[bytes], R],
        seal: Callable[[R], bytes],
    ) -> R | None:
        found = await self._cache.lookup(kind, key, dependencies)
        if found.value is not None:
            try:
                return unseal(found.value)
            except ValueError:
                # A garbled entry is a miss; the store that follows overwrites it.
                self._cache.observer.error(kind)
        model = await load()
        if model is None:
            return None
        result = rendered(model)
        if found.generations is not None:
            await self._cache.store(kind, key, dependencies, found, seal(result))
        return result

    async def _one(
        self,
        kind: str,
        key: str,
        dependencies: Sequence[str],
        load: Callable[[], Awaitable[Any]],
    ) -> Rendered[Any] | None:
        return await self._read(kind, key, dependencies, load, render, codec.unseal, codec.seal)

    async def book(self, book_id: int) -> Rendered[BookDetail] | None:
        keys = self._keys
        return await self._one(
            "book",
            keys.book(book_id),
            [keys.book_generation(book_id), keys.all_authors],
            lambda: self._inner.book(book_id),
        )

    async def book_reviews(self, book_id: int) -> Rendered[list[ReviewView]] | None:
        keys = self._keys
        return await self._one(
            "book_reviews",
            keys.book_reviews(book_id),
            [keys.book_generation(book_id)],
            lambda: _listed(self._inner.book_reviews(book_id)),
        )

    async def review(self, review_id: int) -> Rendered[ReviewView] | None:
        # Not cached: deleting a book removes its reviews without naming them, and a single
        # review is read too rarely to be worth a dependency on its book.
        review = await self._inner.review(review_id)
        return None if review is None else render(review)

    async def author(self, author_id: int) -> Rendered[AuthorView] | None:
        keys = self._keys
        return await self._one(
            "author",
            keys.author(author_id),
            [keys.author_generation(author_id)],
            lambda: self._inner.author(author_id),
        )

    async def author_books(self, author_id: int) -> Rendered[list[BookSummary]] | None:
        keys = self._keys
        return await self._one(
            "author_books",
            keys.author_books(author_id),
            [keys.author_generation(author_id), keys.all_books],
            lambda: _listed(self._inner.author_books(author_id)),
        )

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[Rendered[BookView]]]:
        keys = self._keys

        async def load() -> Sequence[BookHit[BookView]]:
            return await self._inner.books(query, after=after, offset=offset, limit=limit)

        def rendered(hits: Sequence[BookHit[BookView]]) -> list[BookHit[Rendered[BookView]]]:
            return [rendered_hit(hit) for hit in hits]

        result = await self._read(
            "book_list",
            keys.book_list(canonical(query, after, offset, limit)),
            [keys.all_books, keys.all_authors],
            load,
            rendered,
            codec.unseal_hits,
            codec.seal_hits,
        )
        return [] if result is None else result

    async def authors(self, query: AuthorFilter) -> Rendered[list[AuthorView]]:
        keys = self._keys
        result = await self._one(
            "author_list",
            keys.author_list(canonical(query)),
            [keys.all_authors],
            lambda: _listed(self._inner.authors(query)),
        )
        return Rendered(b"[]") if result is None else result


async def _listed(read: Awaitable[Sequence[M] | None]) -> list[M] | None:
    found = await read
    return None if found is None else list(found)
