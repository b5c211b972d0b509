"""Write budgets shared exactly by every instance: a sliding-window log in Redis."""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence

from library.adapters.redis_limits.clients import REDIS_FAILURES, RedisClient
from library.adapters.redis_limits.keys import LimitKeys
from library.adapters.redis_limits.outage import Outage
from library.adapters.redis_limits.scripts import SLIDING_WINDOW
from library.application.access.rates import Rate, RateDecision, RateLimiter

MICROSECONDS = 1_000_000


class RedisWriteLimiter:
    """Count each client's requests in a sliding-window log in Redis, exact across instances.

    One script call per request (EVALSHA of `SLIDING_WINDOW`, one key, hash-tagged per
    client so it works on Redis Cluster) trims the window, counts, adds the request if the
    budget allows and returns what the headers need, on Redis's clock. When Redis fails, the
    limiter uses `fallback` (per-process limits) for `cooldown` seconds before trying Redis
    again, logging a warning once per outage and once when Redis is back; `acquire` never
    raises because of Redis. What the fallback counted is not carried over to Redis.

    Args:
        client: A redis-py asyncio client (or cluster client) with short time-outs.
        namespace: The namespace of this deployment's keys.
        fallback: Where to count while Redis is away (a `LocalRateLimiter`).
        cooldown: Seconds between tries while Redis is away.
    """

    def __init__(
        self,
        client: RedisClient,
        namespace: str,
        fallback: RateLimiter,
        *,
        cooldown: float = 1.0,
    ) -> None:
        self._script = client.register_script(SLIDING_WINDOW)
        self._keys = LimitKeys(namespace)
        self._fallback = fallback
        self._outage = Outage("write rate limits", "counting per process", cooldown=cooldown)
        # Request ids must be unique within a window across instances: a random prefix each.
        self._instance = os.urandom(8).hex()
        self._sequence = itertools.count()

    @property
    def shared(self) -> bool:
        """Whether budgets are counted in Redis (False while it is away)."""
        return not self._outage.ongoing

    async def acquire(self, client: str, rate: Rate) -> RateDecision:
        """Count one request of `client` against `rate` in Redis, or in the fallback."""
        if self._outage.should_try():
            request_id = f"{self._instance}:{next(self._sequence)}"
            try:
                reply = await self._script(
                    keys=[self._keys.log(client)],
                    args=[rate.limit, rate.period * MICROSECONDS, request_id],
                )
                decision = _decision(reply, rate)
            except REDIS_FAILURES as error:
                self._outage.failed(error)
            else:
                self._outage.recovered()
                return decision
        return await self._fallback.acquire(client, rate)


def _decision(reply: Sequence[int], rate: Rate) -> RateDecision:
    allowed, count, reset_us, retry_us = (int(value) for value in reply)
    return RateDecision(
        allowed=allowed == 1,
        rate=rate,
        remaining=max(0, rate.limit - count),
        reset_after=reset_us / MICROSECONDS,
        retry_after=retry_us / MICROSECONDS,
    )
