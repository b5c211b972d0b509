"""Safe retries: a POST with an Idempotency-Key is processed once; repeats get its response.

The stored response is shared by every instance (the store port), kept for a day, and bound
to the request it answered: the same key with another method, path or body is refused. A key
belongs to its principal: callers scope it (`scoped_key`) before claiming, so the same key
sent by another principal is another key. A claim is a lease: if the instance holding it dies
before answering, the key is free again once the lease has run out, not after the retention.
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
# Longer than any request can take (pool and statement time-outs, a few retries), so that a
# live holder is never overtaken; short enough that a dead one's key is usable again soon.
LEASE_SECONDS = 60.0
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
    async def claim(
        self, key: str, fingerprint: str, expires_at: float, lease_until: float
    ) -> Claim:
        """Take `key` for a request, atomically, until `lease_until` (epoch seconds).

        An expired key counts as unused, and so does one whose holder's lease ran out
        before it stored a response.
        """

    async def complete(self, key: str, response: StoredResponse) -> None: ...

    async def release(self, key: str) -> None:
        """Forget a key whose request failed, so that a retry is processed afresh."""


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def scoped_key(key: str, principal_id: str | None) -> str:
    """The key as stored: `key` itself for anonymous requests, else prefixed by its principal.

    Keys hold no spaces, so `<principal> <key>` never reads as another principal's key.
    """
    return key if principal_id is None else f"{principal_id} {key}"


# Refusals before any work (credentials, scope, budget) are never kept: the same request may
# succeed once the client has fixed them; and 5xx answers say nothing about the work's outcome.
_NEVER_KEPT = frozenset({401, 403, 429})


def keeps(status: int) -> bool:
    """Whether a response with `status` is kept for repeats of its key."""
    return status < 500 and status not in _NEVER_KEPT


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
        lease: float = LEASE_SECONDS,
        wait: float = WAIT_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._retention = retention
        self._lease = lease
        self._wait = wait
        self._clock = clock

    async def begin(self, key: str, request_fingerprint: str) -> StoredResponse | None:
        """Claim `key` for this request, or get the response stored for it.

        None means the caller now holds the key and must `finish` (or `abandon`) it. A
        request holding the key elsewhere is waited for, up to a few seconds.

        Raises:
            IdempotencyKeyReused: the key was used for another method, path or body.
            StorageUnavailable: a concurrent request with the key did not finish in time.
        """
        deadline = self._clock() + self._wait
        while True:
            now = self._clock()
            claim = await self._store.claim(
                key, request_fingerprint, now + self._retention, now + self._lease
            )
            if claim.state is ClaimState.MISMATCH:
                raise IdempotencyKeyReused(key)
            if claim.state is ClaimState.DONE:
                assert claim.response is not None  # DONE always carries the response
                return claim.response
            if claim.state is ClaimState.NEW:
                return None
            if self._clock() >= deadline:
                raise StorageUnavailable(
                    "a request with this Idempotency-Key is still being processed", retry_after=1
                )
            await asyncio.sleep(_POLL)

    async def finish(self, key: str, response: StoredResponse) -> None:
        """Keep the response of the work done under `key` for its repeats, or free the key
        when the response says nothing final (a refusal or a 5xx)."""
        if keeps(response.status):
            await self._store.complete(key, response)
        else:
            await self._store.release(key)

    async def abandon(self, key: str) -> None:
        """Free a key whose work ended without a response, so that a retry runs afresh."""
        await self._store.release(key)

    async def __call__(
        self, key: str, request_fingerprint: str, work: Callable[[], Awaitable[StoredResponse]]
    ) -> StoredResponse:
        """The response of `work` for this key, computed once (`begin`, `work`, `finish`).

        Raises:
            IdempotencyKeyReused: the key was used for another method, path or body.
            StorageUnavailable: a concurrent request with the key did not finish in time.
        """
        stored = await self.begin(key, request_fingerprint)
        if stored is not None:
            return stored
        try:
            response = await work()
        except BaseException:
            await self.abandon(key)
            raise
        await self.finish(key, response)
        return response
