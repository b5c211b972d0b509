"""A JWK set (RFC 7517) fetched over HTTP and kept in memory.

The set is fetched once and then only when needed: when a token names a key the cached set
does not hold (a rotation), at most once per refresh interval, so tokens with made-up key ids
cannot turn into a storm of fetches; and in the background once the cached set is older than
`max_age`, so that a key the issuer withdrew stops working here too. Requests that need the
set while it is being fetched wait for that one fetch. A set that cannot be fetched leaves
the cached one in place: its keys keep working while the issuer is away.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Callable

import httpx
from attrs import frozen

from library.adapters.jwt.keys import VerificationKey, jwk_key
from library.adapters.jwt.refusals import NO_KEY_ID, UNKNOWN_KEY, invalid
from library.application.access import VerifierUnavailable

log = logging.getLogger(__name__)

MAX_SET_BYTES = 1 << 20  # a set is a few kilobytes; this only bounds a misbehaving server


class JwksUnusable(Exception):
    """The key set could not be fetched, or what was fetched is not a usable set."""


@frozen
class KeySet:
    """The usable keys of a fetched set, by key id."""

    keys: tuple[VerificationKey, ...]

    def find(self, kid: str | None) -> VerificationKey | None:
        """The key named `kid`; for a token naming none, the set's key if it has one only."""
        if kid is None:
            return self.keys[0] if len(self.keys) == 1 else None
        return next((key for key in self.keys if key.kid == kid), None)


def parse_key_set(body: bytes, url: str) -> KeySet:
    """The RS256 and ES256 keys of a JWK set document; other keys are skipped (and logged).

    Raises:
        JwksUnusable: the document is not JSON, not a JWK set, or holds no usable key.
    """
    try:
        document: object = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise JwksUnusable("it is not JSON") from error
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise JwksUnusable("it is not a JWK set (an object with a keys array)")
    keys: list[VerificationKey] = []
    for position, entry in enumerate(entries, start=1):
        try:
            if not isinstance(entry, dict):
                raise ValueError("it is not an object")
            key = jwk_key(entry)
            if key.kid is not None and any(known.kid == key.kid for known in keys):
                raise ValueError(f"its kid {key.kid!r} is taken by an earlier key")
        except ValueError as error:
            log.info("JWK set %s: key %d skipped: %s", url, position, error)
            continue
        keys.append(key)
    if not keys:
        raise JwksUnusable("it holds no RS256 or EC P-256 (ES256) signature key")
    return KeySet(tuple(keys))


def _report_crash(task: asyncio.Task[None]) -> None:
    # Expected failures are handled inside the fetch; this keeps a bug in a background fetch
    # from vanishing as "exception never retrieved".
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("fetching a JWK set failed unexpectedly", exc_info=error)


ClientFactory = Callable[[], httpx.AsyncClient]


class JwksKeys:
    """The keys of one JWK set URL, fetched without blocking and cached."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        refresh_interval: float,
        retry_interval: float,
        max_age: float,
        client_factory: ClientFactory | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._refresh_interval = refresh_interval
        self._retry_interval = retry_interval
        self._max_age = max_age
        self._client_factory = client_factory or self._default_client
        self._monotonic = monotonic
        self._client: httpx.AsyncClient | None = None
        self._keys: KeySet | None = None
        self._fetched_at = -math.inf  # when the cached set arrived
        self._attempted_at = -math.inf  # when a fetch last began
        self._failed = False  # whether the latest fetch failed
        self._fetching: asyncio.Task[None] | None = None

    def _default_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self._timeout, headers={"Accept": "application/json"}, follow_redirects=False
        )

    async def key_for(self, kid: str | None) -> VerificationKey:
        """The key a token with this key id (or none) is verified with.

        Raises:
            Unauthenticated: the set, freshly fetched, has no such key.
            VerifierUnavailable: the set cannot be fetched and the cached one has no such key.
        """
        cached = self._keys.find(kid) if self._keys is not None else None
        if cached is not None:
            if self._monotonic() - self._fetched_at >= self._max_age:
                self._begin_fetch()  # in the background: this token need not wait for it
            return cached
        await self.refresh()
        keys = self._keys
        fetched = keys.find(kid) if keys is not None else None
        if fetched is not None:
            return fetched
        if keys is None or self._failed:
            raise VerifierUnavailable(
                "the keys that sign tokens cannot be fetched right now",
                retry_after=max(1, math.ceil(self._retry_interval)),
            )
        raise invalid(NO_KEY_ID if kid is None else UNKNOWN_KEY)

    async def refresh(self) -> None:
        """Fetch the set, unless it was tried too recently; join a fetch under way."""
        task = self._begin_fetch()
        if task is not None:
            # Shielded: a request given up by its client must not cancel everyone's fetch.
            await asyncio.shield(task)

    def _begin_fetch(self) -> asyncio.Task[None] | None:
        task = self._fetching
        if task is not None and not task.done():
            return task
        now = self._monotonic()
        wait = self._retry_interval if self._failed else self._refresh_interval
        if now - self._attempted_at < wait:
            return None
        self._attempted_at = now
        task = self._fetching = asyncio.create_task(self._fetch(), name=f"fetch JWKS {self._url}")
        task.add_done_callback(_report_crash)
        return task

    async def _fetch(self) -> None:
        try:
            key_set = parse_key_set(await self._download(), self._url)
        except JwksUnusable as error:
            self._failed = True
            log.warning("JWK set %s cannot be used: %s", self._url, error)
            return
        if self._keys is None or key_set != self._keys:
            log.info("JWK set %s: keys %s", self._url, [key.kid for key in key_set.keys])
        self._keys = key_set
        self._fetched_at = self._monotonic()
        self._failed = False

    async def _download(self) -> bytes:
        if self._client is None:
            self._client = self._client_factory()
        try:
            async with (
                asyncio.timeout(self._timeout),  # bounds the whole fetch, not each read
                self._client.stream("GET", self._url) as response,
            ):
                if response.status_code != httpx.codes.OK:
                    raise JwksUnusable(f"it answered HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_SET_BYTES:
                        raise JwksUnusable(f"it is larger than {MAX_SET_BYTES} bytes")
                return bytes(body)
        except TimeoutError as error:
            raise JwksUnusable(f"it did not answer within {self._timeout:g} s") from error
        except httpx.HTTPError as error:
            raise JwksUnusable(f"{type(error).__name__}: {error}") from error

    async def close(self) -> None:
        """Stop a fetch under way and close the HTTP client."""
        task = self._fetching
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task])  # unlike `await task`, never raises our own cancellation
        if self._client is not None:
            await self._client.aclose()
            self._client = None
