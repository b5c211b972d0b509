"""One PostgreSQL transaction per use case."""

from __future__ import annotations

import logging
from types import TracebackType

import psycopg
from psycopg import AsyncConnection, sql
from psycopg.rows import TupleRow

from library.adapters.postgres.authors import PostgresAuthors
from library.adapters.postgres.books import PostgresBooks
from library.adapters.postgres.change_codec import ANONYMOUS, payloads
from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Pool, begin
from library.adapters.postgres.reviews import PostgresReviews
from library.application.events import EventBus
from library.application.unit_of_work import UnitOfWorkBase

log = logging.getLogger(__name__)


class PostgresUnitOfWork(UnitOfWorkBase):
    """Borrow a connection for the work, run it in one transaction, give it back.

    The pool's connections are in autocommit mode; the transaction is opened explicitly here,
    so reads outside units of work cost no BEGIN/COMMIT round trips.
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

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await super().__aexit__(exc_type, exc, tb)
        if isinstance(exc, psycopg.Error):
            # A repository's statement failed: replace the driver's error by the
            # application's (ConcurrentUpdate lets the use case run again).
            async with translated():
                raise exc

    async def _begin(self) -> None:
        async with translated():
            self._connection = await begin(self._pool)
        self.authors = PostgresAuthors(self._connection)
        self.books = PostgresBooks(self._connection)
        self.reviews = PostgresReviews(self._connection)

    async def _commit(self) -> None:
        assert self._connection is not None  # only called inside the block
        async with translated():
            await self._connection.execute(self._commit_statement())

    def _commit_statement(self) -> sql.Composed | str:
        """COMMIT, preceded by NOTIFY of the events when other instances listen for them.

        NOTIFY is delivered exactly when (and only if) the transaction commits, so listeners
        hear of every committed change, even when this instance cannot reach Redis. Sent in
        the same round trip as COMMIT (a simple query, so values are quoted client-side).
        """
        if self._notify_channel is None or not self._events:
            return "COMMIT"
        channel = sql.Identifier(self._notify_channel)
        notifies = [
            sql.SQL("NOTIFY {}, {};").format(channel, sql.Literal(payload.decode()))
            for payload in payloads(self._events, self._origin)
        ]
        return sql.SQL(" ").join([*notifies, sql.SQL("COMMIT")])

    async def _release(self) -> None:
        if self._connection is not None:
            await self._pool.putconn(self._connection)
            self._connection = None

    async def _rollback(self) -> None:
        if self._connection is None or self._connection.closed:
            return
        try:
            await self._connection.execute("ROLLBACK")
        except psycopg.Error as error:
            # The connection broke; the pool discards it, and the server rolled back anyway.
            log.warning("ROLLBACK failed: %s", error)
