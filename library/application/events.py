"""Hand committed domain events to whoever subscribed (the cache, mostly)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Protocol

from library.domain.events import DomainEvent

log = logging.getLogger(__name__)


class EventSubscriber(Protocol):
    async def __call__(self, events: Sequence[DomainEvent]) -> None: ...


class EventBus:
    """Deliver events to every subscriber, after the transaction that caused them committed.

    A subscriber that fails cannot undo the committed write, so its error is logged and the
    remaining subscribers still run; the subscriber itself is responsible for degrading safely
    (the cache bounds staleness on its own when it cannot invalidate).
    """

    def __init__(self, subscribers: Sequence[EventSubscriber] = ()) -> None:
        self._subscribers = list(subscribers)

    def subscribe(self, subscriber: EventSubscriber) -> None:
        self._subscribers.append(subscriber)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        for subscriber in self._subscribers:
            try:
                await subscriber(events)
            except Exception:
                log.exception("event subscriber %r failed", subscriber)


class DeliveryStatus:
    """How far changes committed by other instances are known to have reached this one.

    `caught_up_to` is a wall-clock time (`time.time()`): every change committed anywhere
    before it has been applied here. The listener that receives changes advances it each time
    it confirms that nothing older is still on its way, and sets `live` while connected;
    without a listener (one instance, nothing to hear) it is infinite. The cache serves
    entries of any age while `caught_up_to` is within its staleness bound, and only younger
    ones when it is not: a connection that hangs without failing then cannot keep old entries
    alive.
    """

    def __init__(self, live: bool = True) -> None:
        self.live = live
        self.caught_up_to = math.inf if live else -math.inf

    def caught_up(self, to: float) -> None:
        """Record that every change committed before `to` has been applied."""
        self.live = True
        self.caught_up_to = max(self.caught_up_to, to)

    def lost(self) -> None:
        """The listener is gone: `caught_up_to` stays, and ages."""
        self.live = False
