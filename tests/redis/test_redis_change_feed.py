"""The change feed against this run's PostgreSQL: what it delivers, and how far it vouches.

The cache's staleness bound rests on one property of PostgreSQL checked first: a listener
receives the notifications of every transaction that committed before it asked a question
ahead of the answer to that question.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence

import psycopg
import pytest
from psycopg import sql

from library.adapters.postgres.change_codec import payloads
from library.adapters.postgres.change_feed import ChangeFeed
from library.application.events import DeliveryStatus
from library.domain.events import AuthorChanged, BookChanged, DomainEvent, ReviewChanged

CHANNEL = "library_changes_feed_test"
OWN = "0123456789abcdef"  # the origin of the instance the feed belongs to


async def notify(url: str, *payload_texts: str) -> None:
    connection = await psycopg.AsyncConnection.connect(url, autocommit=True)
    async with connection, connection.transaction():
        for text in payload_texts:
            await connection.execute(
                sql.SQL("NOTIFY {}, {}").format(sql.Identifier(CHANNEL), sql.Literal(text))
            )


async def test_notifications_committed_before_a_question_arrive_before_its_answer(
    postgres_url: str,
) -> None:
    async with (
        await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as listener,
        await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as writer,
    ):
        await listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        for n in range(100):
            await writer.execute(
                sql.SQL("NOTIFY {}, {}").format(sql.Identifier(CHANNEL), sql.Literal(str(n)))
            )
            await listener.execute("SELECT 1")
            received = [notify.payload async for notify in listener.notifies(timeout=0)]
            assert received == [str(n)]


class Recorder:
    def __init__(self) -> None:
        self.delivered: list[DomainEvent] = []
        self.resyncs = 0
        self.changed = asyncio.Event()

    async def deliver(self, events: Sequence[DomainEvent]) -> None:
        self.delivered.extend(events)
        self.changed.set()

    async def resync(self) -> bool:
        self.resyncs += 1
        self.changed.set()
        return True

    async def wait(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 5
        while not condition():
            self.changed.clear()
            remaining = deadline - time.monotonic()
            assert remaining > 0, "nothing came"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)


@pytest.fixture
async def feed(postgres_url: str) -> AsyncIterator[tuple[ChangeFeed, Recorder, DeliveryStatus]]:
    recorder = Recorder()
    status = DeliveryStatus()
    feed = ChangeFeed(
        postgres_url,
        recorder.deliver,
        recorder.resync,
        status,
        heartbeat=0.1,
        channel=CHANNEL,
        origin=OWN,
    )
    assert not status.live
    assert status.caught_up_to == float("-inf")  # nothing heard yet: vouch for nothing
    await feed.start()
    await recorder.wait(lambda: status.live)
    yield feed, recorder, status
    await feed.stop()
    assert not status.live


async def test_the_feed_resyncs_when_it_starts_listening(
    feed: tuple[ChangeFeed, Recorder, DeliveryStatus],
) -> None:
    _, recorder, status = feed
    assert recorder.resyncs == 1
    assert status.caught_up_to <= time.time()


async def test_events_come_through_in_order(
    feed: tuple[ChangeFeed, Recorder, DeliveryStatus], postgres_url: str
) -> None:
    _, recorder, _ = feed
    events: list[DomainEvent] = [
        BookChanged(1, frozenset({2})),
        ReviewChanged(1, 9),
        AuthorChanged(2, frozenset({1, 3})),
    ]
    await notify(postgres_url, *(p.decode() for p in payloads(events)))
    await recorder.wait(lambda: len(recorder.delivered) == 3)
    assert recorder.delivered == events


async def test_changes_of_its_own_instance_are_skipped(
    feed: tuple[ChangeFeed, Recorder, DeliveryStatus], postgres_url: str
) -> None:
    """The instance's writers applied them right after committing; only others' arrive."""
    _, recorder, _ = feed
    own, other = ReviewChanged(1, 1), ReviewChanged(2, 2)
    await notify(
        postgres_url,
        *(p.decode() for p in payloads([own], OWN)),
        *(p.decode() for p in payloads([other], "fedcba9876543210")),
    )
    await recorder.wait(lambda: len(recorder.delivered) == 1)
    await asyncio.sleep(0.3)  # two heartbeats: the own change had every chance to arrive
    assert recorder.delivered == [other]


@pytest.mark.parametrize(
    "payload", ['"*"', "garbage", '- [["book", "1", []]]', '[["book",1,[]]]', "- ", ""]
)
async def test_a_payload_it_cannot_read_means_resync(
    feed: tuple[ChangeFeed, Recorder, DeliveryStatus], postgres_url: str, payload: str
) -> None:
    _, recorder, _ = feed
    before = recorder.resyncs
    await notify(postgres_url, payload)
    await recorder.wait(lambda: recorder.resyncs == before + 1)
    assert recorder.delivered == []


async def test_the_feed_keeps_vouching_while_it_hears_the_server(
    feed: tuple[ChangeFeed, Recorder, DeliveryStatus],
) -> None:
    _, _, status = feed
    for _ in range(3):
        await asyncio.sleep(0.3)
        assert time.time() - status.caught_up_to < 0.5


async def test_a_failing_subscriber_does_not_stop_the_feed(postgres_url: str) -> None:
    recorder = Recorder()
    failures = 0

    async def deliver(events: Sequence[DomainEvent]) -> None:
        nonlocal failures
        if failures == 0:
            failures += 1
            raise RuntimeError("a bug in a subscriber")
        await recorder.deliver(events)

    status = DeliveryStatus()
    feed = ChangeFeed(
        postgres_url, deliver, recorder.resync, status, heartbeat=0.1, channel=CHANNEL
    )
    await feed.start()
    try:
        await recorder.wait(lambda: status.live)
        await notify(postgres_url, *(p.decode() for p in payloads([ReviewChanged(1, 1)])))
        await recorder.wait(lambda: recorder.resyncs == 2)  # reconnected, resynchronised
        await notify(postgres_url, *(p.decode() for p in payloads([ReviewChanged(2, 2)])))
        await recorder.wait(lambda: recorder.delivered == [ReviewChanged(2, 2)])
    finally:
        await feed.stop()
