"""Contract of the ApiKeyStore port, on memory and on PostgreSQL; then PostgreSQL's failures."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from attrs import evolve
from psycopg import sql

from library.adapters.memory import MemoryApiKeyStore
from library.adapters.postgres import PostgresApiKeyStore, create_pool
from library.application.access import ADMIN, CATALOGUE_READ, CATALOGUE_WRITE, Rate
from library.application.access.api_keys import ApiKeyStore, StoredKey, hash_key, new_key
from library.application.errors import StorageUnavailable

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KOLKATA = timezone(timedelta(hours=5, minutes=30))


def stored(
    key_id: str | None = None,
    *,
    created_at: datetime = T0,
    name: str = "ci",
    scopes: frozenset[str] = frozenset({CATALOGUE_READ}),
    rate: Rate | None = None,
    expires_at: datetime | None = None,
    last_used_at: datetime | None = None,
    revoked_at: datetime | None = None,
) -> StoredKey:
    key, fresh_id = new_key()
    return StoredKey(
        id=key_id or fresh_id,
        name=name,
        secret_hash=hash_key(key),
        scopes=scopes,
        rate=rate,
        created_at=created_at,
        last_used_at=last_used_at,
        expires_at=expires_at,
        revoked_at=revoked_at,
    )


@pytest.fixture(params=["memory", "postgres"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[ApiKeyStore]:
    if request.param == "memory":
        yield MemoryApiKeyStore()
        return
    url: str = request.getfixturevalue("postgres_url")
    pool = create_pool(url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        async with pool.connection() as connection:
            await connection.execute("TRUNCATE api_keys")
        yield PostgresApiKeyStore(pool)
    finally:
        async with pool.connection() as connection:
            await connection.execute("TRUNCATE api_keys")
        await pool.close()


async def test_a_key_comes_back_as_it_was_added(store: ApiKeyStore) -> None:
    key = stored(
        name="nightly import",
        scopes=frozenset({CATALOGUE_READ, CATALOGUE_WRITE, ADMIN}),
        rate=Rate(600, 60),
        expires_at=T0 + timedelta(days=30),
    )
    await store.add(key)
    assert await store.get(key.id) == key
    assert await store.get(new_key()[1]) is None


async def test_a_key_without_rate_or_times_comes_back_without_them(store: ApiKeyStore) -> None:
    key = stored()
    await store.add(key)
    back = await store.get(key.id)
    assert back == key
    assert back is not None
    assert (back.rate, back.expires_at, back.last_used_at, back.revoked_at) == (None,) * 4


async def test_rates_of_any_period_round_trip(store: ApiKeyStore) -> None:
    rates = [Rate(1, 1), Rate(30, 300), Rate(100_000, 86_400)]
    keys = [stored(rate=rate, created_at=T0 + timedelta(seconds=i)) for i, rate in enumerate(rates)]
    for key in keys:
        await store.add(key)
    assert [(await store.get(key.id)) for key in keys] == keys
    assert [key.rate for key in await store.all()] == rates


async def test_times_in_any_zone_come_back_equal_and_aware(store: ApiKeyStore) -> None:
    created = datetime(2026, 3, 1, 17, 30, 0, 123456, tzinfo=KOLKATA)  # microseconds kept
    key = stored(
        created_at=created,
        expires_at=created + timedelta(days=1),
        last_used_at=created + timedelta(hours=1),
        revoked_at=created + timedelta(hours=2),
    )
    await store.add(key)
    back = await store.get(key.id)
    assert back == key
    assert back is not None
    times = (back.created_at, back.expires_at, back.last_used_at, back.revoked_at)
    assert all(t is not None and t.utcoffset() is not None for t in times)
    assert back.created_at == datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


async def test_adding_a_second_key_with_the_same_id_is_refused(store: ApiKeyStore) -> None:
    first = stored(name="first")
    await store.add(first)
    with pytest.raises(ValueError, match=first.id):
        await store.add(stored(first.id, name="second"))
    assert await store.get(first.id) == first


async def test_all_lists_every_key_by_creation_time(store: ApiKeyStore) -> None:
    middle = stored(created_at=T0 + timedelta(minutes=1), revoked_at=T0 + timedelta(minutes=5))
    late = stored(created_at=T0 + timedelta(minutes=2), expires_at=T0 + timedelta(minutes=3))
    early = stored(created_at=T0 - timedelta(days=1))
    assert list(await store.all()) == []
    for key in (middle, late, early):
        await store.add(key)
    assert list(await store.all()) == [early, middle, late]  # revoked and expired ones too


async def test_revoking_an_unknown_key_says_so(store: ApiKeyStore) -> None:
    await store.add(stored())
    assert await store.revoke(new_key()[1], T0) is False
    assert [key.revoked_at for key in await store.all()] == [None]


async def test_revoking_keeps_the_first_revocation_time(store: ApiKeyStore) -> None:
    key, other = stored(), stored(created_at=T0 + timedelta(seconds=1))
    await store.add(key)
    await store.add(other)
    assert await store.revoke(key.id, T0 + timedelta(hours=1)) is True
    assert await store.revoke(key.id, T0 + timedelta(hours=2)) is True  # still there
    back = await store.get(key.id)
    assert back is not None
    assert back.revoked_at == T0 + timedelta(hours=1)
    assert back == evolve(key, revoked_at=T0 + timedelta(hours=1))
    assert await store.get(other.id) == other  # only that key


async def test_a_use_is_recorded_at_most_once_a_minute(store: ApiKeyStore) -> None:
    key = stored()
    await store.add(key)

    async def last_used() -> datetime | None:
        back = await store.get(key.id)
        assert back is not None
        return back.last_used_at

    first = T0 + timedelta(hours=1)
    await store.used(key.id, first)
    assert await last_used() == first
    await store.used(key.id, first + timedelta(seconds=59, microseconds=999_999))
    assert await last_used() == first
    await store.used(key.id, first - timedelta(minutes=5))  # another instance's slower clock
    assert await last_used() == first
    await store.used(key.id, first + timedelta(minutes=1))
    assert await last_used() == first + timedelta(minutes=1)
    later = first + timedelta(days=3)
    await store.used(key.id, later)
    assert await last_used() == later
    back = await store.get(key.id)
    assert back == evolve(key, last_used_at=later)  # nothing else changed


async def test_a_use_of_an_unknown_key_changes_nothing(store: ApiKeyStore) -> None:
    await store.used(new_key()[1], T0)
    assert list(await store.all()) == []


# PostgreSQL only: what the store says when it cannot do its job.


async def test_an_unreachable_database_raises_storage_unavailable() -> None:
    # Port 1 on the loopback: nothing listens there, every connection attempt is refused.
    pool = create_pool("postgresql://postgres@127.0.0.1:1/library", min_size=0, connect_timeout=0.2)
    await pool.open(wait=False)
    keys = PostgresApiKeyStore(pool)
    try:
        with pytest.raises(StorageUnavailable):
            await keys.get("aaaaaaaaaaaa")
        with pytest.raises(StorageUnavailable):
            await keys.all()
        with pytest.raises(StorageUnavailable):
            await keys.add(stored())
        with pytest.raises(StorageUnavailable):
            await keys.revoke("aaaaaaaaaaaa", T0)
        with pytest.raises(StorageUnavailable):
            await keys.used("aaaaaaaaaaaa", T0)
    finally:
        await pool.close()


@pytest.fixture
def unmigrated_url(postgres_url: str) -> Iterator[str]:
    """A database of its own with no migration applied, next to this run's."""
    name = f"library_test_bare_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


async def test_a_database_without_the_migration_says_to_apply_it(unmigrated_url: str) -> None:
    pool = create_pool(unmigrated_url, min_size=1, max_size=1)
    await pool.open(wait=True)
    try:
        with pytest.raises(StorageUnavailable, match="migrate apply"):
            await PostgresApiKeyStore(pool).get("aaaaaaaaaaaa")
    finally:
        await pool.close()
