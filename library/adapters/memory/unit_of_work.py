"""The in-memory unit of work: one serialised transaction over the store."""

from __future__ import annotations

import asyncio

from library.adapters.memory.repositories import (
    MemoryAuthorRepository,
    MemoryBookRepository,
    MemoryReviewRepository,
)
from library.adapters.memory.store import MemoryStore
from library.adapters.memory.transaction import MemoryTransaction
from library.application.events import EventBus
from library.application.unit_of_work import UnitOfWorkBase


class MemoryUnitOfWork(UnitOfWorkBase):
    """A transaction over `store`, holding the writers' lock from entry to exit.

    Writers never overlap, which gives what PostgreSQL's row locks and unique indexes give
    the use cases (no lost update, one winner among racing duplicate reviews) without
    conflict detection. Readers (the catalogue) never wait: they see the committed state.
    A task holding a unit of work must not open another on the same store (it would wait
    for itself).
    """

    def __init__(self, store: MemoryStore, bus: EventBus) -> None:
        super().__init__(bus)
        self._store = store
        self._tx = MemoryTransaction(store)
        self._lock: asyncio.Lock | None = None
        self.authors = MemoryAuthorRepository(self._tx)
        self.books = MemoryBookRepository(self._tx)
        self.reviews = MemoryReviewRepository(self._tx)

    async def _begin(self) -> None:
        lock = self._store.writer_lock()
        await lock.acquire()
        self._lock = lock
        self._tx.rollback()  # a reused unit of work starts clean

    async def _commit(self) -> None:
        self._tx.commit()

    async def _rollback(self) -> None:
        self._tx.rollback()

    async def _release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
