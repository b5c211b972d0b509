"""The rate limiters on the machine's Redis (and on a cluster the tests start).

Writes: an exact sliding window shared by every instance, one script call per request, and a
per-process fallback while Redis is away. Reads: counted in process, shared every interval,
within a stated overshoot. Each instance has a client of its own; a TCP proxy between one
instance and Redis is cut (connections reset, new ones refused) or frozen (nothing passes) to
make Redis go away for that instance only. Every key lives under a namespace of the test's
own, deleted afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio

from library.adapters.memory import LocalRateLimiter
from library.adapters.redis_cache import create_client
from library.adapters.redis_limits import RedisReadLimiter, RedisWriteLimiter
from library.application.access.rates import Rate, RateDecision
from tests.redis_support import REDIS_URL, TcpProxy, address_of, unique_namespace

TIMEOUT = 0.05  # the clients' socket time-out, as LIBRARY_REDIS_TIMEOUT would set it
COOLDOWN = 0.3
INTERVAL = 0.05
LOGGER = "library.adapters.redis_limits"


async def delete_limits(client: Any, namespace: str) -> None:
    """Delete the rate limits' keys of `namespace` (never FLUSHDB: the server is shared)."""
    async for key in client.scan_iter(match=f"{{{namespace}:rl:*", count=1000):
        await client.delete(key)


async def total_counted(client: Any, namespace: str) -> int:
    """What the read limiters' window counters of `namespace` hold, summed."""
    total = 0
    async for key in client.scan_iter(match=f"{{{namespace}:rl:*}}:[0-9]*", count=1000):
        total += int(await client.get(key) or 0)
    return total


@pytest.fixture
async def namespace() -> AsyncIterator[str]:
    name = unique_namespace("limits")
    yield name
    client = redis.asyncio.from_url(REDIS_URL)
    try:
        await delete_limits(client, name)
    finally:
        await client.aclose()


@pytest.fixture
async def direct() -> AsyncIterator[Any]:
    """A client of the machine's Redis, with the service's short time-outs."""
    client = create_client(REDIS_URL, cluster=False, timeout=TIMEOUT)
    yield client
    await client.aclose()


@pytest.fixture
async def other() -> AsyncIterator[Any]:
    """A second client, as a second instance of the service has."""
    client = create_client(REDIS_URL, cluster=False, timeout=TIMEOUT)
    yield client
    await client.aclose()


@contextlib.asynccontextmanager
async def through_proxy(*, socket_timeout: float = TIMEOUT) -> AsyncIterator[tuple[TcpProxy, Any]]:
    """A proxy to the machine's Redis, and a client that reaches Redis through it."""
    async with TcpProxy(*address_of(REDIS_URL)) as proxy:
        client = create_client(proxy.url(REDIS_URL), cluster=False, timeout=socket_timeout)
        try:
            yield proxy, client
        finally:
            await client.aclose()


async def timed_acquire(
    limiter: RedisWriteLimiter, client: str, rate: Rate
) -> tuple[RateDecision, float]:
    started = time.perf_counter()
    decision = await limiter.acquire(client, rate)
    return decision, time.perf_counter() - started


class AlignedClock:
    """`time.time`, shifted so that a test starts at the beginning of a window of `period`
    seconds (no window ends in the middle of it unless it runs that long); it remembers its
    last reading, so that a test knows in which window a decision was taken."""

    def __init__(self, period: int) -> None:
        now = time.time()
        self._offset = (math.floor(now / period) + 1) * period - now + 0.001
        self.last = 0.0

    def __call__(self) -> float:
        self.last = time.time() + self._offset
        return self.last


# ---------------------------------------------------------------------------------------------
# Writes: one exact budget for every instance


async def test_a_burst_over_two_instances_has_exactly_its_excess_refused(
    namespace: str, direct: Any, other: Any
) -> None:
    rate, excess = Rate(20, 2), 7
    instances = [RedisWriteLimiter(c, namespace, LocalRateLimiter()) for c in (direct, other)]
    # Connect and load the script first, so that the burst is only counting.
    await asyncio.gather(*(limiter.acquire("w:key:warm-up", rate) for limiter in instances))

    started = time.monotonic()
    decisions = await asyncio.gather(
        *(instances[i % 2].acquire("w:key:burst", rate) for i in range(rate.limit + excess))
    )
    elapsed = time.monotonic() - started

    assert all(limiter.shared for limiter in instances)
    accepted = [d for d in decisions if d.allowed]
    refused = [d for d in decisions if not d.allowed]
    assert len(refused) == excess
    # Counted one at a time: every accepted request saw a different count.
    assert sorted(d.remaining for d in accepted) == list(range(rate.limit))
    for decision in refused:
        assert decision.remaining == 0
        # The oldest accepted request came at the earliest at the burst's start.
        assert rate.period - elapsed - 0.01 <= decision.retry_after <= rate.period
        assert decision.retry_after <= decision.reset_after <= rate.period
    # Both instances agree that the budget is spent.
    for limiter in instances:
        assert not (await limiter.acquire("w:key:burst", rate)).allowed


async def test_the_window_slides_on_redis_clock(namespace: str, direct: Any, other: Any) -> None:
    rate = Rate(3, 1)
    one = RedisWriteLimiter(direct, namespace, LocalRateLimiter())
    two = RedisWriteLimiter(other, namespace, LocalRateLimiter())
    assert (await one.acquire("w:key:a", rate)).allowed
    await asyncio.sleep(0.3)
    for _ in range(rate.limit - 1):
        assert (await one.acquire("w:key:a", rate)).allowed
    refused = await two.acquire("w:key:a", rate)
    assert not refused.allowed
    # The first request leaves the window first, the last two a third of a second later.
    assert 0.6 < refused.retry_after <= 0.7
    assert 0.9 < refused.reset_after <= 1.0
    await asyncio.sleep(refused.retry_after + 0.02)
    again = await two.acquire("w:key:a", rate)
    assert again.allowed
    assert again.remaining == 0  # the other two are still in the window
    assert not (await one.acquire("w:key:a", rate)).allowed


async def test_clients_do_not_share_budgets(namespace: str, direct: Any, other: Any) -> None:
    rate = Rate(5, 60)
    one = RedisWriteLimiter(direct, namespace, LocalRateLimiter())
    two = RedisWriteLimiter(other, namespace, LocalRateLimiter())
    # Token subjects may hold anything: the key is a digest of the name.
    names = ["w:key:a", "w:key:b", "w:sub:{a}b c*\n?", "w:sub:" + "é" * 300]
    for name in names:
        decisions = [await one.acquire(name, rate) for _ in range(rate.limit)]
        assert all(d.allowed for d in decisions), name
        assert not (await two.acquire(name, rate)).allowed, name
    assert (await two.acquire("r:addr:10.0.0.1", rate)).allowed


async def test_on_a_cluster_budgets_stay_exact_and_spread_over_slots(
    redis_cluster_url: str,
) -> None:
    rate, excess, clients = Rate(10, 60), 3, [f"w:key:{i}" for i in range(8)]
    namespace = unique_namespace("limits")
    one = create_client(redis_cluster_url, cluster=True, timeout=0.5)
    two = create_client(redis_cluster_url, cluster=True, timeout=0.5)
    try:
        # The cluster is this run's own: forgetting its scripts there makes the first
        # calls meet NOSCRIPT, which redis-py's Script answers by loading it again.
        await one.script_flush()
        # A fresh cluster client that meets a burst before it has read the cluster's layout
        # can lose connections under it (a redis-py race): the service initialises at start.
        await one.initialize()
        await two.initialize()
        instances = [RedisWriteLimiter(c, namespace, LocalRateLimiter()) for c in (one, two)]
        decisions = await asyncio.gather(
            *(
                instances[i % 2].acquire(client, rate)
                for i in range(rate.limit + excess)
                for client in clients
            )
        )
        assert all(limiter.shared for limiter in instances)
        refused = Counter(
            client
            for (_, client), decision in zip(
                ((i, c) for i in range(rate.limit + excess) for c in clients),
                decisions,
                strict=True,
            )
            if not decision.allowed
        )
        assert refused == dict.fromkeys(clients, excess)
        keys = [key async for key in one.scan_iter(match=f"{{{namespace}:rl:*")]
        assert len(keys) == len(clients)
        assert len({one.keyslot(key) for key in keys}) > 1
    finally:
        await delete_limits(one, namespace)
        await one.aclose()
        await two.aclose()


async def test_the_write_limiter_counts_per_process_while_redis_is_away(
    namespace: str, direct: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    rate = Rate(5, 60)
    async with through_proxy() as (proxy, client):
        one = RedisWriteLimiter(client, namespace, LocalRateLimiter(), cooldown=COOLDOWN)
        two = RedisWriteLimiter(direct, namespace, LocalRateLimiter(), cooldown=COOLDOWN)
        for _ in range(2):
            assert (await one.acquire("w:key:x", rate)).allowed

        proxy.cut()
        answers = [await timed_acquire(one, "w:key:x", rate) for _ in range(rate.limit + 3)]
        # Counted here alone, exactly, from nothing: the fallback knows of no earlier request.
        assert [d.allowed for d, _ in answers] == [True] * rate.limit + [False] * 3
        assert not one.shared
        assert max(seconds for _, seconds in answers) < TIMEOUT + 0.05
        # The other instance still counts in Redis, where two were counted before the cut.
        assert [(await two.acquire("w:key:x", rate)).allowed for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]

        # A partition: Redis does not answer at all. Once the breaker is open, a request
        # waits for no time-out; one per cooldown probes Redis and waits for one.
        proxy.restore()
        proxy.freeze()
        frozen_at = time.perf_counter()
        answers = []
        while time.perf_counter() - frozen_at < 1.0:
            answers.append(await timed_acquire(one, "w:key:y", Rate(1000, 60)))
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - frozen_at
        assert all(decision.allowed for decision, _ in answers)
        waited = [seconds for _, seconds in answers if seconds > TIMEOUT / 2]
        assert len(waited) <= 1 + elapsed / COOLDOWN
        assert max(waited) < 2 * TIMEOUT + 0.05  # a time-out, and one reconnection's
        fast = [seconds for _, seconds in answers if seconds <= TIMEOUT / 2]
        assert len(fast) > 3 * len(waited)

        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "write rate limits" in warnings[0].getMessage()

        # Back: after the cooldown the next request finds Redis and shared counting resumes.
        proxy.restore()
        restored_at = time.monotonic()
        while not one.shared:
            assert time.monotonic() - restored_at < COOLDOWN + 1.0, "Redis not used again"
            await one.acquire("w:key:probe", rate)
            await asyncio.sleep(0.01)
        assert time.monotonic() - restored_at < COOLDOWN + 0.2
        # Redis holds the 2 + 3 requests of x it counted: the budget is spent everywhere.
        assert not (await one.acquire("w:key:x", rate)).allowed
        assert not (await two.acquire("w:key:x", rate)).allowed
        back = [r for r in caplog.records if "back" in r.getMessage()]
        assert len(back) == 1
        assert back[0].levelno == logging.INFO


# ---------------------------------------------------------------------------------------------
# Reads: counted here, shared every interval


@contextlib.asynccontextmanager
async def started(*limiters: RedisReadLimiter) -> AsyncIterator[None]:
    for limiter in limiters:
        await limiter.start()
    try:
        yield
    finally:
        for limiter in limiters:
            await limiter.stop()


async def test_read_limiters_learn_each_others_counts_within_two_intervals(
    namespace: str, direct: Any, other: Any
) -> None:
    rate = Rate(10, 60)
    clock = AlignedClock(rate.period)
    one = RedisReadLimiter(direct, namespace, interval=INTERVAL, clock=clock)
    two = RedisReadLimiter(other, namespace, interval=INTERVAL, clock=clock)
    async with started(one, two):
        # Six on one, four on the other: neither alone has spent the budget.
        for i in range(rate.limit):
            decision = await (one if i % 5 < 3 else two).acquire("r:key:a", rate)
            assert decision.allowed
        await asyncio.sleep(3 * INTERVAL)
        for limiter in (one, two):
            refused = await limiter.acquire("r:key:a", rate)
            assert not refused.allowed
            assert refused.remaining == 0
            # Fixed windows: the budget is whole again when this window ends.
            window_end = (math.floor(clock.last / rate.period) + 1) * rate.period
            assert refused.retry_after == pytest.approx(window_end - clock.last)
            assert refused.reset_after == refused.retry_after

        # Spent on one instance; the other, which has not counted this client yet, accepts
        # what it receives until its next sync (the overshoot), then refuses.
        for _ in range(rate.limit):
            assert (await one.acquire("r:key:b", rate)).allowed
        await asyncio.sleep(3 * INTERVAL)
        assert (await two.acquire("r:key:b", rate)).allowed
        await asyncio.sleep(3 * INTERVAL)
        assert not (await two.acquire("r:key:b", rate)).allowed
        assert not (await one.acquire("r:key:b", rate)).allowed
    assert await total_counted(direct, namespace) == 2 * rate.limit + 1


def most_in_a_stretch(times: list[float], seconds: float) -> int:
    """The most of `times` that fall within any stretch of `seconds`."""
    most, first = 0, 0
    for last, t in enumerate(times):
        while times[first] <= t - seconds:
            first += 1
        most = max(most, last - first + 1)
    return most


async def test_read_limiters_stay_within_the_overshoot_bound(
    namespace: str, direct: Any, other: Any
) -> None:
    rate, windows = Rate(20, 1), 3
    clock = AlignedClock(rate.period)
    instances = [
        RedisReadLimiter(c, namespace, interval=INTERVAL, clock=clock) for c in (direct, other)
    ]
    accepted: Counter[int] = Counter()
    sent: list[list[float]] = [[], []]
    first_window = math.floor(clock() / rate.period)

    async def client_of(index: int) -> None:
        # A client asking each instance for about 100 reads a second, five times its budget.
        limiter = instances[index]
        while (window := math.floor(clock() / rate.period)) < first_window + windows:
            decision = await limiter.acquire("r:key:greedy", rate)
            window = math.floor(clock.last / rate.period)
            sent[index].append(clock.last)
            if decision.allowed:
                accepted[window] += 1
            await asyncio.sleep(0.01)

    async with started(*instances):
        await asyncio.gather(client_of(0), client_of(1))

    for window in range(first_window, first_window + windows):
        start, end = window * rate.period, (window + 1) * rate.period
        # The bound of RedisReadLimiter's docstring, with what the busier instance received
        # in two intervals standing for "one interval" (the event loop may run a sync late).
        peak = max(
            most_in_a_stretch([t for t in times if start <= t < end], 2 * INTERVAL)
            for times in sent
        )
        bound = rate.limit + (len(instances) - 1) * min(rate.limit, peak)
        assert rate.limit <= accepted[window] <= bound, (window - first_window, peak)
        # Without sharing, each instance would have accepted the whole budget.
        assert bound < len(instances) * rate.limit


async def test_read_limiters_count_alone_while_redis_is_away_and_send_it_later(
    namespace: str, direct: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    rate = Rate(10, 60)
    clock = AlignedClock(rate.period)
    async with through_proxy() as (proxy, client):
        limiter = RedisReadLimiter(client, namespace, interval=INTERVAL, clock=clock)
        async with started(limiter):
            assert (await limiter.acquire("r:key:a", rate)).allowed
            await asyncio.sleep(3 * INTERVAL)
            assert await total_counted(direct, namespace) == 1

            proxy.cut()
            for _ in range(6):
                started_at = time.perf_counter()
                assert (await limiter.acquire("r:key:a", rate)).allowed
                assert time.perf_counter() - started_at < 0.005  # never waits for Redis
            await asyncio.sleep(6 * INTERVAL)  # several syncs fail
            assert not limiter.shared
            decisions = [await limiter.acquire("r:key:a", rate) for _ in range(5)]
            assert [d.allowed for d in decisions] == [True] * 3 + [False] * 2
            warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
            assert len(warnings) == 1, [r.getMessage() for r in warnings]
            assert "read rate limits" in warnings[0].getMessage()

            proxy.restore()
            deadline = time.monotonic() + 1.0
            while not limiter.shared:
                assert time.monotonic() < deadline, "the syncs did not resume"
                await asyncio.sleep(INTERVAL / 2)
        # Nothing counted during the outage was lost.
        assert await total_counted(direct, namespace) == rate.limit
    assert [r.levelno for r in caplog.records if "back" in r.getMessage()] == [logging.INFO]


async def test_stopping_the_read_limiter_does_not_wait_for_a_redis_that_hangs(
    namespace: str, direct: Any
) -> None:
    rate = Rate(10, 60)
    clock = AlignedClock(rate.period)
    # A long time-out: only the cancellation can end the stuck sync promptly.
    async with through_proxy(socket_timeout=5.0) as (proxy, client):
        limiter = RedisReadLimiter(client, namespace, interval=INTERVAL, clock=clock)
        await client.ping()
        await limiter.start()
        assert (await limiter.acquire("r:key:a", rate)).allowed
        proxy.freeze()
        await asyncio.sleep(3 * INTERVAL)  # the sync carrying that request is stuck
        stopping = time.perf_counter()
        await limiter.stop()
        assert time.perf_counter() - stopping < 0.2
        await limiter.stop()  # a second stop is harmless

        # The abandoned count was kept: a later sync sends it. The stuck INCRBY, held by the
        # partition, may reach Redis too when it heals: counted twice, never lost.
        proxy.restore()
        await limiter.sync()
        assert limiter.shared
    assert await total_counted(direct, namespace) in (1, 2)
