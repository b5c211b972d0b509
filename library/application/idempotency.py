"""Safe retries: a POST with an Idempotency-Key is processed once; repeats get its response.

The stored response is shared by every instance (the store port), kept for a day, and bound
to the request it answered: the same key with another method, path or body is refused.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from attrs import frozen

from library.application.errors import StorageUnavailable

RETENTION_SECONDS = 24 * 3600
WAIT_SECONDS = 10.0  # how long a repeat waits for the first request of its key to finish
_POLL = 0.02
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(Exception):
    """The key was first used for a different request."""


class KeyInvalid(Exception):
    """The key is not 1 to 255 visible ASCII characters."""


@frozen
class StoredResponse:
    status: int
    body: bytes
    location: str | None = None


class ClaimState(enum.Enum):
    NEW = "new"  # the caller owns the key and must complete or release it
    DONE = "done"  # a response is stored
    RUNNING = "running"  # another request holds the key
    MISMATCH = "mismatch"  # the key belongs to another request


@frozen
class Claim:
    state: ClaimState
    response: StoredResponse | None = None


class IdempotencyStore(Protocol):
    async def claim(self, key: str, fingerprint: str, expires_at: float) -> Claim:
        """Take `key` for a request, atomically; an expired key counts as unused."""

    async def complete(self, key: str, response: StoredResponse) -> None: ...

    async def release(self, key: str) -> None:
        """Forget a key whose request failed, so that a retry is processed afresh."""


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def check_key(key: str) -> str:
    """Return `key` if it is 1 to 255 visible ASCII characters, else raise KeyInvalid."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all("\x21" <= c <= "\x7e" for c in key):
        raise KeyInvalid("must be 1 to 255 visible ASCII characters")
    return key


class ProcessOnce:
    """Run a request's work at most once per key, replaying its stored response after."""

    def __init__(
        self,
        store: IdempotencyStore,
        *,
        retention: float = RETENTION_SECONDS,
        wait: float = WAIT_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._retention = retention
        self._wait = wait
        self._clock = clock

    async def __call__(
        self, key: str, request_fingerprint: str, work: Callable[[], Awaitable[StoredResponse]]
    ) -> StoredResponse:
        """The response of `work` for this key, computed once.

        Only successful (2xx) and client-error (4xx) responses are kept: a 5xx, or an
        exception, releases the key so that the client's retry runs the work again.

        Raises:
            IdempotencyKeyReused: the key was used for another method, path or body.
            StorageUnavailable: a concurrent request with the key did not finish in time.
        """
        deadline = self._clock() + self._wait
        while True:
            claim = await self._store.claim(
                key, request_fingerprint, self._clock() + self._retention
            )
            if claim.state is ClaimState.MISMATCH:
                raise IdempotencyKeyReused(key)
            if claim.state is ClaimState.DONE:
                assert claim.response is not None  # DONE always carries the response
                return claim.response
            if claim.state is ClaimState.NEW:
                break
            if self._clock() >= deadline:
                raise StorageUnavailable(
                    "a request with this Idempotency-Key is still being processed", retry_after=1
                )
            await asyncio.sleep(_POLL)
        try:
            response = await work()
        except BaseException:
            await self._store.release(key)
            raise
        if response.status >= 500:
            await self._store.release(key)
        else:
            await self._store.complete(key, response)
        return response
