"""PostgreSQL out of reach: 503 problems with Retry-After in bounded time, then recovery.

The service talks to PostgreSQL through a TCP proxy of the test's own, which the test cuts
(every connection dropped, new ones refused) and restores; the machine's server is never
touched.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from falcon import testing

from library.config import Settings
from tests.postgres.pg_support import created, empty_catalogue, serve, with_address
from tests.postgres.tcp_proxy import CuttableProxy

PROBLEM = "application/problem+json"
ANSWER_WITHIN = 5.0  # seconds: a request while PostgreSQL is away must not hang longer


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[CuttableProxy]:
    upstream = urlsplit(postgres_url)
    proxy = CuttableProxy(upstream.hostname or "127.0.0.1", upstream.port or 5432)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


def through(proxy: CuttableProxy, postgres_url: str, **settings: Any) -> Settings:
    url = with_address(postgres_url, "127.0.0.1", proxy.port)
    return Settings(database_url=url, pool_timeout=1.0, **settings).drop_in()


async def timed(
    conductor: testing.ASGIConductor, method: str, path: str, body: Any = None
) -> tuple[testing.Result, float]:
    started = time.monotonic()
    if body is None:
        result = await conductor.simulate_request(method, path)
    else:
        result = await conductor.simulate_request(method, path, json=body)
    return result, time.monotonic() - started


def assert_unavailable(result: testing.Result, elapsed: float) -> None:
    assert result.status_code == 503, result.text
    assert result.headers["content-type"] == PROBLEM
    assert result.json["type"] == "/problems/service-unavailable"
    assert int(result.headers["retry-after"]) > 0
    assert elapsed < ANSWER_WITHIN


async def until_ok(
    conductor: testing.ASGIConductor, path: str, within: float
) -> tuple[testing.Result, float]:
    """GET `path` until it answers 200 (any other answer must be a 503); the time it took."""
    started = time.monotonic()
    while True:
        result = await conductor.simulate_get(path)
        waited = time.monotonic() - started
        if result.status_code == 200 or waited > within:
            return result, waited
        assert result.status_code == 503, result.text
        await asyncio.sleep(0.2)


async def test_requests_answer_503_while_postgresql_is_away_and_succeed_once_it_is_back(
    postgres_url: str, proxy: CuttableProxy
) -> None:
    empty_catalogue(postgres_url)
    async with serve(through(proxy, postgres_url)) as conductor:
        book = await created(conductor, "/books", {"title": "Dune"})
        assert (await conductor.simulate_get("/readyz")).status_code == 200

        await proxy.cut()
        for method, path, body in [
            ("GET", f"/books/{book}", None),
            ("GET", "/books", None),
            ("POST", "/authors", {"name": "Frank Herbert"}),
            ("PATCH", f"/books/{book}", {"year": 1965}),
            ("POST", f"/books/{book}/reviews", {"reviewer_name": "Rita", "rating": 5}),
        ]:
            result, elapsed = await timed(conductor, method, path, body)
            assert_unavailable(result, elapsed)

        ready, elapsed = await timed(conductor, "GET", "/readyz")
        assert ready.status_code == 503
        assert elapsed < ANSWER_WITHIN
        assert "postgresql" in ready.json["detail"]
        assert {d["name"]: d["status"] for d in ready.json["dependencies"]} == {
            "postgresql": "down"
        }

        await proxy.restore()
        # The pool reconnects by itself: no restart of the app.
        result, _ = await until_ok(conductor, f"/books/{book}", within=30)
        assert result.status_code == 200
        assert result.json["title"] == "Dune"
        await created(conductor, "/authors", {"name": "Frank Herbert"})
        assert (await conductor.simulate_get("/readyz")).status_code == 200


async def test_a_service_started_while_postgresql_is_away_serves_once_it_arrives(
    postgres_url: str, proxy: CuttableProxy
) -> None:
    empty_catalogue(postgres_url)
    await proxy.cut()
    async with serve(through(proxy, postgres_url)) as conductor:
        result, elapsed = await timed(conductor, "GET", "/books")
        assert_unavailable(result, elapsed)
        assert (await conductor.simulate_get("/readyz")).status_code == 503
        await proxy.restore()
        result, _ = await until_ok(conductor, "/books", within=30)
        assert result.json == {"items": [], "next_cursor": None}


@pytest.mark.slow
async def test_after_a_long_outage_the_service_recovers_within_seconds(
    postgres_url: str, proxy: CuttableProxy
) -> None:
    """Reconnection attempts back off, but never so far that recovery lags the database.

    With psycopg_pool's defaults an attempt backs off exponentially for five minutes, so
    after a 40 s outage the next attempt can be half a minute away; the pool gives up each
    attempt sooner and the next request starts a fresh one.
    """
    empty_catalogue(postgres_url)
    async with serve(through(proxy, postgres_url)) as conductor:
        book = await created(conductor, "/books", {"title": "Dune"})
        await proxy.cut()
        cut_until = time.monotonic() + 40
        while time.monotonic() < cut_until:  # a load balancer probing all along
            result, elapsed = await timed(conductor, "GET", f"/books/{book}")
            assert_unavailable(result, elapsed)
            await asyncio.sleep(1)
        await proxy.restore()
        result, waited = await until_ok(conductor, f"/books/{book}", within=30)
        assert result.status_code == 200
        print(f"recovered {waited:.1f} s after the database came back")
        assert waited < 10


async def test_a_statement_past_statement_timeout_is_a_503_not_a_hang(postgres_url: str) -> None:
    """Statements stuck behind a lock that another session holds are cancelled in time."""
    empty_catalogue(postgres_url)
    settings = Settings(database_url=postgres_url, statement_timeout_ms=300).drop_in()
    async with serve(settings) as conductor:
        book = await created(conductor, "/books", {"title": "Dune"})
        blocker = await psycopg.AsyncConnection.connect(postgres_url)
        try:
            async with blocker.transaction():
                await blocker.execute("LOCK TABLE books IN ACCESS EXCLUSIVE MODE")
                for method, path, body in [
                    ("GET", f"/books/{book}", None),  # a read, in autocommit
                    ("GET", "/books", None),
                    ("PATCH", f"/books/{book}", {"year": 1965}),  # a unit of work
                    ("POST", "/books", {"title": "Children of Dune"}),
                ]:
                    result, elapsed = await timed(conductor, method, path, body)
                    assert_unavailable(result, elapsed)
        finally:
            await blocker.close()
        assert (await conductor.simulate_get(f"/books/{book}")).status_code == 200
        patched = await conductor.simulate_patch(f"/books/{book}", json={"year": 1965})
        assert patched.json["year"] == 1965


async def test_connections_that_died_while_idle_are_replaced_without_a_failed_request(
    postgres_url: str, proxy: CuttableProxy
) -> None:
    """The pool hands connections out untested; a dead one costs a retry, not a 503.

    Cutting the proxy and restoring it at once kills every pooled connection while PostgreSQL
    stays reachable, as a restart of PostgreSQL or a proxy's idle time-out would.
    """
    empty_catalogue(postgres_url)
    async with serve(through(proxy, postgres_url)) as conductor:
        book = await created(conductor, "/books", {"title": "Dune"})
        for method, path, body, status in [
            ("GET", f"/books/{book}", None, 200),  # a read
            ("PATCH", f"/books/{book}", {"year": 1965}, 200),  # a unit of work
            ("GET", "/readyz", None, 200),
        ]:
            await proxy.cut()
            await proxy.restore()
            result, _ = await timed(conductor, method, path, body)
            assert result.status_code == status, (method, path, result.text)
        assert (await conductor.simulate_get(f"/books/{book}")).json["year"] == 1965
