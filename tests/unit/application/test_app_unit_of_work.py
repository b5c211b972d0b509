"""The storage-independent part of every unit of work: events only after commit."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from library.application.events import EventBus
from library.application.unit_of_work import UnitOfWorkBase
from library.domain.events import BookChanged, DomainEvent, ReviewChanged


class Journal:
    """What happened, in order: storage steps and deliveries to subscribers."""

    def __init__(self) -> None:
        self.entries: list[object] = []

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        self.entries.append(("published", tuple(events)))


class StubUnitOfWork(UnitOfWorkBase):
    """A unit of work whose storage only writes down what it was asked to do."""

    def __init__(self, bus: EventBus, journal: Journal, *, fail_commit: bool = False) -> None:
        super().__init__(bus)
        self.journal = journal
        self.fail_commit = fail_commit

    async def _begin(self) -> None:
        self.journal.entries.append("begin")

    async def _commit(self) -> None:
        if self.fail_commit:
            raise ConnectionError("lost the database")
        self.journal.entries.append("commit")

    async def _rollback(self) -> None:
        self.journal.entries.append("rollback")

    async def _release(self) -> None:
        self.journal.entries.append("release")


async def test_events_are_published_after_the_commit() -> None:
    journal = Journal()
    uow = StubUnitOfWork(EventBus([journal]), journal)
    async with uow:
        uow.emit(BookChanged(1))
        uow.emit(ReviewChanged(1, 2))
        assert journal.entries == ["begin"]
        await uow.commit()
    assert journal.entries == [
        "begin",
        "commit",
        "release",
        ("published", (BookChanged(1), ReviewChanged(1, 2))),
    ]


async def _fail_inside(uow: StubUnitOfWork) -> None:
    async with uow:
        uow.emit(BookChanged(1))
        raise LookupError("use case failed")


async def _commit_once(uow: StubUnitOfWork) -> None:
    async with uow:
        uow.emit(BookChanged(1))
        await uow.commit()


async def test_leaving_without_commit_rolls_back_and_publishes_nothing() -> None:
    journal = Journal()
    uow = StubUnitOfWork(EventBus([journal]), journal)
    with pytest.raises(LookupError):
        await _fail_inside(uow)
    assert journal.entries == ["begin", "rollback", "release"]


async def test_a_failed_commit_rolls_back_and_publishes_nothing() -> None:
    journal = Journal()
    uow = StubUnitOfWork(EventBus([journal]), journal, fail_commit=True)
    with pytest.raises(ConnectionError):
        await _commit_once(uow)
    assert journal.entries == ["begin", "rollback", "release"]


async def test_a_reused_unit_of_work_starts_without_old_events() -> None:
    journal = Journal()
    uow = StubUnitOfWork(EventBus([journal]), journal)
    with pytest.raises(LookupError):
        await _fail_inside(uow)
    async with uow:
        uow.emit(BookChanged(2))
        await uow.commit()
    assert journal.entries[-1] == ("published", (BookChanged(2),))


async def test_a_commit_without_events_publishes_nothing() -> None:
    journal = Journal()
    uow = StubUnitOfWork(EventBus([journal]), journal)
    async with uow:
        await uow.commit()
    assert journal.entries == ["begin", "commit", "release"]


async def test_a_failing_subscriber_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    received: list[Sequence[DomainEvent]] = []

    async def broken(events: Sequence[DomainEvent]) -> None:
        raise RuntimeError("cache down")

    async def working(events: Sequence[DomainEvent]) -> None:
        received.append(events)

    bus = EventBus([broken])
    bus.subscribe(working)
    await bus.publish([BookChanged(3)])
    assert received == [[BookChanged(3)]]
    assert "failed" in caplog.text
