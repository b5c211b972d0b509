"""API keys in memory: those of LIBRARY_API_KEYS, and the fakes of the core's tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from attrs import evolve

from library.application.access.api_keys import DuplicateApiKey, StoredKey

_TOUCH_EVERY = timedelta(minutes=1)  # as the PostgreSQL store: one last-use write a minute


class MemoryApiKeyStore:
    """The ApiKeyStore port in one process. No method awaits before it decides, so each is
    atomic on the event loop, as a single statement is in PostgreSQL."""

    def __init__(self, keys: Iterable[StoredKey] = ()) -> None:
        self._keys: dict[str, StoredKey] = {}
        for key in keys:
            self._add(key)

    def _add(self, key: StoredKey) -> None:
        if key.id in self._keys:
            raise DuplicateApiKey(key.id)
        self._keys[key.id] = key

    async def add(self, key: StoredKey) -> None:
        """Store a new key.

        Raises:
            DuplicateApiKey: a key with its id is already stored.
        """
        self._add(key)

    async def get(self, key_id: str) -> StoredKey | None:
        return self._keys.get(key_id)

    async def all(self) -> Sequence[StoredKey]:
        """Every key, revoked and expired ones included, by creation time."""
        return sorted(self._keys.values(), key=lambda key: (key.created_at, key.id))

    async def revoke(self, key_id: str, at: datetime) -> bool:
        """Mark the key revoked, keeping the first revocation; False when it does not exist."""
        key = self._keys.get(key_id)
        if key is None:
            return False
        if key.revoked_at is None:
            self._keys[key_id] = evolve(key, revoked_at=at)
        return True

    async def used(self, key_id: str, at: datetime) -> None:
        """Record a use at `at`, unless one was recorded less than a minute before it."""
        key = self._keys.get(key_id)
        if key is None:
            return
        if key.last_used_at is None or key.last_used_at <= at - _TOUCH_EVERY:
            self._keys[key_id] = evolve(key, last_used_at=at)
