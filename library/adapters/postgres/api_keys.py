"""API keys in PostgreSQL: one row per key, shared by every instance."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from psycopg import errors as pg
from psycopg.rows import dict_row

from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Connection, Pool, on_live_connection
from library.application.access.api_keys import DuplicateApiKey, StoredKey
from library.application.access.rates import Rate
from library.application.errors import StorageUnavailable

log = logging.getLogger(__name__)

_ADD = """
INSERT INTO api_keys (id, name, secret_hash, scopes, rate_limit, rate_period,
                      created_at, last_used_at, expires_at, revoked_at)
VALUES (%(id)s, %(name)s, %(secret_hash)s, %(scopes)s, %(rate_limit)s, %(rate_period)s,
        %(created_at)s, %(last_used_at)s, %(expires_at)s, %(revoked_at)s)
"""

_GET = """
SELECT id, name, secret_hash, scopes, rate_limit, rate_period,
       created_at, last_used_at, expires_at, revoked_at
FROM api_keys
WHERE id = %(id)s
"""

_ALL = """
SELECT id, name, secret_hash, scopes, rate_limit, rate_period,
       created_at, last_used_at, expires_at, revoked_at
FROM api_keys
ORDER BY created_at, id
"""

# The first revocation is the one that counts: revoking again changes nothing.
_REVOKE = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, %(at)s) WHERE id = %(id)s"

# Every instance records uses; the condition keeps it to one write a minute per key, whichever
# instance gets there first.
_USED = """
UPDATE api_keys SET last_used_at = %(at)s
WHERE id = %(id)s AND (last_used_at IS NULL OR last_used_at <= %(at)s - interval '1 minute')
"""


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    """`translated()`, and a missing table reported as what it is: a migration not applied."""
    try:
        async with translated():
            yield
    except pg.UndefinedTable as error:
        log.error("the api_keys table is missing (migration 0005 not applied): %s", error)
        raise StorageUnavailable(
            "the api_keys table is missing: apply the migrations (library migrate apply)"
        ) from error


def _stored_key(row: dict[str, Any]) -> StoredKey:
    limit, period = row["rate_limit"], row["rate_period"]
    return StoredKey(
        id=row["id"],
        name=row["name"],
        secret_hash=row["secret_hash"],
        scopes=frozenset(row["scopes"]),
        rate=None if limit is None else Rate(limit, period),
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )


def _parameters(key: StoredKey) -> dict[str, object]:
    return {
        "id": key.id,
        "name": key.name,
        "secret_hash": key.secret_hash,
        "scopes": sorted(key.scopes),
        "rate_limit": None if key.rate is None else key.rate.limit,
        "rate_period": None if key.rate is None else key.rate.period,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "expires_at": key.expires_at,
        "revoked_at": key.revoked_at,
    }


class PostgresApiKeyStore:
    """The ApiKeyStore port over the pool; each call is one autocommit statement."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def add(self, key: StoredKey) -> None:
        """Store a new key.

        Raises:
            DuplicateApiKey: a key with its id is already stored.
        """
        try:
            async with _translated(), self._pool.connection() as connection:
                await connection.execute(_ADD, _parameters(key))
        except pg.UniqueViolation as error:
            raise DuplicateApiKey(key.id) from error

    async def get(self, key_id: str) -> StoredKey | None:
        async def fetch(connection: Connection) -> dict[str, Any] | None:
            cursor = connection.cursor(row_factory=dict_row)
            await cursor.execute(_GET, {"id": key_id})
            return await cursor.fetchone()

        async with _translated():
            row = await on_live_connection(self._pool, fetch)
        return None if row is None else _stored_key(row)

    async def all(self) -> Sequence[StoredKey]:
        """Every key, revoked and expired ones included, by creation time."""

        async def fetch(connection: Connection) -> list[dict[str, Any]]:
            cursor = connection.cursor(row_factory=dict_row)
            await cursor.execute(_ALL)
            return await cursor.fetchall()

        async with _translated():
            rows = await on_live_connection(self._pool, fetch)
        return [_stored_key(row) for row in rows]

    async def revoke(self, key_id: str, at: datetime) -> bool:
        """Mark the key revoked, keeping the first revocation; False when it does not exist."""

        async def write(connection: Connection) -> bool:
            cursor = await connection.execute(_REVOKE, {"id": key_id, "at": at})
            return cursor.rowcount > 0

        # Both writes are safe to repeat on another connection if the first one was dead.
        async with _translated():
            return await on_live_connection(self._pool, write)

    async def used(self, key_id: str, at: datetime) -> None:
        """Record a use at `at`, unless one was recorded less than a minute before it."""

        async def write(connection: Connection) -> None:
            await connection.execute(_USED, {"id": key_id, "at": at})

        async with _translated():
            await on_live_connection(self._pool, write)
