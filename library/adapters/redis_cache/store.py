"""Generation-checked entries in Redis, and the rules for when Redis may not be trusted."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen
from redis.exceptions import RedisError

from library.adapters.redis_cache.breaker import CircuitBreaker
from library.adapters.redis_cache.keys import CacheKeys
from library.adapters.redis_cache.scripts import BUMP, STORE_IF_CURRENT
from library.application.events import DeliveryStatus
from library.application.ports import CacheObserver

log = logging.getLogger(__name__)

# What a failing, slow or garbled Redis raises through redis-py; all of them mean "skip the
# cache", never "fail the request".
REDIS_FAILURES = (RedisError, OSError, TimeoutError, ValueError, IndexError)

_SEPARATOR = b"\n"


@frozen
class Lookup:
    """The outcome of a lookup: a cached value, or what a later store must check against."""

    value: bytes | None
    generations: tuple[bytes | None, ...] | None  # None: do not store (Redis unusable)


_BYPASS = Lookup(None, None)


class NullObserver:
    def hit(self, kind: str) -> None: ...

    def miss(self, kind: str) -> None: ...

    def error(self, kind: str) -> None: ...

    def bypass(self, kind: str) -> None: ...


class GenerationalCache:
    """Entries that are valid only while the generations they recorded are current.

    Lookup is one MGET of the entry and its generations; a store is one script that writes
    the entry only if those generations are unchanged. Entries carry the time they were
    stored, so that while invalidations from other instances may be missed
    (`delivery.live` is False), entries older than `fault_staleness` are not served.
    """

    def __init__(
        self,
        client: Any,  # redis.asyncio.Redis or RedisCluster: the same commands, no common type
        keys: CacheKeys,
        *,
        ttl: float,
        breaker: CircuitBreaker,
        observer: CacheObserver | None = None,
        fault_staleness: float = 5.0,
        delivery: DeliveryStatus | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._keys = keys
        self._ttl_ms = max(1, round(ttl * 1000))
        self._breaker = breaker
        self.observer: CacheObserver = observer or NullObserver()
        self._fault_staleness = fault_staleness
        self._delivery = delivery or DeliveryStatus(live=True)
        self._clock = clock
        self._store = client.register_script(STORE_IF_CURRENT)
        self._bump = client.register_script(BUMP)

    async def lookup(self, kind: str, key: str, dependencies: Sequence[str]) -> Lookup:
        if not await self._usable():
            self.observer.bypass(kind)
            return _BYPASS
        try:
            found = await self._client.mget([key, self._keys.epoch, *dependencies])
        except REDIS_FAILURES as error:
            self._failed(kind, error)
            return _BYPASS
        entry, generations = found[0], tuple(found[1:])
        value = self._valid_value(entry, generations)
        if value is None:
            self.observer.miss(kind)
            return Lookup(None, generations)
        self.observer.hit(kind)
        return Lookup(value, generations)

    def _valid_value(
        self, entry: bytes | None, generations: tuple[bytes | None, ...]
    ) -> bytes | None:
        if entry is None or any(g is None for g in generations):
            return None
        recorded, _, rest = entry.partition(_SEPARATOR)
        stored_ms, _, value = rest.partition(_SEPARATOR)
        if recorded != b",".join(generations):  # type: ignore[arg-type]  # no None, checked
            return None
        if not self._delivery.live:
            # Another instance's write may not have reached Redis, and we cannot hear about
            # it: serve only entries young enough to stay within the staleness bound.
            try:
                age = self._clock() - int(stored_ms) / 1000
            except ValueError:
                return None
            if age > self._fault_staleness:
                return None
        return value

    async def store(
        self,
        kind: str,
        key: str,
        dependencies: Sequence[str],
        generations: tuple[bytes | None, ...],
        value: bytes,
    ) -> None:
        """Store `value` if the generations seen at lookup are still current."""
        if not self._breaker.closed:
            return
        recorded = b",".join(g or b"" for g in generations)
        stored_ms = str(round(self._clock() * 1000)).encode()
        entry = _SEPARATOR.join((recorded, stored_ms, value))
        keys = [key, self._keys.clock, self._keys.epoch, *dependencies]
        try:
            await self._store(
                keys=keys, args=[self._ttl_ms, entry, *(g or b"" for g in generations)]
            )
        except REDIS_FAILURES as error:
            self._failed(kind, error)

    async def bump(self, dependencies: Sequence[str]) -> bool:
        """Give `dependencies` fresh generations; False when Redis could not be told."""
        if not dependencies:
            return True
        if not await self._usable():
            return False
        try:
            await self._bump(keys=[self._keys.clock, *dependencies])
        except REDIS_FAILURES as error:
            self._failed("invalidation", error)
            return False
        return True

    async def invalidate_all(self) -> bool:
        """Make every entry invalid at once (the epoch is everyone's dependency)."""
        try:
            await self._bump(keys=[self._keys.clock, self._keys.epoch])
        except REDIS_FAILURES as error:
            self._failed("invalidation", error)
            return False
        return True

    async def ping(self) -> None:
        await self._client.ping()

    async def _usable(self) -> bool:
        if self._breaker.closed:
            return True
        if not self._breaker.should_probe():
            return False
        # Writes may have gone unrecorded while Redis was away: forget everything first.
        if await self.invalidate_all():
            log.info("Redis is back; cache invalidated and resumed")
            self._breaker.recovered()
            return True
        return False

    def _failed(self, kind: str, error: BaseException) -> None:
        self.observer.error(kind)
        if self._breaker.closed:
            log.warning("Redis failed (%s: %s); reading through to the database", kind, error)
        self._breaker.failed()
