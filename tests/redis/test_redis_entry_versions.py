"""Entries are keyed by the shape of the read models they hold: a deploy that changes a read
model never serves entries of the old shape, while both versions' writers invalidate each
other's entries (the generations are shared)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from attrs import frozen

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.adapters.redis_cache import (
    CachedCatalogue,
    CacheInvalidator,
    CacheKeys,
    CircuitBreaker,
    GenerationalCache,
    create_client,
)
from library.adapters.redis_cache.codec import LAYOUT
from library.application.events import EventBus
from library.application.read_models import (
    READ_MODELS,
    AuthorView,
    BookDetail,
    BookView,
    shape_of,
)
from library.domain.books import BookData, Title
from library.domain.events import BookChanged
from tests.redis_support import REDIS_URL


@frozen
class BookViewWithLanguage(BookView):
    """What a deploy adding a field to books would ship."""

    language: str | None = None


BookViewWithLanguage.__qualname__ = "BookView"  # the same model, one field more


def test_the_version_follows_the_read_models_shape() -> None:
    assert shape_of() == shape_of(READ_MODELS)
    changed = tuple(BookViewWithLanguage if m is BookView else m for m in READ_MODELS)
    assert shape_of(changed) != shape_of()
    renamed = (AuthorView, BookDetail)  # fewer models is another shape too
    assert shape_of(renamed) != shape_of()


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    client = create_client(REDIS_URL, cluster=False, timeout=1.0)
    yield client
    await client.aclose()


def _instance(client: Any, keys: CacheKeys, store: MemoryStore) -> tuple[CachedCatalogue, Any]:
    cache = GenerationalCache(client, keys, ttl=60, breaker=CircuitBreaker())
    bus = EventBus([CacheInvalidator(cache, keys)])
    return CachedCatalogue(MemoryCatalogue(store), cache, keys), bus


async def test_a_new_shape_misses_old_entries_and_writes_on_either_invalidate_both(
    client: Any, namespace: str
) -> None:
    store = MemoryStore()  # the one database both versions of the service use
    old_version = f"{shape_of()}.{LAYOUT}"
    changed = tuple(BookViewWithLanguage if m is BookView else m for m in READ_MODELS)
    new_version = f"{shape_of(changed)}.{LAYOUT}"
    old, old_bus = _instance(client, CacheKeys(namespace, version=old_version), store)
    new, new_bus = _instance(client, CacheKeys(namespace, version=new_version), store)
    async with MemoryUnitOfWork(store, old_bus) as uow:
        book = await uow.books.add(BookData(Title("Dune")), ())
        uow.emit(BookChanged(book.id, frozenset()))
        await uow.commit()

    first = await old.book(book.id)  # a miss: stored under the old shape
    assert first is not None
    hits_before = await client.get(CacheKeys(namespace, version=old_version).book(book.id))
    assert hits_before is not None
    # The new version does not see the old entry: it reads storage and stores its own.
    assert await client.get(CacheKeys(namespace, version=new_version).book(book.id)) is None
    assert await new.book(book.id) == first  # (the same JSON here: storage has no language)
    assert await client.get(CacheKeys(namespace, version=new_version).book(book.id)) is not None

    # A write through the new version bumps the shared generations: the old entry is stale.
    async with MemoryUnitOfWork(store, new_bus) as uow:
        changed_book = await uow.books.get(book.id)
        assert changed_book is not None
        changed_book.revise(BookData(Title("Dune Messiah")))
        await uow.books.save(changed_book)
        uow.emit(BookChanged(book.id, frozenset()))
        await uow.commit()
    served = await old.book(book.id)
    assert served is not None
    assert b"Dune Messiah" in served.json
