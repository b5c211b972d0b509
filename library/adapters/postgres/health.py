"""The readiness probe of PostgreSQL."""

from __future__ import annotations

from library.adapters.postgres.pool import Connection, Pool, on_live_connection


class PostgresCheck:
    """Ready while a pooled connection answers a trivial query."""

    name = "postgresql"
    critical = True

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def __call__(self) -> None:
        async def ask(connection: Connection) -> None:
            await connection.execute("SELECT 1")

        await on_live_connection(self._pool, ask)
