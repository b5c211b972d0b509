"""The connection pool: built without connecting, opened and closed by the app's life cycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import orjson
import psycopg
from psycopg import AsyncConnection
from psycopg.rows import TupleRow
from psycopg.types.json import set_json_loads
from psycopg_pool import AsyncConnectionPool

Pool = AsyncConnectionPool[AsyncConnection[TupleRow]]
Connection = AsyncConnection[TupleRow]
T = TypeVar("T")


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

    Connections are handed out untested: a test costs a round trip on every request. One
    that died while idle fails its first statement instead; reads (`on_live_connection`)
    then check the idle ones and start over on another, and so does a unit of work that
    had not sent COMMIT yet (as a retried ConcurrentUpdate).
    """
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        timeout=connect_timeout,
        max_lifetime=max_lifetime,
        reconnect_timeout=reconnect_timeout,
        configure=_configure,
        kwargs={
            "autocommit": True,
            "connect_timeout": max(1, round(connect_timeout)),
            # JIT compiles a plan when its estimated cost is high, which for the search's
            # union of index scans means ~300 ms of compiling for a 20 ms query. Parallel
            # workers take 10-15 ms to start, more than most of these statements run, and
            # take cores from the requests beside them.
            "options": (
                f"-c statement_timeout={statement_timeout_ms} -c jit=off"
                " -c max_parallel_workers_per_gather=0"
            ),
        },
        name="library",
    )


async def on_live_connection(pool: Pool, work: Callable[[Connection], Awaitable[T]]) -> T:
    """Run `work` on a pooled connection, and once more on another if that one was dead.

    For work that is safe to repeat when the connection broke under it: reads. After a
    restart of PostgreSQL every idle connection is dead; the first to fail has the pool check
    the others, so one request does not meet them one by one.
    """
    used: Connection | None = None
    try:
        async with pool.connection() as used:
            return await work(used)
    except psycopg.OperationalError:
        if used is None or not used.broken:
            raise
    await pool.check()
    async with pool.connection() as connection:
        return await work(connection)


class PoolLifecycle:
    """Open the pool when the service starts, close it when it stops.

    It opens without waiting for PostgreSQL: an instance that starts while the database is
    away serves 503s (and /readyz says why) until it answers, then recovers by itself.
    """

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def start(self) -> None:
        await self._pool.open(wait=False)

    async def stop(self) -> None:
        await self._pool.close()
