"""The part of every unit of work that is not storage: events, published after commit."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self

from library.application.events import EventBus
from library.application.ports import AuthorRepository, BookRepository, ReviewRepository
from library.domain.events import DomainEvent


class UnitOfWorkBase(abc.ABC):
    """Collect events during the work and publish them once the storage has committed.

    Subclasses provide the repositories and the transaction (`_begin`, `_commit`,
    `_rollback`, `_release`). Leaving the block without `commit` rolls back, and no event is
    published. Events go out after the storage is released (connection returned, lock
    freed), so a slow subscriber holds nothing and a subscriber may start work of its own.
    """

    authors: AuthorRepository
    books: BookRepository
    reviews: ReviewRepository

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._events: list[DomainEvent] = []
        self._committed = False

    def emit(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def __aenter__(self) -> Self:
        self._events = []
        self._committed = False
        await self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self._rollback()
        finally:
            await self._release()
        if self._committed:
            events, self._events = self._events, []
            await self._bus.publish(events)

    async def commit(self) -> None:
        """Make the work durable; its events are published when the block exits."""
        await self._commit()
        self._committed = True

    @abc.abstractmethod
    async def _begin(self) -> None: ...

    @abc.abstractmethod
    async def _commit(self) -> None: ...

    @abc.abstractmethod
    async def _rollback(self) -> None: ...

    @abc.abstractmethod
    async def _release(self) -> None:
        """Give back what `_begin` took (a connection, a lock), committed or not."""
