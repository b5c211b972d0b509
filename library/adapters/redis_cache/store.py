"""Generation-checked entries in Redis, and the rules for when Redis may not be trusted."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from attrs import field, frozen
from redis.exceptions import RedisClusterException, RedisError

from library.adapters.redis_cache.breaker import CircuitBreaker
from library.adapters.redis_cache.keys import CacheKeys
from library.adapters.redis_cache.scripts import BUMP, STORE_IF_CURRENT
from library.application.events import DeliveryStatus
from library.application.ports import CacheObserver

log = logging.getLogger(__name__)

# What a failing, slow or garbled Redis raises through redis-py; all of them mean "skip the
# cache", never "fail the request". RedisClusterException (no reachable node, a slot not
# covered) is not a RedisError.
REDIS_FAILURES = (
    RedisError,
    RedisClusterException,
    OSError,
    TimeoutError,
    ValueError,
    IndexError,
)

_SEPARATOR = b"\n"


@frozen
class Lookup:
    """The outcome of a lookup: a cached value, or what a later store must check against.

    `read_at` is when the lookup happened: what the reader then reads from the database is
    at least that recent, and no more (a store may come much later).
    """

    value: bytes | None
    generations: tuple[bytes | None, ...] | None  # None: do not store (Redis unusable)
    read_at: float = field(default=0.0, eq=False)


_BYPASS = Lookup(None, None)


class NullObserver:
    def hit(self, kind: str) -> None: ...

    def miss(self, kind: str) -> None: ...

    def error(self, kind: str) -> None: ...

    def bypass(self, kind: str) -> None: ...


class GenerationalCache:
    """Entries that are valid only while the generations they recorded are current.

    Lookup is one MGET of the entry and its generations; a store is one script that writes
    the entry only if those generations are unchanged. Entries carry the time of the lookup
    that preceded the database read (the age of their data), so that when changes committed
    by other instances may not have been applied here (`delivery.caught_up_to` older than
    `fault_staleness`), entries older than that are not served.
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
        self._delivery = DeliveryStatus(live=True) if delivery is None else delivery
        self._clock = clock
        self._store = client.register_script(STORE_IF_CURRENT)
        self._bump = client.register_script(BUMP)

    async def lookup(self, kind: str, key: str, dependencies: Sequence[str]) -> Lookup:
        if not await self._usable():
            self.observer.bypass(kind)
            return _BYPASS
        read_at = self._clock()
        try:
            found = await self._client.mget([key, self._keys.epoch, *dependencies])
        except REDIS_FAILURES as error:
            self._failed(kind, error)
            return _BYPASS
        entry, generations = found[0], tuple(found[1:])
        value = self._valid_value(entry, generations, read_at)
        if value is None:
            self.observer.miss(kind)
            return Lookup(None, generations, read_at)
        self.observer.hit(kind)
        return Lookup(value, generations, read_at)

    def _valid_value(
        self, entry: bytes | None, generations: tuple[bytes | None, ...], now: float
    ) -> bytes | None:
        if entry is None or any(g is None for g in generations):
            return None
        recorded, _, rest = entry.partition(_SEPARATOR)
        read_ms, _, value = rest.partition(_SEPARATOR)
        if recorded != b",".join(generations):  # type: ignore[arg-type]  # no None, checked
            return None
        try:
            read_at = int(read_ms) / 1000
        except ValueError:  # garbled
            return None
        horizon = now - self._fault_staleness
        if read_at < horizon and self._delivery.caught_up_to < horizon:
            # A change committed by another instance since `horizon` may not have reached
            # Redis (its writer could not), and has not been heard of here either: serve
            # only entries whose data is younger than the staleness bound.
            return None
        return value

    async def store(
        self,
        kind: str,
        key: str,
        dependencies: Sequence[str],
        found: Lookup,
        value: bytes,
    ) -> None:
        """Store `value`, read after the lookup `found`, if its generations are still current."""
        generations = found.generations
        if generations is None or not self._breaker.closed:
            return
        read_ms = str(math.floor(found.read_at * 1000)).encode()
        # The script puts the generations in front, as they stand when it stores.
        rest = read_ms + _SEPARATOR + value
        keys = [key, self._keys.clock, self._keys.epoch, *dependencies]
        try:
            await self._store(
                keys=keys, args=[self._ttl_ms, rest, *(g or b"" for g in generations)]
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

    @property
    def available(self) -> bool:
        """Whether Redis is in use right now (False while the breaker is open)."""
        return self._breaker.closed

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
