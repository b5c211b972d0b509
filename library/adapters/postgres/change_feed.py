"""Committed changes from every instance, heard through PostgreSQL LISTEN/NOTIFY.

Writers send NOTIFY inside their transaction, so a change is announced exactly when it
commits, even when the writer cannot reach Redis. Each instance listens and applies what it
hears to the cache; `live` says whether it is listening right now.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import psycopg
from psycopg.abc import Query

from library.adapters.postgres.change_codec import ANONYMOUS, events_of, origin_of
from library.application.events import DeliveryStatus
from library.domain.events import DomainEvent

log = logging.getLogger(__name__)

CHANNEL = "library_changes"


class ChangeFeed:
    """Listen on CHANNEL, reconnecting forever; hand events to `deliver`.

    `resync` runs whenever the feed (re)connects and when a payload says "everything": the
    feed cannot know what it missed while it was away. Every `heartbeat` seconds the feed
    asks the server a question; PostgreSQL sends a listener the notifications of every
    transaction that committed before the question ahead of its answer, so once they are
    applied, `status` is caught up to the time the question was asked. A connection that
    hangs instead of failing therefore stops advancing `status`, which is what the cache's
    staleness bound is measured against.
    """

    def __init__(
        self,
        url: str,
        deliver: Callable[[Sequence[DomainEvent]], Awaitable[None]],
        resync: Callable[[], Awaitable[object]],
        status: DeliveryStatus,
        *,
        heartbeat: float = 1.0,
        channel: str = CHANNEL,
        origin: str = ANONYMOUS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Listen for changes; those written by `origin` (this instance) are skipped."""
        self._url = url
        self._origin = origin
        self._deliver = deliver
        self._resync = resync
        self._heartbeat = heartbeat
        self._channel = channel
        self._status = status
        self._clock = clock
        status.lost()  # until the first LISTEN succeeds
        status.caught_up_to = -math.inf
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="library-change-feed")

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._status.lost()
        if task is not None:
            task.cancel()
            # Bounded: shutting down must not wait on a connection that does not answer.
            await asyncio.wait({task}, timeout=5)

    async def _run(self) -> None:
        delay = 0.1
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError, TimeoutError) as error:
                if self._status.live:
                    log.warning("change feed lost (%s); reconnecting", error)
            except Exception:
                # Whatever `deliver` or `resync` raised: the feed must outlive it, since an
                # instance that stops listening can only serve young entries from then on.
                log.exception("change feed failed; reconnecting")
            if self._status.live:
                delay = 0.1
            self._status.lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _listen(self) -> None:
        connection = await psycopg.AsyncConnection.connect(
            self._url, autocommit=True, connect_timeout=max(2, round(self._heartbeat * 3))
        )
        try:
            listening_since = self._clock()
            await self._ask(
                connection,
                psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(self._channel)),
            )
            # Changes committed before LISTEN were not heard: forget whatever they changed.
            await self._resync()
            self._status.caught_up(listening_since)
            log.info("change feed listening on %s", self._channel)
            while True:
                await self._apply(connection, wait=self._heartbeat)
                # A quiet channel and a dead connection look alike: ask the server.
                asked_at = self._clock()
                await self._ask(connection, "SELECT 1")
                await self._apply(connection, wait=0)  # what came in ahead of the answer
                self._status.caught_up(asked_at)
        finally:
            # Not `async with`: leaving it rolls back first, which hangs on a dead link.
            await connection.close()

    async def _ask(self, connection: psycopg.AsyncConnection[Any], query: Query) -> None:
        await asyncio.wait_for(connection.execute(query), max(self._heartbeat * 2, 0.5))

    async def _apply(self, connection: psycopg.AsyncConnection[Any], *, wait: float) -> None:
        """Apply the notifications that arrive within `wait` seconds (0: those already in)."""
        async for notify in connection.notifies(timeout=wait):
            if self._origin != ANONYMOUS and origin_of(notify.payload) == self._origin:
                continue  # applied by the writer itself, right after it committed
            events = events_of(notify.payload)
            if events is None:
                await self._resync()
            else:
                await self._deliver(events)
