"""API keys: their form, how they are kept, and the use cases that manage them.

A key reads `lib_<id>_<secret>`: `id` is 12 characters of lower-case base32 (it names the
key in lists, logs and `keys revoke`), `secret` 30 random base62 characters (178 bits) and a
6-character base62 CRC-32 of everything before it, so a mistyped or truncated key is refused
without a lookup. The secret is shown once, at creation; stores keep only the SHA-256 of the
whole key (a fast hash is right for a secret this random: a slow password hash would cost
tens of milliseconds a request and guard against nothing).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import zlib
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from attrs import field, frozen

from library.application.access.principals import SCOPES, scope_set
from library.application.access.rates import Rate

PREFIX = "lib"
ID_LENGTH = 12
RANDOM_LENGTH = 30
CHECKSUM_LENGTH = 6
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SECRET_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH
_SHAPE = re.compile(
    rf"{PREFIX}_([{_ID_ALPHABET}]{{{ID_LENGTH}}})_([0-9A-Za-z]{{{_SECRET_LENGTH}}})"
)


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


def new_key() -> tuple[str, str]:
    """A fresh key and its id."""
    key_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))
    random_part = "".join(secrets.choice(_BASE62) for _ in range(RANDOM_LENGTH))
    body = f"{PREFIX}_{key_id}_{random_part}"
    return body + _checksum(body), key_id


def key_id_of(key: str) -> str | None:
    """The id of `key` when it has a key's shape and checksum, else None."""
    match = _SHAPE.fullmatch(key)
    if match is None:
        return None
    secret = match[2]
    body = key[: len(key) - CHECKSUM_LENGTH]
    if not secrets.compare_digest(secret[RANDOM_LENGTH:], _checksum(body)):
        return None
    return match[1]


def hash_key(key: str) -> str:
    """What stores keep of a key: its SHA-256, in hex."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def check_scopes(scopes: Collection[str]) -> frozenset[str]:
    """`scopes` if each is a known scope and there is at least one.

    Raises:
        ValueError: a scope is unknown, or none is given.
    """
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not scopes:
        raise ValueError("a key needs at least one scope")
    return frozenset(scopes)


@frozen(kw_only=True)
class StoredKey:
    """A key as stores keep it: everything but the secret."""

    id: str
    name: str
    secret_hash: str
    scopes: frozenset[str] = field(converter=scope_set)
    rate: Rate | None = None
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class DuplicateApiKey(ValueError):
    """A key with this id is already stored (ids are 60 random bits: a bug, not bad luck)."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"an API key with id {key_id} already exists")
        self.key_id = key_id


class ApiKeyStore(Protocol):
    """Where keys are kept (PostgreSQL, or memory from LIBRARY_API_KEYS)."""

    async def add(self, key: StoredKey) -> None:
        """Raises DuplicateApiKey when a key with its id is already stored."""

    async def get(self, key_id: str) -> StoredKey | None: ...

    async def all(self) -> Sequence[StoredKey]:
        """Every key, revoked and expired ones included, by creation time."""

    async def revoke(self, key_id: str, at: datetime) -> bool:
        """Mark the key revoked (a revoked key stays revoked); False when it does not exist."""

    async def used(self, key_id: str, at: datetime) -> None:
        """Record that the key was used at `at` (callers write this at most once a minute)."""


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@frozen
class IssuedKey:
    """A new key: the secret to show once, and what was stored."""

    key: str
    stored: StoredKey


class IssueKey:
    """Create a key with a name, scopes, and optionally a lifetime and a budget of its own."""

    def __init__(self, store: ApiKeyStore, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    async def __call__(
        self,
        name: str,
        scopes: Collection[str],
        *,
        expires_in: timedelta | None = None,
        rate: Rate | None = None,
    ) -> IssuedKey:
        """Raises ValueError for an empty name, no scope or an unknown one."""
        name = name.strip()
        if not name:
            raise ValueError("a key needs a name")
        checked = check_scopes(scopes)
        if expires_in is not None and expires_in <= timedelta(0):
            raise ValueError("a key's lifetime must be positive")
        key, key_id = new_key()
        now = self._clock()
        stored = StoredKey(
            id=key_id,
            name=name,
            secret_hash=hash_key(key),
            scopes=checked,
            rate=rate,
            created_at=now,
            expires_at=None if expires_in is None else now + expires_in,
        )
        await self._store.add(stored)
        return IssuedKey(key, stored)


class ListKeys:
    def __init__(self, store: ApiKeyStore) -> None:
        self._store = store

    async def __call__(self) -> Sequence[StoredKey]:
        return await self._store.all()


class RevokeKey:
    def __init__(self, store: ApiKeyStore, clock: Clock = utc_now) -> None:
        self._store = store
        self._clock = clock

    async def __call__(self, key_id: str) -> bool:
        """Revoke the key; False when there is no such key."""
        return await self._store.revoke(key_id, self._clock())
