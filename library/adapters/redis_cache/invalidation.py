"""What a committed change makes stale, told to Redis as fresh generations."""

from __future__ import annotations

from collections.abc import Sequence

from library.adapters.redis_cache.keys import CacheKeys
from library.adapters.redis_cache.store import GenerationalCache
from library.domain.events import (
    AuthorChanged,
    AuthorRemoved,
    BookChanged,
    BookRemoved,
    CatalogueImported,
    DomainEvent,
    ReviewChanged,
)


def stale_generations(keys: CacheKeys, events: Sequence[DomainEvent]) -> list[str]:
    """Every generation the events touch (see keys.py for what depends on what)."""
    touched: dict[str, None] = {}  # ordered and without repeats
    for event in events:
        match event:
            case BookChanged(book_id, author_ids) | BookRemoved(book_id, author_ids):
                touched[keys.book_generation(book_id)] = None
                touched[keys.all_books] = None
                for author_id in author_ids:
                    touched[keys.author_generation(author_id)] = None
            case AuthorChanged(author_id, book_ids) | AuthorRemoved(author_id, book_ids):
                touched[keys.author_generation(author_id)] = None
                touched[keys.all_authors] = None
                for book_id in book_ids:
                    touched[keys.book_generation(book_id)] = None
            case ReviewChanged(book_id, _):
                touched[keys.book_generation(book_id)] = None
            case CatalogueImported():
                touched[keys.epoch] = None
    return list(touched)


class CacheInvalidator:
    """An event subscriber bumping the generations of what committed events changed."""

    def __init__(self, cache: GenerationalCache, keys: CacheKeys) -> None:
        self._cache = cache
        self._keys = keys

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        await self._cache.bump(stale_generations(self._keys, events))
