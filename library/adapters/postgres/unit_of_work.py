"""One PostgreSQL transaction per use case."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from types import TracebackType

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from library.adapters.postgres.authors import PostgresAuthors
from library.adapters.postgres.books import PostgresBooks
from library.adapters.postgres.change_codec import ANONYMOUS, payloads
from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Pool
from library.adapters.postgres.reviews import PostgresReviews
from library.application.errors import ConcurrentUpdate
from library.application.events import EventBus
from library.application.unit_of_work import UnitOfWorkBase

log = logging.getLogger(__name__)


class PostgresUnitOfWork(UnitOfWorkBase):
    """Borrow a connection for the work, run it in one transaction, give it back.

    The pool's connections are in autocommit mode; the transaction is opened explicitly here,
    so reads outside units of work cost no BEGIN/COMMIT round trips. The work runs in
    psycopg's pipeline mode: BEGIN goes out with the first statement whose answer the work
    waits for, and statements it does not wait for (an UPDATE, a DELETE) go out with the
    NOTIFYs and the COMMIT, so a transaction costs no round trip of its own.
    """

    def __init__(
        self,
        pool: Pool,
        bus: EventBus,
        notify_channel: str | None = None,
        origin: str = ANONYMOUS,
    ) -> None:
        super().__init__(bus)
        self._pool = pool
        self._notify_channel = notify_channel
        self._origin = origin
        self._connection: AsyncConnection[TupleRow] | None = None
        self._pipeline = AsyncExitStack()
        self._commit_sent = False

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        broken = self._connection is not None and self._connection.broken
        await super().__aexit__(exc_type, exc, tb)
        if isinstance(exc, psycopg.Error):
            if broken and not self._commit_sent:
                # The connection died (idle in the pool since PostgreSQL restarted, say)
                # before COMMIT was sent: nothing was committed, so the work may run again,
                # on another connection once the pool has checked its idle ones.
                await self._pool.check()
                raise ConcurrentUpdate("the connection was lost before committing") from exc
            # A repository's statement failed: replace the driver's error by the
            # application's (ConcurrentUpdate lets the use case run again).
            async with translated():
                raise exc

    async def _begin(self) -> None:
        self._commit_sent = False
        async with translated():
            for attempt in range(2):
                self._connection = await self._pool.getconn()
                try:
                    await self._pipeline.enter_async_context(self._connection.pipeline())
                    await self._connection.execute("BEGIN")
                    break
                except psycopg.OperationalError:
                    broken = self._connection.broken
                    await self._release()
                    if attempt or not broken:
                        raise
                except BaseException:
                    await self._release()
                    raise
                # Found dead when BEGIN was sent: check the idle ones, take another.
                await self._pool.check()
        assert self._connection is not None
        self.authors = PostgresAuthors(self._connection)
        self.books = PostgresBooks(self._connection)
        self.reviews = PostgresReviews(self._connection)

    async def _commit(self) -> None:
        connection = self._connection
        assert connection is not None  # only called inside the block
        async with translated():
            if self._notify_channel is not None:
                # NOTIFY is delivered exactly when (and only if) the transaction commits, so
                # listeners hear of every committed change, even when this instance cannot
                # reach Redis.
                for payload in payloads(self._events, self._origin):
                    await connection.execute(
                        "SELECT pg_notify(%s, %s)", (self._notify_channel, payload.decode())
                    )
            self._commit_sent = True
            await connection.execute("COMMIT")
            await self._pipeline.aclose()  # sends what is queued and waits for every answer

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await self._leave_pipeline()
        finally:
            await self._pool.putconn(connection)

    async def _rollback(self) -> None:
        connection = self._connection
        if connection is None or connection.closed:
            return
        await self._leave_pipeline()
        try:
            await connection.execute("ROLLBACK")
        except psycopg.Error as error:
            # The connection broke; the pool discards it, and the server rolled back anyway.
            log.warning("ROLLBACK failed: %s", error)

    async def _leave_pipeline(self) -> None:
        """Leave pipeline mode (a no-op once left) after the work failed or was abandoned."""
        try:
            await self._pipeline.aclose()
        except psycopg.Error as error:
            # The error the work already raised, met again when the pipeline syncs.
            log.debug("pipeline closed on error: %s", error)
