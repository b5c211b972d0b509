"""Idempotency keys in memory (one process, like the rest of the in-memory catalogue)."""

from __future__ import annotations

import time
from collections.abc import Callable

from attrs import define

from library.application.idempotency import Claim, ClaimState, StoredResponse


@define
class _Entry:
    fingerprint: str
    expires_at: float
    lease_until: float
    response: StoredResponse | None = None

    def free_at(self, now: float) -> bool:
        """Whether the key is unused again: expired, or abandoned by a holder whose lease ran
        out."""
        return self.expires_at <= now or (self.response is None and self.lease_until <= now)


class MemoryIdempotencyStore:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._entries: dict[str, _Entry] = {}
        self._clock = clock

    async def claim(
        self, key: str, fingerprint: str, expires_at: float, lease_until: float
    ) -> Claim:
        # No await before the decision: claiming is atomic on the event loop.
        entry = self._entries.get(key)
        if entry is None or entry.free_at(self._clock()):
            self._entries[key] = _Entry(fingerprint, expires_at, lease_until)
            return Claim(ClaimState.NEW)
        if entry.fingerprint != fingerprint:
            return Claim(ClaimState.MISMATCH)
        if entry.response is None:
            return Claim(ClaimState.RUNNING)
        return Claim(ClaimState.DONE, entry.response)

    async def complete(self, key: str, response: StoredResponse) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            entry.response = response

    async def release(self, key: str) -> None:
        self._entries.pop(key, None)
