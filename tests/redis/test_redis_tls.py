"""The cache over TLS: a throwaway CA and certificate, a TLS-only redis-server, `rediss://`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from library.adapters.redis_cache import CacheKeys, CircuitBreaker, GenerationalCache, create_client
from library.config import Settings
from tests.redis_support import (
    RedisProcesses,
    every_page,
    generate_certificates,
    get_page,
    redis_server_available,
    running_instance,
    seed_catalogue,
    start_tls_server,
    unique_namespace,
)


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[int, Path]]:
    reason = redis_server_available()
    if reason is not None:
        pytest.skip(reason)
    processes = RedisProcesses()
    try:
        started = start_tls_server(processes)
        if isinstance(started, str):
            pytest.skip(started)
        yield started
    finally:
        processes.stop()


def tls_url(server: tuple[int, Path], **options: str) -> str:
    port, ca = server
    query = "&".join([f"ssl_ca_certs={ca}", *(f"{k}={v}" for k, v in options.items())])
    return f"rediss://127.0.0.1:{port}/0?{query}"


async def test_cache_round_trips_over_tls(tls_server: tuple[int, Path]) -> None:
    keys = CacheKeys(unique_namespace())
    client = create_client(tls_url(tls_server), cluster=False, timeout=1.0)
    try:
        cache = GenerationalCache(client, keys, ttl=60, breaker=CircuitBreaker())
        deps = [keys.book_generation(1)]
        for _ in range(2):
            found = await cache.lookup("book", keys.book(1), deps)
            await cache.store("book", keys.book(1), deps, found, b"over tls")
        assert (await cache.lookup("book", keys.book(1), deps)).value == b"over tls"
        assert await cache.bump(deps)
        assert (await cache.lookup("book", keys.book(1), deps)).value is None
        connection = client.connection_pool.make_connection()
        assert type(connection).__name__ == "SSLConnection"
    finally:
        await client.aclose()


async def test_the_service_caches_over_tls(tls_server: tuple[int, Path]) -> None:
    env = {
        "LIBRARY_REDIS_URL": tls_url(tls_server, ssl_cert_reqs="required"),
        "LIBRARY_CACHE_NAMESPACE": unique_namespace(),
    }
    async with running_instance(Settings.from_env(env).drop_in()) as app:
        seeded = await seed_catalogue(app, books=2)
        # The first pass fills the cache (the very first store only sets the epoch up).
        for _ in range(2):
            for page in every_page(seeded):
                assert (await get_page(app, page)).status_code == 200
        hits = app.observer.total("hit")
        for page in every_page(seeded):
            assert (await get_page(app, page)).status_code == 200
        assert app.observer.total("error") == 0
        assert app.observer.total("hit") - hits == len(every_page(seeded))


async def test_a_certificate_from_another_ca_is_refused_and_reads_fall_through(
    tls_server: tuple[int, Path],
) -> None:
    port, _ = tls_server
    other = RedisProcesses()
    try:
        other_ca, _, _ = generate_certificates(other.directory)
        url = f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={other_ca}&ssl_cert_reqs=required"
        env = {"LIBRARY_REDIS_URL": url, "LIBRARY_CACHE_NAMESPACE": unique_namespace()}
        async with running_instance(Settings.from_env(env).drop_in()) as app:
            seeded = await seed_catalogue(app, books=1)
            for page in every_page(seeded):
                assert (await get_page(app, page)).status_code == 200
            assert app.observer.total("error") >= 1
            assert app.observer.total("hit") == 0
    finally:
        other.stop()
