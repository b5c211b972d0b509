"""The connection pool: built without connecting, opened and closed by the app's life cycle."""

from __future__ import annotations

import orjson
from psycopg import AsyncConnection
from psycopg.rows import TupleRow
from psycopg.types.json import set_json_loads
from psycopg_pool import AsyncConnectionPool

Pool = AsyncConnectionPool[AsyncConnection[TupleRow]]


async def _configure(connection: AsyncConnection[TupleRow]) -> None:
    # json_agg results are decoded on every list and detail read: orjson is several times
    # faster than the standard library there.
    set_json_loads(orjson.loads, connection)


def create_pool(
    url: str,
    *,
    min_size: int = 2,
    max_size: int = 10,
    statement_timeout_ms: int = 5000,
    connect_timeout: float = 3.0,
    max_lifetime: float = 1800.0,
    reconnect_timeout: float = 5.0,
) -> Pool:
    """Build a pool for `url`; nothing connects until `await pool.open()`.

    Connections run in autocommit mode, so a read is one round trip; units of work open their
    transactions explicitly. statement_timeout travels in the startup packet (not a SET), so
    it also holds behind a transaction-mode pgbouncer.

    While PostgreSQL is away, each attempt to (re)connect backs off exponentially until
    `reconnect_timeout`, then gives up; the next request that finds no connection starts a
    fresh attempt. psycopg_pool's default (five minutes) would let the back-off grow so far
    that after a long outage the service stays unavailable for tens of seconds after the
    database is back.
    """
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        timeout=connect_timeout,
        max_lifetime=max_lifetime,
        reconnect_timeout=reconnect_timeout,
        check=AsyncConnectionPool.check_connection,
        configure=_configure,
        kwargs={
            "autocommit": True,
            "connect_timeout": max(1, round(connect_timeout)),
            "options": f"-c statement_timeout={statement_timeout_ms}",
        },
        name="library",
    )
