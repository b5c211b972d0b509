"""The PostgreSQL connection pool's usage, from psycopg_pool's own counters."""

from __future__ import annotations

from typing import Any

from psycopg_pool import AsyncConnectionPool

from library.application.monitoring import PoolUsage


class PsycopgPoolStats:
    """Implements `PoolStats` over `AsyncConnectionPool.get_stats()` (no I/O, no lock)."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self._pool = pool

    def usage(self) -> PoolUsage:
        stats = self._pool.get_stats()
        return PoolUsage(
            size=stats.get("pool_size", 0),
            available=stats.get("pool_available", 0),
            waiting=stats.get("requests_waiting", 0),
            max_size=stats.get("pool_max", self._pool.max_size),
        )
