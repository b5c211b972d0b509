"""Hand committed domain events to whoever subscribed (the cache, mostly)."""

from __future__ import annotations

import logging
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
    """Whether changes committed by other instances reach this one right now.

    The listener that receives them sets `live`; the cache reads it to decide whether it may
    trust entries of any age (live) or only those within its staleness bound.
    """

    def __init__(self, live: bool = True) -> None:
        self.live = live
