"""Rate limits counted in this process: exact, and shared with no other instance."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from library.application.access.rates import Rate, RateDecision

DEFAULT_MAX_CLIENTS = 100_000


class _Log:
    """The times of one client's accepted requests, oldest first."""

    __slots__ = ("period", "times")

    def __init__(self, period: int) -> None:
        self.period = period
        self.times: deque[float] = deque()

    def forget_before(self, cutoff: float) -> None:
        times = self.times
        while times and times[0] <= cutoff:
            times.popleft()


class LocalRateLimiter:
    """Count each client's requests in a sliding-window log held in this process.

    A request is accepted when fewer than `limit` accepted requests fall within the last
    `period` seconds (the window is `(now - period, now]`), so no window of `period` seconds
    ever holds more than `limit` accepted requests, and `retry_after` is exact. Memory stays
    bounded: a log holds at most `limit` times, a client whose window has emptied is
    forgotten, and beyond `max_clients` the least recently seen client is forgotten (its
    budget starts afresh if it comes back).

    Args:
        max_clients: How many clients to track at most.
        clock: Seconds on a monotonic clock (injectable for tests).
    """

    def __init__(
        self,
        *,
        max_clients: int = DEFAULT_MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_clients < 1:
            raise ValueError(f"max_clients must be at least 1, not {max_clients}")
        self._max_clients = max_clients
        self._clock = clock
        # Least recently seen first: the order in which empty logs are swept and logs evicted.
        self._logs: OrderedDict[str, _Log] = OrderedDict()

    @property
    def tracked_clients(self) -> int:
        """How many clients have a log in memory."""
        return len(self._logs)

    async def acquire(self, client: str, rate: Rate) -> RateDecision:
        """Count one request of `client` against `rate`, unless its window is full."""
        now = self._clock()
        log = self._logs.get(client)
        if log is None or log.period != rate.period:
            log = _Log(rate.period)
            self._logs[client] = log
        else:
            self._logs.move_to_end(client)
        log.forget_before(now - rate.period)
        times = log.times
        if len(times) < rate.limit:
            times.append(now)
            decision = RateDecision(True, rate, rate.limit - len(times), float(rate.period))
        else:
            decision = RateDecision(
                False,
                rate,
                remaining=0,
                reset_after=times[-1] + rate.period - now if times else float(rate.period),
                retry_after=_retry_after(times, rate, now),
            )
        self._sweep(now)
        return decision

    def _sweep(self, now: float) -> None:
        """Forget the least recently seen clients while their windows are empty, or too many."""
        logs = self._logs
        while len(logs) > self._max_clients:
            logs.popitem(last=False)
        # Looking at the head only keeps this O(1) per request on average: each log is
        # forgotten once, and a live head stops the sweep.
        while logs:
            client, log = next(iter(logs.items()))
            if log.times and log.times[-1] > now - log.period:
                return
            del logs[client]


def _retry_after(times: deque[float], rate: Rate, now: float) -> float:
    """Seconds until the window holds fewer accepted requests than the limit."""
    if rate.limit < 1:  # a budget of nothing (Rate does not forbid it): nothing ever frees
        return float(rate.period)
    # Below the limit once the (len - limit + 1)th oldest has left the window.
    return times[len(times) - rate.limit] + rate.period - now
