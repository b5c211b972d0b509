"""Fixtures of the Redis cache's tests: the machine's Redis under a namespace of each test's
own (deleted afterwards), and this run's PostgreSQL database, emptied before each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio

from tests.redis_support import (
    REDIS_URL,
    cluster_url,
    delete_namespace,
    shared_cluster,
    truncate_catalogue,
    unique_namespace,
)


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    """A cache namespace of this test's own; its keys are deleted afterwards."""
    name = unique_namespace()
    yield name
    client = redis.asyncio.from_url(REDIS_URL)
    try:
        await delete_namespace(client, name)
    finally:
        await client.aclose()


@pytest.fixture
async def redis_client() -> AsyncIterator[Any]:
    """A plain client of the machine's Redis, to look at (or garble) what the cache wrote."""
    client = redis.asyncio.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def database(postgres_url: str) -> str:
    """This run's database with an empty catalogue."""
    await truncate_catalogue(postgres_url)
    return postgres_url


@pytest.fixture(scope="session")
def redis_cluster_url(pytestconfig: pytest.Config) -> str:
    """A 3-master Redis Cluster on loopback ports, started once for the run (skip without
    redis-server)."""
    return cluster_url(shared_cluster(pytestconfig))
