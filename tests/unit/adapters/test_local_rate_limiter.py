"""The per-process sliding-window limiter, on a clock the test moves."""

from __future__ import annotations

import pytest

from library.adapters.memory import LocalRateLimiter
from library.application.access.rates import Rate, RateDecision

RATE = Rate(5, 10)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> LocalRateLimiter:
    return LocalRateLimiter(clock=clock)


async def burst(limiter: LocalRateLimiter, n: int, client: str = "w:key:a") -> list[RateDecision]:
    return [await limiter.acquire(client, RATE) for _ in range(n)]


async def test_exactly_the_limit_is_accepted_in_a_window(limiter: LocalRateLimiter) -> None:
    decisions = await burst(limiter, RATE.limit + 3)
    assert [d.allowed for d in decisions] == [True] * RATE.limit + [False] * 3
    assert all(d.rate == RATE for d in decisions)


async def test_remaining_counts_down_to_zero(limiter: LocalRateLimiter) -> None:
    decisions = await burst(limiter, RATE.limit + 1)
    assert [d.remaining for d in decisions] == [4, 3, 2, 1, 0, 0]


async def test_no_window_of_the_period_ever_holds_more_than_the_limit(
    clock: FakeClock, limiter: LocalRateLimiter
) -> None:
    accepted: list[float] = []
    for _ in range(400):  # a request every 0.25 s for 100 s: four times the budget's rate
        if (await limiter.acquire("w:key:a", RATE)).allowed:
            accepted.append(clock.now)
        clock.now += 0.25
    for start in accepted:
        in_window = [t for t in accepted if start <= t < start + RATE.period]
        assert len(in_window) <= RATE.limit
    # ...and the budget is used, not just respected: 5 per 10 s over 100 s.
    assert len(accepted) == 50


async def test_retry_after_is_when_the_oldest_request_leaves_the_window(
    clock: FakeClock, limiter: LocalRateLimiter
) -> None:
    for _ in range(RATE.limit):
        assert (await limiter.acquire("w:key:a", RATE)).allowed
        clock.now += 1.0
    # Accepted at 1000..1004; now 1005: the one at 1000 leaves the window at 1010.
    refused = await limiter.acquire("w:key:a", RATE)
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(5.0)
    assert refused.reset_after == pytest.approx(9.0)  # the newest, at 1004, leaves at 1014

    clock.now += refused.retry_after - 0.001
    assert not (await limiter.acquire("w:key:a", RATE)).allowed
    clock.now += 0.001
    assert (await limiter.acquire("w:key:a", RATE)).allowed


async def test_a_refused_request_is_not_counted(
    clock: FakeClock, limiter: LocalRateLimiter
) -> None:
    await burst(limiter, RATE.limit)
    for _ in range(20):
        clock.now += 0.25
        assert not (await limiter.acquire("w:key:a", RATE)).allowed
    # Had the refusals (until 1005) been counted, they would still fill the window at 1010.
    clock.now = 1000.0 + RATE.period
    decisions = await burst(limiter, RATE.limit + 1)
    assert [d.allowed for d in decisions] == [True] * RATE.limit + [False]


async def test_reset_after_is_when_the_newest_request_leaves_the_window(
    clock: FakeClock, limiter: LocalRateLimiter
) -> None:
    first = await limiter.acquire("w:key:a", RATE)
    assert first.reset_after == RATE.period
    clock.now += 3.0
    await limiter.acquire("w:key:a", RATE)
    clock.now += 1.0
    refused = (await burst(limiter, RATE.limit))[-1]
    assert not refused.allowed
    assert refused.reset_after == pytest.approx(RATE.period)  # the newest was accepted now
    assert refused.retry_after == pytest.approx(RATE.period - 4.0)


async def test_clients_have_budgets_of_their_own(limiter: LocalRateLimiter) -> None:
    await burst(limiter, RATE.limit, client="w:key:a")
    assert not (await limiter.acquire("w:key:a", RATE)).allowed
    other = await limiter.acquire("w:key:b", RATE)
    assert other.allowed
    assert other.remaining == RATE.limit - 1


async def test_a_client_whose_window_emptied_is_forgotten(
    clock: FakeClock, limiter: LocalRateLimiter
) -> None:
    for i in range(100):
        await limiter.acquire(f"r:addr:10.0.0.{i}", RATE)
    assert limiter.tracked_clients == 100
    clock.now += RATE.period
    await limiter.acquire("r:addr:10.0.1.1", RATE)
    assert limiter.tracked_clients == 1


async def test_the_number_of_clients_is_capped_evicting_the_least_recently_seen(
    clock: FakeClock,
) -> None:
    limiter = LocalRateLimiter(max_clients=3, clock=clock)
    await burst(limiter, RATE.limit, client="a")
    await burst(limiter, RATE.limit, client="b")
    await burst(limiter, RATE.limit, client="c")
    assert not (await limiter.acquire("a", RATE)).allowed  # seen again: now the most recent
    await limiter.acquire("d", RATE)  # evicts b, the least recently seen
    assert limiter.tracked_clients == 3
    assert not (await limiter.acquire("a", RATE)).allowed
    assert not (await limiter.acquire("c", RATE)).allowed
    assert (await limiter.acquire("b", RATE)).allowed  # forgotten: a fresh budget


async def test_a_rate_with_another_period_starts_a_new_log(limiter: LocalRateLimiter) -> None:
    await burst(limiter, RATE.limit)
    assert (await limiter.acquire("w:key:a", Rate(5, 60))).allowed


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_clients"):
        LocalRateLimiter(max_clients=0)
