"""The contract suites' one fixture: `backend`, parametrised over every implementation.

Every contract test runs once per entry of `contract_backends.BACKENDS`. Tests build their
data through the write ports (`Backend.add_author` and friends), never by touching storage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.contract_backends import BACKENDS, Backend
from tests.redis_support import cluster_url, shared_cluster


@pytest.fixture(params=sorted(BACKENDS))
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    async with BACKENDS[request.param](request) as built:
        yield built


@pytest.fixture(scope="session")
def redis_cluster_url(pytestconfig: pytest.Config) -> str:
    """A 3-master Redis Cluster on loopback ports, started once for the run (skip without
    redis-server)."""
    return cluster_url(shared_cluster(pytestconfig))
