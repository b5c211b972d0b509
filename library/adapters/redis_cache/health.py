"""The readiness probe of Redis: never critical, the service works without its cache."""

from __future__ import annotations

from library.adapters.redis_cache.store import GenerationalCache


class RedisCheck:
    name = "redis"
    critical = False

    def __init__(self, cache: GenerationalCache) -> None:
        self._cache = cache

    async def __call__(self) -> None:
        await self._cache.ping()
