"""Safe retries: ProcessOnce over the memory and PostgreSQL key stores."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from library.adapters.memory.idempotency import MemoryIdempotencyStore
from library.adapters.postgres import create_pool
from library.adapters.postgres.idempotency import PostgresIdempotencyStore
from library.application.errors import StorageUnavailable
from library.application.idempotency import (
    IdempotencyKeyReused,
    IdempotencyStore,
    KeyInvalid,
    ProcessOnce,
    StoredResponse,
    check_key,
    fingerprint,
    scoped_key,
)


@pytest.fixture(params=["memory", "postgres"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[IdempotencyStore]:
    if request.param == "memory":
        yield MemoryIdempotencyStore()
        return
    url: str = request.getfixturevalue("postgres_url")
    pool = create_pool(url, min_size=1, max_size=8)
    await pool.open(wait=True)
    try:
        async with pool.connection() as connection:
            await connection.execute("TRUNCATE idempotency_keys")
        yield PostgresIdempotencyStore(pool)
    finally:
        await pool.close()


class Counter:
    def __init__(self, status: int = 201, delay: float = 0.0) -> None:
        self.calls = 0
        self.status = status
        self.delay = delay

    async def __call__(self) -> StoredResponse:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return StoredResponse(self.status, b'{"id": %d}' % self.calls, f"/books/{self.calls}")


async def test_a_repeat_gets_the_stored_response_without_doing_the_work_again(
    store: IdempotencyStore,
) -> None:
    once, work = ProcessOnce(store), Counter()
    print_ = fingerprint("POST", "/books", b'{"title": "Dune"}')
    first = await once("key-1", print_, work)
    second = await once("key-1", print_, work)
    assert first == second == StoredResponse(201, b'{"id": 1}', "/books/1")
    assert work.calls == 1


async def test_racing_repeats_are_answered_once(store: IdempotencyStore) -> None:
    once, work = ProcessOnce(store), Counter(delay=0.05)
    print_ = fingerprint("POST", "/books", b"{}")
    responses = await asyncio.gather(*(once("race", print_, work) for _ in range(10)))
    assert work.calls == 1
    assert len(set(responses)) == 1


async def test_the_same_key_for_another_request_is_refused(store: IdempotencyStore) -> None:
    once = ProcessOnce(store)
    await once("k", fingerprint("POST", "/books", b'{"title": "A"}'), Counter())
    for method, path, body in [
        ("POST", "/books", b'{"title": "B"}'),
        ("POST", "/authors", b'{"title": "A"}'),
        ("PUT", "/books", b'{"title": "A"}'),
    ]:
        with pytest.raises(IdempotencyKeyReused):
            await once("k", fingerprint(method, path, body), Counter())


async def test_a_failed_request_releases_its_key(store: IdempotencyStore) -> None:
    once = ProcessOnce(store)
    print_ = fingerprint("POST", "/books", b"{}")
    assert (await once("k", print_, Counter(status=503))).status == 503

    async def boom() -> StoredResponse:
        raise RuntimeError("lost the database")

    with pytest.raises(RuntimeError):
        await once("k", print_, boom)
    work = Counter()
    assert (await once("k", print_, work)).status == 201
    assert work.calls == 1


async def test_client_errors_are_kept_like_successes(store: IdempotencyStore) -> None:
    once, work = ProcessOnce(store), Counter(status=400)
    print_ = fingerprint("POST", "/books/1/reviews", b"{}")
    await once("k", print_, work)
    await once("k", print_, work)
    assert work.calls == 1


async def test_an_expired_key_is_a_new_key(store: IdempotencyStore) -> None:
    once, work = ProcessOnce(store, retention=-1), Counter()  # expired as soon as stored
    print_ = fingerprint("POST", "/books", b"{}")
    await once("k", print_, work)
    await once("k", fingerprint("POST", "/other", b"{}"), work)
    assert work.calls == 2


@pytest.mark.parametrize("key", ["", "a b", "é", "x" * 256, "tab\tkey"])
def test_keys_must_be_1_to_255_visible_ascii_characters(key: str) -> None:
    with pytest.raises(KeyInvalid):
        check_key(key)


def test_a_valid_key_is_returned_as_is() -> None:
    assert check_key("abc-123_~!" + "x" * 245) == "abc-123_~!" + "x" * 245


def test_fingerprints_tell_method_path_and_body_apart() -> None:
    prints: set[Any] = {
        fingerprint("POST", "/books", b"ab"),
        fingerprint("POST", "/booksa", b"b"),
        fingerprint("PUT", "/books", b"ab"),
        fingerprint("POST", "/books", b"ab "),
    }
    assert len(prints) == 4


async def test_a_claim_left_by_a_dead_instance_is_taken_over_after_its_lease(
    store: IdempotencyStore,
) -> None:
    print_ = fingerprint("POST", "/books", b"{}")
    dead = ProcessOnce(store, lease=0.3, wait=0.05)
    assert await dead.begin("orphan", print_) is None  # claimed; the instance then dies
    with pytest.raises(StorageUnavailable):
        await dead.begin("orphan", print_)  # still leased: a repeat waits, then gets a 503
    await asyncio.sleep(0.4)
    alive, work = ProcessOnce(store), Counter()
    assert (await alive("orphan", print_, work)).status == 201
    assert work.calls == 1
    assert (await alive("orphan", print_, work)).status == 201  # and it is kept now
    assert work.calls == 1


async def test_a_completed_key_is_not_taken_over_when_its_lease_runs_out(
    store: IdempotencyStore,
) -> None:
    once, work = ProcessOnce(store, lease=0.05), Counter()
    print_ = fingerprint("POST", "/books", b"{}")
    await once("done", print_, work)
    await asyncio.sleep(0.1)
    await once("done", print_, work)
    assert work.calls == 1


@pytest.mark.parametrize("status", [401, 403, 429, 500, 503])
async def test_refusals_and_failures_are_never_kept(store: IdempotencyStore, status: int) -> None:
    once = ProcessOnce(store)
    print_ = fingerprint("POST", "/books", b"{}")
    assert (await once("k", print_, Counter(status=status))).status == status
    work = Counter()
    assert (await once("k", print_, work)).status == 201
    assert work.calls == 1


def test_keys_are_scoped_by_principal() -> None:
    assert scoped_key("abc", None) == "abc"
    assert scoped_key("abc", "key:x") != scoped_key("abc", "key:y")
    assert scoped_key("abc", "key:x") != "abc"
