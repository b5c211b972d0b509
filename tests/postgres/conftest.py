"""Fixtures of the PostgreSQL tests: the real HTTP app over this run's database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from falcon import testing

from library.config import Settings
from tests.postgres.pg_support import empty_catalogue, serve


@pytest.fixture
async def app_on_postgres(postgres_url: str) -> AsyncIterator[testing.ASGIConductor]:
    """The HTTP app over this run's database, emptied first, started once for the test.

    The pool may wait longer for a connection than the default: dozens of simultaneous
    requests queue for ten connections, and on a loaded two-core machine the queue can take
    more than the default 3 s to drain (which would be a correct 503, not what these tests
    are about).
    """
    empty_catalogue(postgres_url)
    settings = Settings(database_url=postgres_url, pool_max_size=10, pool_timeout=15.0).drop_in()
    async with serve(settings) as conductor:
        yield conductor
