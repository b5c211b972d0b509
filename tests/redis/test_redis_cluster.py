"""The cache on a real 3-master Redis Cluster started by the tests (the contract suites run
on it too: see `redis-cluster-over-*` in tests/contract/contract_backends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from library.adapters.redis_cache import CacheKeys, CircuitBreaker, GenerationalCache, create_client
from library.application.ports import AuthorFilter, BookFilter
from library.config import Settings
from tests.redis_support import (
    cached_settings,
    delete_namespace,
    every_page,
    free_port,
    get_page,
    running_instance,
    seed_catalogue,
    unique_namespace,
)


@pytest.fixture
async def cluster_namespace(redis_cluster_url: str) -> AsyncIterator[str]:
    name = unique_namespace()
    yield name
    client = redis.asyncio.RedisCluster.from_url(redis_cluster_url)
    try:
        await delete_namespace(client, name)
    finally:
        await client.aclose()


async def test_the_cluster_spreads_slots_over_three_masters(redis_cluster_url: str) -> None:
    client = redis.asyncio.RedisCluster.from_url(redis_cluster_url)
    try:
        await client.initialize()
        assert len(client.get_primaries()) == 3
        info = await client.cluster_info()
        assert info["cluster_state"] == "ok"
    finally:
        await client.aclose()


async def test_the_server_puts_every_key_of_a_namespace_in_one_slot(
    redis_cluster_url: str, cluster_namespace: str
) -> None:
    keys = CacheKeys(cluster_namespace)
    names = [
        keys.book(1),
        keys.book_reviews(1),
        keys.author(2),
        keys.author_books(2),
        keys.book_list(repr(BookFilter(q="x"))),
        keys.author_list(repr(AuthorFilter())),
        keys.clock,
        keys.epoch,
        keys.all_books,
        keys.all_authors,
        keys.book_generation(1),
        keys.author_generation(2),
    ]
    client = redis.asyncio.RedisCluster.from_url(redis_cluster_url)
    try:
        slots = {await client.cluster_keyslot(name) for name in names}
    finally:
        await client.aclose()
    assert len(slots) == 1


async def test_lookups_stores_and_bumps_work_on_the_cluster(
    redis_cluster_url: str, cluster_namespace: str
) -> None:
    keys = CacheKeys(cluster_namespace)
    client = create_client(redis_cluster_url, cluster=True, timeout=1.0)
    errors: list[str] = []

    class Errors:
        def hit(self, kind: str) -> None: ...
        def miss(self, kind: str) -> None: ...
        def bypass(self, kind: str) -> None: ...
        def error(self, kind: str) -> None:
            errors.append(kind)

    try:
        cache = GenerationalCache(client, keys, ttl=60, breaker=CircuitBreaker(), observer=Errors())
        deps = [keys.book_generation(1), keys.all_authors]
        for _ in range(2):
            found = await cache.lookup("book", keys.book(1), deps)
            await cache.store("book", keys.book(1), deps, found, b"value")
        assert (await cache.lookup("book", keys.book(1), deps)).value == b"value"
        assert await cache.bump([keys.book_generation(1), keys.author_generation(3)])
        assert (await cache.lookup("book", keys.book(1), deps)).value is None
        assert await cache.invalidate_all()
        assert errors == []
    finally:
        await client.aclose()


@pytest.mark.parametrize("how", ["url", "flag"])
async def test_the_service_caches_on_the_cluster(
    redis_cluster_url: str, cluster_namespace: str, database: str, how: str
) -> None:
    host_port = redis_cluster_url.removeprefix("redis://")
    env = {
        "LIBRARY_DATABASE_URL": database,
        "LIBRARY_CACHE_NAMESPACE": cluster_namespace,
    }
    if how == "url":
        env["LIBRARY_REDIS_URL"] = f"redis+cluster://{host_port}"
    else:
        env["REDIS_URL"] = redis_cluster_url
        env["LIBRARY_REDIS_CLUSTER"] = "1"
    async with running_instance(Settings.from_env(env).drop_in()) as app:
        seeded = await seed_catalogue(app, books=3)
        for _ in range(2):
            for page in every_page(seeded):
                assert (await get_page(app, page)).status_code == 200
        result = await app.send("PATCH", f"/books/{seeded.book_ids[0]}", {"title": "New v1"})
        assert result.status_code == 200
        assert (await app.get(f"/books/{seeded.book_ids[0]}")).json["title"] == "New v1"
        assert app.observer.total("error") == 0
        assert app.observer.total("hit") >= len(every_page(seeded))
        readiness = await app.get("/readyz")
        assert {"name": "redis", "status": "ok", "detail": None} in readiness.json["dependencies"]


async def test_an_unreachable_cluster_is_no_cache_at_all(database: str) -> None:
    # redis-py raises RedisClusterException (not a RedisError) when no node answers.
    url = f"redis+cluster://127.0.0.1:{free_port()}"
    settings = cached_settings(database, url, unique_namespace(), redis_timeout=0.05)
    async with running_instance(settings) as app:
        seeded = await seed_catalogue(app, books=2)
        for page in every_page(seeded):
            assert (await get_page(app, page)).status_code == 200
        result = await app.send("PATCH", f"/books/{seeded.book_ids[0]}", {"title": "New v1"})
        assert result.status_code == 200
        assert (await app.get(f"/books/{seeded.book_ids[0]}")).json["title"] == "New v1"
        assert app.observer.total("error") >= 1
        assert app.observer.total("hit") == 0
