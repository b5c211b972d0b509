"""Rate budgets, the decision taken for each request, and the limiter port."""

from __future__ import annotations

import math
import re
from typing import Protocol

from attrs import frozen

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*", re.IGNORECASE)


@frozen
class Rate:
    """`limit` requests in any window of `period` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read `600/minute` (also `10/second`, `5000/hour`, `100/day`, `30/5minutes`).

        Raises:
            ValueError: `text` is not such a rate, or its limit is below 1.
        """
        match = _RATE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a rate (such as 600/minute): {text!r}")
        limit, count, unit = int(match[1]), int(match[2] or 1), match[3].lower()
        if limit < 1 or count < 1:
            raise ValueError(f"a rate needs a limit and a period of at least 1: {text!r}")
        return cls(limit, count * PERIODS[unit])

    def __str__(self) -> str:
        for unit, seconds in PERIODS.items():
            if self.period == seconds:
                return f"{self.limit}/{unit}"
        return f"{self.limit}/{self.period}seconds"


@frozen
class RateDecision:
    """What the limiter decided for one request, with what the client is told about it.

    `reset_after`: seconds until the budget is whole again; `retry_after` (refusals only):
    seconds until one more request would be accepted.
    """

    allowed: bool
    rate: Rate
    remaining: int
    reset_after: float
    retry_after: float = 0.0

    @property
    def reset_seconds(self) -> int:
        return max(0, math.ceil(self.reset_after))

    @property
    def retry_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after))


class RateLimiter(Protocol):
    """Counts requests per client against a budget."""

    async def acquire(self, client: str, rate: Rate) -> RateDecision:
        """Count one request of `client` against `rate`, unless it is already spent.

        A refused request is not counted. `client` names the budget (the caller prefixes
        it by kind, so reads and writes of one client count apart).
        """
