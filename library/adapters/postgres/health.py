"""The readiness probe of PostgreSQL."""

from __future__ import annotations

from library.adapters.postgres.pool import Pool


class PostgresCheck:
    """Ready while a pooled connection answers a trivial query."""

    name = "postgresql"
    critical = True

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def __call__(self) -> None:
        async with self._pool.connection() as connection:
            await connection.execute("SELECT 1")
