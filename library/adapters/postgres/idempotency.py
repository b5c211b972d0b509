"""Idempotency keys in PostgreSQL: one row per key, claimed with INSERT ... ON CONFLICT."""

from __future__ import annotations

from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Pool
from library.application.idempotency import Claim, ClaimState, StoredResponse

# Take the key when it is unused, expired, or left without a response by a holder whose lease
# ran out; otherwise return what is there. One statement, so two racing requests cannot both
# take it.
_CLAIM = """
WITH taken AS (
    INSERT INTO idempotency_keys (key, fingerprint, expires_at, locked_until)
    VALUES (%(key)s, %(fingerprint)s, to_timestamp(%(expires_at)s), to_timestamp(%(lease_until)s))
    ON CONFLICT (key) DO UPDATE
        SET fingerprint = excluded.fingerprint, expires_at = excluded.expires_at,
            locked_until = excluded.locked_until,
            response_status = NULL, response_body = NULL, response_location = NULL
        WHERE idempotency_keys.expires_at <= now()
            OR (idempotency_keys.response_status IS NULL
                AND idempotency_keys.locked_until <= now())
    RETURNING true AS new
)
SELECT true, NULL, NULL::smallint, NULL::bytea, NULL FROM taken
UNION ALL
SELECT false, fingerprint, response_status, response_body, response_location
FROM idempotency_keys
WHERE key = %(key)s AND NOT EXISTS (SELECT 1 FROM taken)
"""

_COMPLETE = """
UPDATE idempotency_keys
SET response_status = %(status)s, response_body = %(body)s, response_location = %(location)s,
    locked_until = NULL
WHERE key = %(key)s
"""

_RELEASE = "DELETE FROM idempotency_keys WHERE key = %(key)s AND response_status IS NULL"

_SWEEP = "DELETE FROM idempotency_keys WHERE expires_at <= now()"


class PostgresIdempotencyStore:
    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def claim(
        self, key: str, fingerprint: str, expires_at: float, lease_until: float
    ) -> Claim:
        parameters = {
            "key": key,
            "fingerprint": fingerprint,
            "expires_at": expires_at,
            "lease_until": lease_until,
        }
        async with translated(), self._pool.connection() as connection:
            cursor = await connection.execute(_CLAIM, parameters)
            row = await cursor.fetchone()
        if row is None:  # the row was released between the two halves: try again
            return Claim(ClaimState.RUNNING)
        new, stored_fingerprint, status, body, location = row
        if new:
            return Claim(ClaimState.NEW)
        if stored_fingerprint != fingerprint:
            return Claim(ClaimState.MISMATCH)
        if status is None:
            return Claim(ClaimState.RUNNING)
        return Claim(ClaimState.DONE, StoredResponse(status, bytes(body), location))

    async def complete(self, key: str, response: StoredResponse) -> None:
        async with translated(), self._pool.connection() as connection:
            await connection.execute(
                _COMPLETE,
                {
                    "key": key,
                    "status": response.status,
                    "body": response.body,
                    "location": response.location,
                },
            )

    async def release(self, key: str) -> None:
        async with translated(), self._pool.connection() as connection:
            await connection.execute(_RELEASE, {"key": key})

    async def sweep(self) -> int:
        """Delete expired keys; return how many."""
        async with translated(), self._pool.connection() as connection:
            cursor = await connection.execute(_SWEEP)
            return cursor.rowcount
