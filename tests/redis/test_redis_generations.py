"""GenerationalCache against the machine's Redis: when an entry may be stored and served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from library.adapters.redis_cache import (
    CacheKeys,
    CircuitBreaker,
    GenerationalCache,
    create_client,
)
from library.adapters.redis_cache.store import Lookup
from library.application.events import DeliveryStatus
from tests.redis_support import REDIS_URL, CountingObserver, TcpProxy, address_of


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    client = create_client(REDIS_URL, cluster=False, timeout=1.0)
    yield client
    await client.aclose()


def make_cache(client: Any, namespace: str, **options: Any) -> GenerationalCache:
    options.setdefault("ttl", 60)
    options.setdefault("breaker", CircuitBreaker())
    return GenerationalCache(client, CacheKeys(namespace), **options)


async def cached_round(cache: GenerationalCache, key: str, deps: list[str], value: bytes) -> Lookup:
    """A reader's round: look up, and on a miss store `value` as read from the database."""
    found = await cache.lookup("book", key, deps)
    if found.value is None and found.generations is not None:
        await cache.store("book", key, deps, found, value)
    return found


async def test_an_entry_is_cached_once_its_generations_exist(client: Any, namespace: str) -> None:
    keys = CacheKeys(namespace)
    observer = CountingObserver()
    cache = make_cache(client, namespace, observer=observer)
    deps = [keys.book_generation(1), keys.all_authors]
    first = await cached_round(cache, keys.book(1), deps, b"v1")
    assert first.value is None
    assert first.generations is not None
    assert None in first.generations  # never set: created by the store, which stores
    second = await cache.lookup("book", keys.book(1), deps)
    assert second.value == b"v1"
    assert second.generations is not None
    assert None not in second.generations
    assert observer.snapshot() == {"hit": 1, "miss": 1, "error": 0, "bypass": 0}


async def test_a_generation_created_meanwhile_refuses_the_store(
    client: Any, namespace: str
) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1)]
    found = await cache.lookup("book", keys.book(1), deps)
    assert found.generations == (None, None)  # the epoch and the book: never set
    # A writer commits and bumps (creating the generation) while the reader reads ...
    assert await cache.bump([keys.book_generation(1)])
    await cache.store("book", keys.book(1), deps, found, b"old")
    assert await client.exists(keys.book(1)) == 0


async def test_a_bump_between_lookup_and_store_refuses_the_store(
    client: Any, namespace: str
) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1), keys.all_authors]
    await cached_round(cache, keys.book(1), deps, b"first")  # creates the generations
    await client.delete(keys.book(1))  # expired, say
    found = await cache.lookup("book", keys.book(1), deps)
    assert found.value is None
    # A writer commits and bumps while this reader is reading the database ...
    assert await cache.bump([keys.book_generation(1)])
    # ... so what the reader read (before the commit) must not be stored.
    await cache.store("book", keys.book(1), deps, found, b"old")
    assert (await cache.lookup("book", keys.book(1), deps)).value is None
    assert await client.exists(keys.book(1)) == 0


@pytest.mark.parametrize("stale", ["epoch", "books", "authors", "book", "author"])
async def test_bumping_any_dependency_invalidates_an_entry(
    client: Any, namespace: str, stale: str
) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.author_generation(3), keys.all_books, keys.all_authors, keys.book_generation(4)]
    for _ in range(2):
        await cached_round(cache, keys.author_books(3), deps, b"value")
    assert (await cache.lookup("book", keys.author_books(3), deps)).value == b"value"
    bumped = {
        "epoch": keys.epoch,
        "books": keys.all_books,
        "authors": keys.all_authors,
        "book": keys.book_generation(4),
        "author": keys.author_generation(3),
    }[stale]
    if stale == "epoch":
        assert await cache.invalidate_all()
    else:
        assert await cache.bump([bumped])
    assert (await cache.lookup("book", keys.author_books(3), deps)).value is None


async def test_an_unrelated_bump_keeps_the_entry(client: Any, namespace: str) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1)]
    for _ in range(2):
        await cached_round(cache, keys.book_reviews(1), deps, b"reviews")
    assert await cache.bump([keys.book_generation(2), keys.author_generation(1)])
    assert (await cache.lookup("book", keys.book_reviews(1), deps)).value == b"reviews"


async def test_a_lost_generation_never_comes_back_to_an_old_value(
    client: Any, namespace: str
) -> None:
    # Evicted or deleted generation keys are recreated from the clock, never reset to a
    # value an entry may have recorded.
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1)]
    for _ in range(2):
        await cached_round(cache, keys.book(1), deps, b"old")
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"old"
    await client.delete(keys.book_generation(1), keys.epoch)
    assert (await cache.lookup("book", keys.book(1), deps)).value is None
    await cached_round(cache, keys.book(1), deps, b"new")  # recreates them, with new values
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"new"
    # One lost after the reader saw it: recreated, and what the reader read is not stored.
    found = await cache.lookup("book", keys.book(1), deps)
    await client.delete(keys.book(1), keys.book_generation(1))
    await cache.store("book", keys.book(1), deps, found, b"unsure")
    assert await client.exists(keys.book(1)) == 0
    assert await client.exists(keys.book_generation(1)) == 1


async def test_entries_expire_after_the_ttl(client: Any, namespace: str) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace, ttl=30)
    deps = [keys.book_generation(1)]
    for _ in range(2):
        await cached_round(cache, keys.book(1), deps, b"v")
    assert 29_000 < await client.pttl(keys.book(1)) <= 30_000
    assert await client.pttl(keys.book_generation(1)) == -1  # generations never expire
    assert await client.pttl(keys.clock) == -1


@pytest.mark.parametrize(
    "garbage",
    [b"junk", b"", b"1,2\nnot-a-time\nvalue", b"\n\n", b"\xff" * 50],
)
async def test_a_garbled_entry_is_a_miss_and_is_overwritten(
    client: Any, namespace: str, garbage: bytes
) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1)]
    await cached_round(cache, keys.book(1), deps, b"ignored")
    await client.set(keys.book(1), garbage)
    found = await cached_round(cache, keys.book(1), deps, b"fresh")
    assert found.value is None
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"fresh"


async def test_an_entry_of_another_type_is_a_miss(client: Any, namespace: str) -> None:
    keys = CacheKeys(namespace)
    cache = make_cache(client, namespace)
    deps = [keys.book_generation(1)]
    await client.rpush(keys.book(1), "x")
    await client.rpush(keys.book_generation(1), "y")
    assert (await cached_round(cache, keys.book(1), deps, b"fresh")).value is None
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"fresh"


# ---------------------------------------------------------------------------------------------
# Bounded staleness: what is served while other instances' changes may not reach this one


async def test_without_news_from_other_instances_only_young_entries_are_served(
    client: Any, namespace: str
) -> None:
    keys = CacheKeys(namespace)
    clock = FakeClock()
    delivery = DeliveryStatus(live=False)  # the change feed is down
    cache = make_cache(client, namespace, fault_staleness=1.0, delivery=delivery, clock=clock)
    deps = [keys.book_generation(1)]
    for _ in range(2):
        await cached_round(cache, keys.book(1), deps, b"v")
    clock.now += 0.9
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"v"
    clock.now += 0.2
    assert (await cache.lookup("book", keys.book(1), deps)).value is None


async def test_an_entry_is_as_old_as_the_read_it_holds_not_its_store(
    client: Any, namespace: str
) -> None:
    # A slow reader looks up at t, reads the database, and stores at t + 3 s. Meanwhile a
    # writer that could not reach Redis committed a change nobody here heard of. The entry
    # holds data from t: with the staleness bound at 1 s it must not be served after t + 1 s,
    # even though it was stored only a moment ago.
    keys = CacheKeys(namespace)
    clock = FakeClock()
    delivery = DeliveryStatus(live=False)
    cache = make_cache(client, namespace, fault_staleness=1.0, delivery=delivery, clock=clock)
    deps = [keys.book_generation(1)]
    await cached_round(cache, keys.book(1), deps, b"first")  # creates the generations
    await client.delete(keys.book(1))  # expired, say
    found = await cache.lookup("book", keys.book(1), deps)
    clock.now += 3.0
    await cache.store("book", keys.book(1), deps, found, b"read 3 s ago")
    clock.now += 0.1
    assert (await cache.lookup("book", keys.book(1), deps)).value is None


async def test_a_listener_that_keeps_up_lets_old_entries_be_served(
    client: Any, namespace: str
) -> None:
    keys = CacheKeys(namespace)
    clock = FakeClock()
    delivery = DeliveryStatus(live=False)
    cache = make_cache(client, namespace, fault_staleness=1.0, delivery=delivery, clock=clock)
    deps = [keys.book_generation(1)]
    for _ in range(2):
        await cached_round(cache, keys.book(1), deps, b"v")
    clock.now += 60
    assert (await cache.lookup("book", keys.book(1), deps)).value is None
    delivery.caught_up(clock.now - 0.5)  # every change committed until half a second ago is in
    assert (await cache.lookup("book", keys.book(1), deps)).value == b"v"
    clock.now += 0.6  # and then the listener went quiet
    assert (await cache.lookup("book", keys.book(1), deps)).value is None


# ---------------------------------------------------------------------------------------------
# A Redis that fails


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    async with TcpProxy(*address_of(REDIS_URL)) as proxy:
        yield proxy


async def test_a_dead_redis_opens_the_breaker_and_a_probe_invalidates_everything(
    client: Any, namespace: str, proxy: TcpProxy
) -> None:
    keys = CacheKeys(namespace)
    observer = CountingObserver()
    breaker_clock = FakeClock()
    through_proxy = create_client(proxy.url(REDIS_URL), cluster=False, timeout=0.05)
    try:
        cache = make_cache(
            through_proxy,
            namespace,
            observer=observer,
            breaker=CircuitBreaker(cooldown=1.0, clock=breaker_clock),
        )
        deps = [keys.book_generation(1)]
        for _ in range(2):
            await cached_round(cache, keys.book(1), deps, b"v")
        epoch = await client.get(keys.epoch)

        proxy.cut()
        assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert observer.total("error") == 1
        assert not await cache.bump([keys.book_generation(1)])  # the write cannot be told
        accepted = proxy.accepted
        for _ in range(5):  # open: no more attempts until the cooldown has passed
            assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert proxy.accepted == accepted
        assert observer.total("bypass") == 5  # the failed lookup counted as an error

        proxy.restore()
        breaker_clock.now += 1.0
        # The first lookup probes: it empties the cache (writes may have gone unrecorded),
        # then serves again.
        assert (await cache.lookup("book", keys.book(1), deps)).value is None
        assert await client.get(keys.epoch) != epoch
        await cached_round(cache, keys.book(1), deps, b"v2")
        assert (await cache.lookup("book", keys.book(1), deps)).value == b"v2"
    finally:
        await through_proxy.aclose()


async def test_a_failed_probe_keeps_the_breaker_open(namespace: str, proxy: TcpProxy) -> None:
    keys = CacheKeys(namespace)
    breaker_clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=breaker_clock)
    through_proxy = create_client(proxy.url(REDIS_URL), cluster=False, timeout=0.05)
    try:
        cache = make_cache(through_proxy, namespace, breaker=breaker)
        deps = [keys.book_generation(1)]
        proxy.cut()
        assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        breaker_clock.now += 1.0
        accepted = proxy.accepted
        assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert proxy.accepted > accepted  # a probe (refused, and retried once on a new connection)
        probed = proxy.accepted
        assert not breaker.closed
        assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert proxy.accepted == probed
    finally:
        await through_proxy.aclose()


async def test_a_slow_redis_costs_about_one_timeout(namespace: str, proxy: TcpProxy) -> None:
    import time

    keys = CacheKeys(namespace)
    observer = CountingObserver()
    through_proxy = create_client(proxy.url(REDIS_URL), cluster=False, timeout=0.05)
    try:
        cache = make_cache(through_proxy, namespace, observer=observer)
        deps = [keys.book_generation(1)]
        await cached_round(cache, keys.book(1), deps, b"v")
        proxy.delay = 0.5
        started = time.perf_counter()
        assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert time.perf_counter() - started < 0.3
        started = time.perf_counter()
        for _ in range(10):
            assert await cache.lookup("book", keys.book(1), deps) == Lookup(None, None)
        assert time.perf_counter() - started < 0.05  # the breaker is open: no more waiting
        assert observer.total("error") == 1
        assert observer.total("bypass") == 10
    finally:
        await through_proxy.aclose()


async def test_connections_left_from_before_an_outage_do_not_reopen_the_breaker(
    namespace: str, proxy: TcpProxy
) -> None:
    keys = CacheKeys(namespace)
    observer = CountingObserver()
    breaker_clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=breaker_clock)
    through_proxy = create_client(proxy.url(REDIS_URL), cluster=False, timeout=0.5)
    try:
        cache = make_cache(through_proxy, namespace, observer=observer, breaker=breaker)
        deps = [keys.book_generation(1)]

        async def many_lookups() -> list[Lookup]:
            return list(
                await asyncio.gather(*(cache.lookup("book", keys.book(n), deps) for n in range(8)))
            )

        await many_lookups()  # several pooled connections
        proxy.cut()  # Redis restarts: every one of them is closed
        await cache.lookup("book", keys.book(1), deps)  # fails: the others stay in the pool
        assert not breaker.closed
        proxy.restore()
        breaker_clock.now += 1.0
        await cache.lookup("book", keys.book(1), deps)  # the probe
        assert breaker.closed
        errors = observer.total("error")
        found = await many_lookups()
        assert all(lookup.generations is not None for lookup in found)
        assert breaker.closed
        assert observer.total("error") == errors
    finally:
        await through_proxy.aclose()
