"""Authentication: credentials in, a principal with its scopes out.

Two kinds of credentials: API keys (`ApiKeyVerifier`, over a key store port) and bearer
tokens (the `TokenVerifier` port: JWTs, verified by an adapter). `Authenticate` takes what
the request carried and returns who it is, or None for an anonymous request.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from attrs import frozen

from library.application.access.api_keys import ApiKeyStore, Clock, hash_key, key_id_of, utc_now
from library.application.access.errors import Unauthenticated, VerifierUnavailable
from library.application.access.principals import METRICS_READ, Principal, key_principal
from library.application.errors import StorageUnavailable

log = logging.getLogger(__name__)

REMEMBER_SECONDS = 5.0  # the longest a revoked key keeps working on an instance that knew it
TOUCH_EVERY_SECONDS = 60.0  # last use is written at most this often
MAX_REMEMBERED = 10_000


@frozen
class Credentials:
    """What a request carried: an API key and/or a bearer token (None when absent)."""

    api_key: str | None = None
    bearer: str | None = None

    @property
    def empty(self) -> bool:
        return self.api_key is None and self.bearer is None


class TokenVerifier(Protocol):
    """Verifies bearer tokens (JWTs) and names their principal."""

    async def verify(self, token: str) -> Principal:
        """The token's principal.

        Raises:
            Unauthenticated: the token is malformed, badly signed, expired, not yet valid, or
                for another issuer or audience.
            VerifierUnavailable: the keys to check it with cannot be fetched.
        """


_NOT_ACCEPTED = "the API key is not valid (unknown, expired or revoked)"


class ApiKeyVerifier:
    """Check API keys against a store, remembering each verified key for a few seconds.

    Remembering spares a store round trip per request; it is bounded (`remember` seconds, at
    most 5) so that a key revoked or expired elsewhere stops working everywhere within that.
    Keys the store does not know are not remembered: a key created on another instance works
    at once, and guessing is throttled by the rate limit on failed authentications instead.
    """

    def __init__(
        self,
        store: ApiKeyStore,
        *,
        remember: float = REMEMBER_SECONDS,
        touch_every: float = TOUCH_EVERY_SECONDS,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 <= remember <= REMEMBER_SECONDS:
            raise ValueError(f"keys may be remembered for 0 to {REMEMBER_SECONDS} seconds")
        self._store = store
        self._remember = remember
        self._touch_every = touch_every
        self._clock = clock
        self._monotonic = monotonic
        self._known: dict[str, tuple[float, StoredKeyView]] = {}
        self._touched: dict[str, float] = {}

    async def verify(self, key: str) -> Principal:
        """The key's principal.

        Raises:
            Unauthenticated: malformed, unknown, expired or revoked.
            VerifierUnavailable: the key store cannot be reached.
        """
        key_id = key_id_of(key)
        if key_id is None:
            raise Unauthenticated("malformed", "the API key is malformed")
        stored = await self._lookup(key_id)
        if stored is None or not secrets.compare_digest(stored.secret_hash, hash_key(key)):
            raise Unauthenticated("invalid", _NOT_ACCEPTED)
        now = self._clock()
        if stored.revoked_at is not None:
            raise Unauthenticated("revoked", _NOT_ACCEPTED)
        if stored.expires_at is not None and now >= stored.expires_at:
            raise Unauthenticated("expired", _NOT_ACCEPTED)
        await self._touch(key_id, now)
        return stored.principal

    async def _lookup(self, key_id: str) -> StoredKeyView | None:
        now = self._monotonic()
        known = self._known.get(key_id)
        if known is not None and now - known[0] < self._remember:
            return known[1]
        try:
            stored = await self._store.get(key_id)
        except StorageUnavailable as error:
            raise VerifierUnavailable("API keys cannot be checked right now") from error
        if stored is None:
            self._known.pop(key_id, None)
            return None
        if len(self._known) >= MAX_REMEMBERED:
            self._known.pop(next(iter(self._known)))
        view = StoredKeyView(
            secret_hash=stored.secret_hash,
            revoked_at=stored.revoked_at,
            expires_at=stored.expires_at,
            principal=key_principal(stored.id, stored.scopes, stored.rate),
        )
        self._known[key_id] = (now, view)
        return view

    async def _touch(self, key_id: str, now: datetime) -> None:
        tick = self._monotonic()
        last = self._touched.get(key_id)
        if last is not None and tick - last < self._touch_every:
            return
        if len(self._touched) >= MAX_REMEMBERED:
            self._touched.clear()
        self._touched[key_id] = tick
        try:
            await self._store.used(key_id, now)
        except StorageUnavailable as error:  # losing a last-use time must not fail a request
            log.warning("could not record the last use of API key %s: %s", key_id, error)


@frozen(kw_only=True)
class StoredKeyView:
    """What verification needs of a stored key."""

    secret_hash: str
    revoked_at: datetime | None
    expires_at: datetime | None
    principal: Principal


METRICS_PRINCIPAL = Principal("metrics-token", "token", "metrics-token", {METRICS_READ})


class Authenticate:
    """Name the principal of a request's credentials (None: anonymous)."""

    def __init__(
        self,
        keys: ApiKeyVerifier,
        tokens: TokenVerifier | None = None,
        metrics_token: str | None = None,
    ) -> None:
        self._keys = keys
        self._tokens = tokens
        self._metrics_token = metrics_token

    async def __call__(self, credentials: Credentials) -> Principal | None:
        """Raises Unauthenticated or VerifierUnavailable (see the verifiers)."""
        if credentials.api_key is not None and credentials.bearer is not None:
            raise Unauthenticated(
                "malformed", "send one credential: X-API-Key or Authorization, not both"
            )
        if credentials.api_key is not None:
            return await self._keys.verify(credentials.api_key)
        if credentials.bearer is not None:
            return await self._token(credentials.bearer)
        return None

    async def _token(self, token: str) -> Principal:
        expected = self._metrics_token
        if expected is not None and secrets.compare_digest(token.encode(), expected.encode()):
            return METRICS_PRINCIPAL
        if self._tokens is None:
            raise Unauthenticated("invalid", "this service accepts no bearer tokens")
        return await self._tokens.verify(token)
