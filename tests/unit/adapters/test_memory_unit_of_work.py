"""Behaviour of the memory unit of work that the contract suite cannot see from outside."""

from __future__ import annotations

import asyncio

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.application.events import EventBus
from library.domain.books import BookData, Title


def _book(title: str) -> BookData:
    return BookData(Title(title))


def test_one_store_serves_several_event_loops() -> None:
    # Test clients may run each request in an event loop of its own; the writers' lock
    # must not stay bound to the first loop it waited in.
    store = MemoryStore()
    bus = EventBus()

    async def contended_writes(title: str) -> None:
        async def write(n: int) -> None:
            async with MemoryUnitOfWork(store, bus) as uow:
                await uow.books.add(_book(f"{title} {n}"), ())
                await asyncio.sleep(0)
                await uow.commit()

        await asyncio.gather(*(write(n) for n in range(3)))

    asyncio.run(contended_writes("first"))
    asyncio.run(contended_writes("second"))
    assert len(store.books) == 6


async def test_writers_wait_for_each_other_and_readers_do_not() -> None:
    store = MemoryStore()
    bus = EventBus()
    catalogue = MemoryCatalogue(store)
    order: list[str] = []
    entered = asyncio.Event()
    release = asyncio.Event()

    async def first() -> None:
        async with MemoryUnitOfWork(store, bus) as uow:
            order.append("first in")
            entered.set()
            await release.wait()
            await uow.books.add(_book("First"), ())
            await uow.commit()
        order.append("first out")

    async def second() -> None:
        await entered.wait()
        async with MemoryUnitOfWork(store, bus):
            order.append("second in")

    tasks = [asyncio.create_task(first()), asyncio.create_task(second())]
    await entered.wait()
    await asyncio.sleep(0.01)
    assert await catalogue.book(1) is None  # a reader is not blocked by the writer
    assert order == ["first in"]
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["first in", "first out", "second in"]


async def test_a_unit_of_work_can_be_used_again_and_starts_clean() -> None:
    store = MemoryStore()
    uow = MemoryUnitOfWork(store, EventBus())
    async with uow:
        await uow.books.add(_book("Discarded"), ())
    async with uow:
        assert await uow.books.get(1) is None
        book = await uow.books.add(_book("Kept"), ())
        await uow.commit()
    assert store.books[book.id].title.value == "Kept"
    assert book.id == 2
