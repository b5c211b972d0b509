"""Readiness: is every dependency the service needs answering?"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

from attrs import frozen

from library.application.ports import DependencyCheck

CHECK_TIMEOUT = 2.0


@frozen
class DependencyStatus:
    name: str
    status: Literal["ok", "degraded", "down"]  # degraded: a non-critical dependency failed
    detail: str | None = None


@frozen
class Readiness:
    ready: bool
    dependencies: tuple[DependencyStatus, ...]


class CheckReadiness:
    """Probe every dependency concurrently, each within a short time-out."""

    def __init__(self, checks: Sequence[DependencyCheck]) -> None:
        self._checks = list(checks)

    async def __call__(self) -> Readiness:
        statuses = await asyncio.gather(*(self._probe(check) for check in self._checks))
        ready = all(s.status != "down" for s in statuses)
        return Readiness(ready, tuple(statuses))

    async def _probe(self, check: DependencyCheck) -> DependencyStatus:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT)
        except Exception as error:  # any failure of a probe means "not answering"
            reason = str(error) or type(error).__name__
            return DependencyStatus(check.name, "down" if check.critical else "degraded", reason)
        return DependencyStatus(check.name, "ok")
