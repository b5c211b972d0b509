"""Readiness: critical dependencies decide, non-critical ones only degrade, none may hang."""

from __future__ import annotations

import asyncio
import time

import pytest

from library.application import health
from library.application.health import CheckReadiness, DependencyStatus, Readiness


class Check:
    """A dependency probe that answers, fails or hangs, as told."""

    def __init__(self, name: str, *, critical: bool, behaviour: str = "ok") -> None:
        self.name = name
        self.critical = critical
        self.behaviour = behaviour

    async def __call__(self) -> None:
        if self.behaviour == "fail":
            raise ConnectionRefusedError("connection refused")
        if self.behaviour == "fail-silently":
            raise OSError()
        if self.behaviour == "hang":
            await asyncio.sleep(3600)


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "CHECK_TIMEOUT", 0.05)


async def test_all_answering_is_ready() -> None:
    readiness = await CheckReadiness(
        [Check("postgres", critical=True), Check("redis", critical=False)]
    )()
    assert readiness == Readiness(
        True, (DependencyStatus("postgres", "ok"), DependencyStatus("redis", "ok"))
    )


async def test_no_dependencies_is_ready() -> None:
    assert await CheckReadiness([])() == Readiness(True, ())


async def test_a_failing_critical_dependency_is_not_ready() -> None:
    readiness = await CheckReadiness(
        [Check("postgres", critical=True, behaviour="fail"), Check("redis", critical=False)]
    )()
    assert not readiness.ready
    assert readiness.dependencies == (
        DependencyStatus("postgres", "down", "connection refused"),
        DependencyStatus("redis", "ok"),
    )


async def test_a_failing_non_critical_dependency_degrades_but_stays_ready() -> None:
    readiness = await CheckReadiness(
        [Check("postgres", critical=True), Check("redis", critical=False, behaviour="fail")]
    )()
    assert readiness.ready
    assert readiness.dependencies[1] == DependencyStatus("redis", "degraded", "connection refused")


async def test_an_error_without_a_message_is_named_by_its_type() -> None:
    readiness = await CheckReadiness([Check("redis", critical=False, behaviour="fail-silently")])()
    assert readiness.dependencies == (DependencyStatus("redis", "degraded", "OSError"),)


async def test_hanging_checks_time_out_concurrently() -> None:
    checks = [
        Check("postgres", critical=True, behaviour="hang"),
        Check("redis", critical=False, behaviour="hang"),
        Check("disk", critical=True),
    ]
    started = time.monotonic()
    readiness = await CheckReadiness(checks)()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0  # each check times out after 0.05 s, and they run together
    assert not readiness.ready
    assert readiness.dependencies == (
        DependencyStatus("postgres", "down", "TimeoutError"),
        DependencyStatus("redis", "degraded", "TimeoutError"),
        DependencyStatus("disk", "ok"),
    )


async def test_a_hanging_non_critical_check_keeps_the_service_ready() -> None:
    readiness = await CheckReadiness(
        [Check("postgres", critical=True), Check("redis", critical=False, behaviour="hang")]
    )()
    assert readiness.ready
    assert readiness.dependencies[1].status == "degraded"
