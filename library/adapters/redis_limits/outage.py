"""Whether Redis is away, for how long to leave it alone, and saying so once per outage."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Outage:
    """Track Redis's health for one limiter: log a warning when it fails, and once it is back.

    While it is away, `should_try` lets one request through per `cooldown` seconds (the probe;
    the others keep to the fallback), so a dead Redis costs one time-out per cooldown, not one
    per request. Failures after the first of an outage are logged at debug level only.

    Args:
        what: The limiter, as the log names it.
        fallback: What the limiter does instead while Redis is away, as the log says it.
        cooldown: Seconds between tries while Redis is away.
        clock: Seconds on a monotonic clock.
    """

    def __init__(
        self,
        what: str,
        fallback: str,
        *,
        cooldown: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._what = what
        self._fallback = fallback
        self._cooldown = cooldown
        self._clock = clock
        self._next_try: float | None = None  # None while Redis answers

    @property
    def ongoing(self) -> bool:
        return self._next_try is not None

    def should_try(self) -> bool:
        """Whether to send this request to Redis (always, unless it is away and cooling down)."""
        if self._next_try is None:
            return True
        now = self._clock()
        if now < self._next_try:
            return False
        # Pushing the next try back now, not when the probe ends, lets one probe through per
        # cooldown, and a probe that is cancelled leaves nothing to clean up.
        self._next_try = now + self._cooldown
        return True

    def failed(self, error: BaseException) -> None:
        if self._next_try is None:
            log.warning(
                "%s: Redis failed (%s: %s); %s, trying again every %.3gs",
                self._what,
                type(error).__name__,
                error,
                self._fallback,
                self._cooldown,
            )
        else:
            log.debug("%s: Redis still failing (%s: %s)", self._what, type(error).__name__, error)
        self._next_try = self._clock() + self._cooldown

    def recovered(self) -> None:
        if self._next_try is not None:
            log.info("%s: Redis is back; shared limits resumed", self._what)
            self._next_try = None
