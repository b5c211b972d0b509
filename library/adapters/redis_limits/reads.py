"""Read budgets counted in process and shared through Redis in the background."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from library.adapters.redis_limits.clients import REDIS_FAILURES, RedisClient
from library.adapters.redis_limits.keys import LimitKeys
from library.adapters.redis_limits.outage import Outage
from library.application.access.rates import Rate, RateDecision

log = logging.getLogger(__name__)

DEFAULT_MAX_CLIENTS = 100_000


class _Tally:
    """One client's count in one fixed window, as this instance knows it."""

    __slots__ = ("in_flight", "key", "known", "limit", "pending", "period", "reread", "window")

    def __init__(self, window: int, period: int, limit: int) -> None:
        self.window = window
        self.period = period
        self.limit = limit
        self.known = 0  # the window's total across instances, as Redis last reported it
        self.in_flight = 0  # accepted here, sent to Redis, not yet in `known`
        self.pending = 0  # accepted here since, not yet sent
        self.key: str | None = None  # named at the first sync: off the request's path
        self.reread = False  # sent a count at the last sync: read the total at the next

    @property
    def used(self) -> int:
        return self.known + self.in_flight + self.pending


class RedisReadLimiter:
    """Count each client's requests in fixed windows here, and share the counts every interval.

    Windows are `period` seconds long, aligned to the epoch (window number
    `floor(now / period)`, on this host's clock). A request is accepted while the window's
    total as Redis last reported it, plus what this instance accepted since, is below the
    limit, so `acquire` costs no round trip. A background task (`start`, `stop`) sends, every
    `interval` seconds, one pipeline with each client's new count (INCRBY of the window's
    key, EXPIRE to twice the period) and keeps the totals Redis returns. A client counted at
    one sync is read back (GET) at the next, even with nothing new to send, so instances
    serving a client at the same time learn each other's counts within two intervals.

    Overshoot bound: an instance decides on the total Redis held at its last sync, so it
    misses only what the others had not yet sent by then. Take the instance whose last count
    of the window was sent last: every other instance had sent it everything but its own
    last count, so the total accepted for a client in one window is at most `limit` plus,
    for every instance but one, what it accepted of that client between two of its syncs
    (one interval, plus the sync's round trip and any lateness of the event loop). Hence,
    with `instances` instances each receiving at most `r` of the client's requests a second:

        total per window <= limit + (instances - 1) * min(limit, r * interval)

    and never more than `instances * limit`. A client sending to each instance at the
    budget's own rate (`r = limit / period`) gets at most
    `limit * (1 + (instances - 1) * interval / period)`, within the simpler
    `limit + instances * (limit / period) * interval`; a faster client gets more (a burst of
    `limit` requests on every instance within one interval is accepted everywhere). The bound
    holds while Redis answers (during an outage each instance counts alone), and on clocks
    that agree to well within a period (NTP): an instance whose clock is off counts its
    requests near a boundary in the neighbouring window.

    When Redis fails, counting goes on here alone (per-process limits), unsent counts are
    kept for the next sync (a count that reached Redis before a time-out may then be counted
    twice, which only tightens the limit); a warning is logged once per outage, and a line
    when Redis is back. Clients of past windows are forgotten at each sync, and beyond
    `max_clients` the least recently seen client is (with its unsent count).

    Args:
        client: A redis-py asyncio client (or cluster client) with short time-outs.
        namespace: The namespace of this deployment's keys.
        interval: Seconds between syncs.
        clock: Seconds since the epoch (the same clock on every instance).
        max_clients: How many clients to track at most.
    """

    def __init__(
        self,
        client: RedisClient,
        namespace: str,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.time,
        max_clients: int = DEFAULT_MAX_CLIENTS,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive, not {interval}")
        if max_clients < 1:
            raise ValueError(f"max_clients must be at least 1, not {max_clients}")
        self._client = client
        self._keys = LimitKeys(namespace)
        self._interval = interval
        self._clock = clock
        self._max_clients = max_clients
        # Least recently seen first: the order in which clients are evicted.
        self._tallies: OrderedDict[str, _Tally] = OrderedDict()
        self._outage = Outage("read rate limits", "counting per process", cooldown=interval)
        self._task: asyncio.Task[None] | None = None

    @property
    def shared(self) -> bool:
        """Whether the last sync reached Redis."""
        return not self._outage.ongoing

    @property
    def tracked_clients(self) -> int:
        return len(self._tallies)

    async def acquire(self, client: str, rate: Rate) -> RateDecision:
        """Count one request of `client` against `rate` in this window, without Redis."""
        now = self._clock()
        window = int(now // rate.period)
        tally = self._tallies.get(client)
        if tally is None or tally.window != window or tally.period != rate.period:
            tally = _Tally(window, rate.period, rate.limit)
            self._tallies[client] = tally
            self._tallies.move_to_end(client)
            if len(self._tallies) > self._max_clients:
                self._tallies.popitem(last=False)
        else:
            self._tallies.move_to_end(client)
            tally.limit = rate.limit
        used = tally.used
        reset_after = (window + 1) * rate.period - now
        if used >= rate.limit:
            return RateDecision(False, rate, 0, reset_after, retry_after=reset_after)
        tally.pending += 1
        return RateDecision(True, rate, rate.limit - used - 1, reset_after)

    async def start(self) -> None:
        """Start syncing every interval (until `stop`)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="read rate limits sync")

    async def stop(self) -> None:
        """Stop syncing, at once: a sync under way is abandoned, its counts kept unsent.

        Raises:
            Exception: Whatever ended the sync task other than a Redis failure (a bug).
        """
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        # `wait` rather than awaiting the task: a cancellation of `stop` itself propagates.
        await asyncio.wait({task})
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error

    async def sync(self) -> None:
        """Send the counts accepted here since the last sync, and learn the windows' totals.

        What the background task does every interval. A Redis failure is logged, not raised;
        the counts are sent again next time.
        """
        self._forget_past_windows(self._clock())
        sent: list[tuple[_Tally, int]] = []  # with the count sent (0: only read back)
        pipeline = self._client.pipeline(transaction=False)
        for client, tally in self._tallies.items():
            if tally.pending:
                if tally.key is None:
                    tally.key = self._keys.window(self._keys.tag(client), tally.window)
                count, tally.pending = tally.pending, 0
                tally.in_flight += count
                sent.append((tally, count))
                pipeline.incrby(tally.key, count)
                pipeline.expire(tally.key, 2 * tally.period)
            elif tally.reread and tally.key is not None and tally.known < tally.limit:
                sent.append((tally, 0))
                pipeline.get(tally.key)
        if not sent:
            return
        try:
            totals = _totals(await pipeline.execute(), sent)
        except REDIS_FAILURES as error:
            _unsend(sent)
            self._outage.failed(error)
            return
        except asyncio.CancelledError:  # stopped: keep the counts for a later sync
            _unsend(sent)
            raise
        self._outage.recovered()
        for (tally, count), total in zip(sent, totals, strict=True):
            tally.in_flight -= count
            # Within a window totals only grow; a smaller one means Redis lost the key.
            tally.known = max(tally.known, total)
            tally.reread = count > 0

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.sync()
            except Exception:
                log.exception("read rate limits: the sync failed unexpectedly; syncing stops")
                raise

    def _forget_past_windows(self, now: float) -> None:
        past = [
            client for client, tally in self._tallies.items() if tally.window < now // tally.period
        ]
        for client in past:
            del self._tallies[client]


def _totals(replies: list[object], sent: list[tuple[_Tally, int]]) -> list[int]:
    """The window totals in a pipeline's replies: INCRBY's (and EXPIRE's) or GET's."""
    totals = []
    position = 0
    for _, count in sent:
        reply = replies[position]
        if reply is None:  # GET of a key that has gone: nothing counted
            totals.append(0)
        elif isinstance(reply, int | str | bytes):
            totals.append(int(reply))
        else:
            raise TypeError(f"not a count: {reply!r}")
        position += 2 if count else 1
    return totals


def _unsend(sent: list[tuple[_Tally, int]]) -> None:
    """Put counts whose sync failed back among the pending ones, to be sent next time."""
    for tally, count in sent:
        tally.in_flight -= count
        tally.pending += count
