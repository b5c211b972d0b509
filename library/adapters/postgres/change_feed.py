"""Committed changes from every instance, heard through PostgreSQL LISTEN/NOTIFY.

Writers send NOTIFY inside their transaction, so a change is announced exactly when it
commits, even when the writer cannot reach Redis. Each instance listens and applies what it
hears to the cache; `live` says whether it is listening right now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import psycopg

from library.adapters.postgres.change_codec import events_of
from library.application.events import DeliveryStatus
from library.domain.events import DomainEvent

log = logging.getLogger(__name__)

CHANNEL = "library_changes"


class ChangeFeed:
    """Listen on CHANNEL, reconnecting forever; hand events to `deliver`.

    `resync` runs whenever the feed (re)connects and when a payload says "everything": the
    feed cannot know what it missed while it was away.
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
    ) -> None:
        self._url = url
        self._deliver = deliver
        self._resync = resync
        self._heartbeat = heartbeat
        self._channel = channel
        self._status = status
        self._status.live = False  # until the first LISTEN succeeds
        self._task: asyncio.Task[None] | None = None

    @property
    def _live(self) -> bool:
        return self._status.live

    @_live.setter
    def _live(self, live: bool) -> None:
        self._status.live = live

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="library-change-feed")

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._live = False
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        delay = 0.1
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError, TimeoutError) as error:
                if self._live:
                    log.warning("change feed lost (%s); reconnecting", error)
            self._live = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _listen(self) -> None:
        connection = await psycopg.AsyncConnection.connect(
            self._url, autocommit=True, connect_timeout=max(1, round(self._heartbeat * 3))
        )
        async with connection:
            await connection.execute(
                psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(self._channel))
            )
            await self._resync()
            self._live = True
            log.info("change feed listening on %s", self._channel)
            while True:
                async for notify in connection.notifies(timeout=self._heartbeat):
                    events = events_of(notify.payload)
                    if events is None:
                        await self._resync()
                    else:
                        await self._deliver(events)
                # A quiet channel and a dead connection look alike: ask the server.
                await asyncio.wait_for(connection.execute("SELECT 1"), self._heartbeat * 2)
