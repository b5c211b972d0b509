"""`library keys create | list | revoke | hash`, on PostgreSQL and without a database."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from library.adapters.memory import MemoryApiKeyStore
from library.adapters.postgres import PostgresApiKeyStore, create_pool
from library.application.access import (
    ADMIN,
    CATALOGUE_READ,
    CATALOGUE_WRITE,
    REVIEWS_WRITE,
    Principal,
    Rate,
    Unauthenticated,
)
from library.application.access.api_keys import StoredKey, hash_key, key_id_of, new_key
from library.application.access.authentication import ApiKeyVerifier
from library.config import Settings
from library.config.access import parse_api_keys
from library.container import create_container, start, stop
from library.entrypoints.cli.main import main

ENVIRONMENT = (
    "LIBRARY_DATABASE_URL",
    "DATABASE_URL",
    "POSTGRES_DB",
    "DB_HOST",
    "LIBRARY_API_KEYS",
    "LIBRARY_DEMO",
    "LIBRARY_REDIS_URL",
    "REDIS_URL",
    "REDIS_HOST",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Nothing of the machine's environment leaks into the CLI's settings."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def database(environment: pytest.MonkeyPatch, postgres_url: str) -> Iterator[str]:
    """LIBRARY_DATABASE_URL names this run's database, with no API key in it."""
    environment.setenv("LIBRARY_DATABASE_URL", postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("TRUNCATE api_keys")
    yield postgres_url
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("TRUNCATE api_keys")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    """Run `library keys ...`; its status and its lines on stdout and stderr."""
    status = main(["keys", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err.splitlines()


def created_key(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, list[str]]:
    """Create a key; the key (the last line) and every line before it."""
    status, out, err = run(capsys, "create", *args)
    assert (status, err) == (0, [])
    return out[-1], out[:-1]


def verified(key: str) -> Principal:
    """Verify `key` through the container the environment configures, as the server does."""

    async def verify() -> Principal:
        container = create_container(Settings.from_env())
        await start(container)
        try:
            verifier: ApiKeyVerifier = container.key_verifier()
            return await verifier.verify(key)
        finally:
            await stop(container)

    return asyncio.run(verify())


def refusal(key: str) -> str:
    with pytest.raises(Unauthenticated) as raised:
        verified(key)
    return raised.value.reason


# With PostgreSQL.


def test_create_stores_a_key_that_the_service_accepts(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key, lines = created_key(
        capsys,
        *("--name", "CI deploy", "--scope", CATALOGUE_WRITE, "--scope", REVIEWS_WRITE),
        *("--expires-in", "30", "--rate-limit", "100/minute"),
    )
    key_id = key_id_of(key)
    assert key_id is not None, key
    assert lines[0] == f"created API key {key_id}"
    text = "\n".join(lines)
    assert "CI deploy" in text
    assert "catalogue:write, reviews:write" in text
    assert "100/minute" in text
    assert "(in 30 days)" in text
    assert key not in text  # the key is on its own line, once
    assert hash_key(key) not in text

    principal = verified(key)
    assert principal == Principal(
        f"key:{key_id}", "key", key_id, {CATALOGUE_WRITE, REVIEWS_WRITE}, Rate(100, 60)
    )
    (stored,) = asyncio.run(_stored(database))
    assert stored.expires_at is not None
    assert stored.expires_at - stored.created_at == timedelta(days=30)
    assert stored.last_used_at is not None  # the verification above used it


def test_list_shows_each_key_by_id_and_never_its_secret(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = created_key(capsys, "--name", "first one", "--scope", ADMIN)
    second, _ = created_key(
        capsys, "--name", "reader", "--scope", CATALOGUE_READ, "--rate-limit", "10/second"
    )
    expired_key, expired_id = new_key()
    asyncio.run(
        _add(
            database,
            StoredKey(
                id=expired_id,
                name="old",
                secret_hash=hash_key(expired_key),
                scopes={CATALOGUE_READ},
                created_at=datetime.now(UTC) - timedelta(days=2),
                expires_at=datetime.now(UTC) - timedelta(days=1),
            ),
        )
    )
    assert run(capsys, "revoke", _id(second))[0] == 0

    status, out, err = run(capsys, "list")
    assert (status, err) == (0, [])
    assert [line.split()[0] for line in out] == [expired_id, _id(first), _id(second)]
    old, admin, reader = out
    assert "name=old" in old
    assert "state=expired" in old
    assert "name='first one'" in admin
    assert "scopes=admin" in admin
    assert "last-used=never" in admin
    assert "expires=never" in admin
    assert "state=active" in admin
    assert "rate=default" in admin
    assert "state=revoked" in reader
    assert "rate=10/second" in reader
    for key in (first, second, expired_key):
        secret = key.rsplit("_", 1)[1]
        assert secret not in "\n".join(out)
        assert hash_key(key) not in "\n".join(out)


def test_revoke_stops_the_key_and_says_when_there_is_none(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key, _ = created_key(capsys, "--name", "ci", "--scope", ADMIN)
    verified(key)
    status, out, err = run(capsys, "revoke", _id(key))
    assert (status, err) == (0, [])
    assert len(out) == 1
    assert _id(key) in out[0]
    assert refusal(key) == "revoked"
    assert run(capsys, "revoke", _id(key))[0] == 0  # again: still revoked

    status, out, err = run(capsys, "revoke", "aaaaaaaaaaaa")
    assert (status, out) == (1, [])
    assert len(err) == 1
    assert "no API key aaaaaaaaaaaa" in err[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--name", "ci", "--scope", "root"), "unknown scope root"),
        (("--name", "  ", "--scope", ADMIN), "needs a name"),
        (("--name", "ci", "--scope", ADMIN, "--rate-limit", "fast"), "not a rate"),
        (("--name", "ci", "--scope", ADMIN, "--rate-limit", "0/minute"), "a rate needs"),
        (("--name", "ci", "--scope", ADMIN, "--expires-in", "0"), "lifetime must be positive"),
        (("--name", "ci", "--scope", ADMIN, "--expires-in", "-3"), "lifetime must be positive"),
        (("--name", "ci", "--scope", ADMIN, "--expires-in", "1.5"), "whole number of days"),
        (("--name", "ci", "--scope", ADMIN, "--expires-in", "99999999"), "at most 36500"),
    ],
)
def test_create_refuses_bad_input_in_one_line(
    database: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, "create", *args)
    assert (status, out) == (2, [])
    assert len(err) == 1
    assert message in err[0]
    assert asyncio.run(_stored(database)) == []


def test_an_unreachable_database_is_one_line_and_status_1(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    environment.setenv("LIBRARY_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/library")
    environment.setenv("LIBRARY_DB_POOL_TIMEOUT", "0.3")
    for args in (
        ("list",),
        ("revoke", "aaaaaaaaaaaa"),
        ("create", "--name", "n", "--scope", ADMIN),
    ):
        status, out, err = run(capsys, *args)
        assert (status, out) == (1, [])
        assert len(err) == 1
        assert "PostgreSQL at 127.0.0.1:1 cannot be used" in err[0]


# Without a database.


def test_create_without_a_database_prints_the_entry_that_makes_the_key_work(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key, lines = created_key(
        capsys, "--name", "ci", "--scope", CATALOGUE_WRITE, "--rate-limit", "5/second"
    )
    assert "not stored" in lines[0]
    assert "LIBRARY_API_KEYS" in lines[0]
    entry = lines[1].strip()
    (stored,) = parse_api_keys(entry)
    assert (stored.id, stored.secret_hash) == (key_id_of(key), hash_key(key))
    assert key not in "\n".join(lines)
    assert refusal(key) == "invalid"  # not stored anywhere yet

    environment.setenv("LIBRARY_API_KEYS", entry)
    principal = verified(key)
    assert (principal.id, principal.scopes, principal.rate) == (
        f"key:{stored.id}",
        frozenset({CATALOGUE_WRITE}),
        Rate(5, 1),
    )
    status, out, _ = run(capsys, "list")
    assert status == 0
    assert "LIBRARY_API_KEYS" in out[0]
    assert out[1].split()[0] == stored.id
    assert "scopes=catalogue:write" in out[1]
    assert hash_key(key) not in "\n".join(out)


def test_without_a_database_keys_cannot_expire_or_be_revoked(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "create", "--name", "n", "--scope", ADMIN, "--expires-in", "3")
    assert (status, out) == (2, [])
    assert "needs a database" in err[0]
    status, out, err = run(capsys, "revoke", "aaaaaaaaaaaa")
    assert (status, out) == (2, [])
    assert len(err) == 1
    assert "LIBRARY_API_KEYS" in err[0]


def test_hash_prints_an_entry_that_verifies_the_key(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key, key_id = new_key()
    status, out, err = run(
        capsys,
        *("hash", key, "--scope", REVIEWS_WRITE, "--scope", CATALOGUE_READ),
        *("--scope", REVIEWS_WRITE, "--rate-limit", "30/5minutes"),
    )
    assert (status, err) == (0, [])
    assert out == [f"{key_id} {hash_key(key)} catalogue:read,reviews:write 30/300seconds"]
    keys = parse_api_keys(out[0])
    principal = asyncio.run(ApiKeyVerifier(MemoryApiKeyStore(keys)).verify(key))
    assert principal == Principal(
        f"key:{key_id}", "key", key_id, {CATALOGUE_READ, REVIEWS_WRITE}, Rate(30, 300)
    )
    other, _ = new_key()
    with pytest.raises(Unauthenticated):
        asyncio.run(ApiKeyVerifier(MemoryApiKeyStore(keys)).verify(other))


def test_hash_reads_the_key_from_standard_input(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key, key_id = new_key()
    environment.setattr("sys.stdin", io.StringIO(key + "\n"))
    status, out, _ = run(capsys, "hash", "-", "--scope", ADMIN)
    assert status == 0
    assert out == [f"{key_id} {hash_key(key)} admin"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hash", "lib_aaaaaaaaaaaa_" + "a" * 36, "--scope", ADMIN), "not an API key"),
        (("hash", "not-a-key", "--scope", ADMIN), "not an API key"),
        (("hash", "KEY", "--scope", "root"), "unknown scope root"),
        (("hash", "KEY", "--scope", ADMIN, "--rate-limit", "often"), "not a rate"),
    ],
)
def test_hash_refuses_bad_input_in_one_line(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    key, _ = new_key()
    status, out, err = run(capsys, *(key if arg == "KEY" else arg for arg in args))
    assert (status, out) == (2, [])
    assert len(err) == 1
    assert message in err[0]


def test_hash_without_a_scope_is_a_usage_error(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["keys", "hash", new_key()[0]])
    assert exited.value.code == 2
    assert "--scope" in capsys.readouterr().err


def _id(key: str) -> str:
    key_id = key_id_of(key)
    assert key_id is not None
    return key_id


async def _stored(url: str) -> list[StoredKey]:
    pool = create_pool(url, min_size=1, max_size=1)
    await pool.open(wait=True)
    try:
        return list(await PostgresApiKeyStore(pool).all())
    finally:
        await pool.close()


async def _add(url: str, key: StoredKey) -> None:
    pool = create_pool(url, min_size=1, max_size=1)
    await pool.open(wait=True)
    try:
        await PostgresApiKeyStore(pool).add(key)
    finally:
        await pool.close()
