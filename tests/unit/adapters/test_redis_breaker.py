"""The circuit breaker's states, on a clock the test moves."""

from __future__ import annotations

from library.adapters.redis_cache import CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_new_breaker_is_closed_and_does_not_probe() -> None:
    breaker = CircuitBreaker(cooldown=1.0, clock=FakeClock())
    assert breaker.closed
    assert not breaker.should_probe()


def test_a_failure_opens_it_until_the_cooldown_has_passed() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=clock)
    breaker.failed()
    assert not breaker.closed
    assert not breaker.should_probe()
    clock.now += 0.999
    assert not breaker.should_probe()
    clock.now += 0.001
    assert breaker.should_probe()


def test_only_one_caller_probes_at_a_time() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=clock)
    breaker.failed()
    clock.now += 5
    assert breaker.should_probe()
    assert not breaker.should_probe()  # half-open: the others keep bypassing
    clock.now += 5
    assert not breaker.should_probe()
    assert not breaker.closed


def test_a_successful_probe_closes_it() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=clock)
    breaker.failed()
    clock.now += 1
    assert breaker.should_probe()
    breaker.recovered()
    assert breaker.closed
    assert not breaker.should_probe()


def test_a_failed_probe_reopens_it_for_a_full_cooldown() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(cooldown=2.0, clock=clock)
    breaker.failed()
    clock.now += 2
    assert breaker.should_probe()
    breaker.failed()
    assert not breaker.closed
    clock.now += 1.9
    assert not breaker.should_probe()
    clock.now += 0.1
    assert breaker.should_probe()


def test_failures_while_open_push_the_next_probe_back() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(cooldown=1.0, clock=clock)
    breaker.failed()
    clock.now += 0.5
    breaker.failed()  # a request that was already in flight timed out too
    clock.now += 0.6
    assert not breaker.should_probe()
    clock.now += 0.4
    assert breaker.should_probe()


def test_recovering_when_closed_changes_nothing() -> None:
    breaker = CircuitBreaker(clock=FakeClock())
    breaker.recovered()
    assert breaker.closed
