"""A circuit breaker, so that a dead or slow Redis costs one time-out, not one per request."""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """Closed while Redis answers; open for `cooldown` seconds after a failure.

    When the cooldown has passed, `should_probe` says so once (half-open): the cache then
    invalidates everything before it serves again, since writes may have gone unrecorded
    while it was away.
    """

    def __init__(self, cooldown: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._cooldown = cooldown
        self._clock = clock
        self._open_until: float | None = None
        self._probing = False

    @property
    def closed(self) -> bool:
        return self._open_until is None

    def should_probe(self) -> bool:
        """Whether the caller should try Redis now to close the breaker."""
        if self._open_until is None or self._probing:
            return False
        if self._clock() < self._open_until:
            return False
        self._probing = True
        return True

    def failed(self) -> None:
        self._open_until = self._clock() + self._cooldown
        self._probing = False

    def recovered(self) -> None:
        self._open_until = None
        self._probing = False
