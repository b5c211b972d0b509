"""`library worker`: jobs from the Redis stream, acknowledged, and surviving a crash."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import psycopg
import pytest

from library.adapters.memory import MemoryCatalogue, MemoryStore
from library.adapters.memory.importer import MemoryImporter
from library.adapters.redis_cache import create_client
from library.adapters.redis_jobs import RedisJobQueue
from library.application.catalogue import BrowseAuthors, BrowseBooks
from library.application.catalogue_import import ImportCatalogue
from library.application.events import EventBus
from library.application.jobs import ImportJob, ProcessJobs, WarmCache, WarmCacheJob
from library.application.ports import BookFilter
from library.application.rendering import RenderingCatalogue
from library.entrypoints.cli.catalogue_generator import generate_catalogue
from tests.postgres.pg_support import EMPTY_CATALOGUE

REDIS_URL = os.environ.get("LIBRARY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def queue() -> AsyncIterator[RedisJobQueue]:
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    queue = RedisJobQueue(
        create_client(REDIS_URL, cluster=False, timeout=5.0), namespace=namespace, claim_after=0.2
    )
    cleaner = create_client(REDIS_URL, cluster=False, timeout=5.0)
    try:
        yield queue
    finally:
        await queue.close()
        async for key in cleaner.scan_iter(match=f"{{{namespace}-jobs}}:*"):
            await cleaner.delete(key)
        await cleaner.aclose()


def _processor(queue: RedisJobQueue) -> tuple[ProcessJobs, MemoryCatalogue]:
    store = MemoryStore()
    catalogue = MemoryCatalogue(store)
    importer = ImportCatalogue(MemoryImporter(store), EventBus())
    rendered = RenderingCatalogue(catalogue)
    warm = WarmCache(catalogue, rendered, BrowseBooks(rendered), BrowseAuthors(rendered))
    return ProcessJobs(queue, importer, warm), catalogue


async def _book_count(catalogue: MemoryCatalogue) -> int:
    return len(await catalogue.books(BookFilter(), after=None, offset=0, limit=100_000))


async def test_jobs_are_processed_and_acknowledged(queue: RedisJobQueue) -> None:
    process, catalogue = _processor(queue)
    document = orjson.dumps(generate_catalogue(books=30, authors=4, seed=8))
    await queue.enqueue(ImportJob(document))
    await queue.enqueue(WarmCacheJob(top_books=5))
    handled = 0
    while handled < 2:
        handled += await process("worker-a", wait=0.5)
    assert await _book_count(catalogue) == 30
    assert await queue.pending() == 0
    assert await process("worker-a", wait=0.1) == 0


async def test_a_job_left_pending_by_a_dead_worker_is_taken_over_once(
    queue: RedisJobQueue,
) -> None:
    process, catalogue = _processor(queue)
    await queue.enqueue(ImportJob(orjson.dumps(generate_catalogue(books=10, authors=2))))
    # A worker receives the job and dies before acknowledging it.
    taken = await queue.receive("doomed", wait=0.5)
    assert len(taken) == 1
    await asyncio.sleep(0.3)  # longer than claim_after
    assert await process("survivor", wait=0.5) == 1
    assert await _book_count(catalogue) == 10
    assert await queue.pending() == 0


async def test_a_finished_job_whose_acknowledgement_was_lost_does_not_run_again(
    queue: RedisJobQueue,
) -> None:
    process, catalogue = _processor(queue)
    await queue.enqueue(ImportJob(orjson.dumps(generate_catalogue(books=5, authors=2))))
    (delivery,) = await queue.receive("first", wait=0.5)
    # The completion marker was written; the acknowledgement was lost with the worker.
    await queue._client.set(queue._done + delivery.id, b"1")
    await asyncio.sleep(0.3)
    assert await process("second", wait=0.5) == 1
    assert await _book_count(catalogue) == 0  # not applied by the second worker
    assert await queue.pending() == 0


async def test_an_unreadable_or_refused_job_is_dropped_not_retried_forever(
    queue: RedisJobQueue,
) -> None:
    process, catalogue = _processor(queue)
    await queue._client.xadd(queue._stream, {"kind": b"mystery"})
    await queue.enqueue(ImportJob(b'{"authors": [{"name": ""}], "books": []}'))
    await queue.enqueue(ImportJob(b"not json"))
    handled = 0
    while handled < 3:
        handled += await process("w", wait=0.5)
    assert await queue.pending() == 0
    assert await _book_count(catalogue) == 0


def _worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "library.entrypoints.worker.main", "--consumer", name],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(predicate: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.1)


@pytest.mark.slow
def test_a_worker_killed_mid_import_leaves_the_job_to_another_exactly_once(
    postgres_url: str,
) -> None:
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LIBRARY_")},
        "LIBRARY_DATABASE_URL": postgres_url,
        "LIBRARY_REDIS_URL": REDIS_URL,
        "LIBRARY_CACHE_NAMESPACE": namespace,
        "LIBRARY_WORKER_CLAIM_AFTER": "1",
    }
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(EMPTY_CATALOGUE)
    document = orjson.dumps(generate_catalogue(books=30_000, authors=50, seed=11))

    async def enqueue() -> None:
        queue = RedisJobQueue(
            create_client(REDIS_URL, cluster=False, timeout=5), namespace=namespace
        )
        await queue.enqueue(ImportJob(document))
        await queue.close()

    asyncio.run(enqueue())
    first = _worker(env, "first")
    try:
        # Kill it once it has committed some batches but not all.
        def some_books() -> bool:
            with psycopg.connect(postgres_url) as connection:
                row = connection.execute("SELECT count(*) FROM books").fetchone()
                return row is not None and row[0] > 0

        _wait_for(some_books, 60)
        first.kill()
        first.wait(10)
        with psycopg.connect(postgres_url) as connection:
            row = connection.execute("SELECT count(*) FROM books").fetchone()
        assert row is not None
        assert row[0] < 30_000, "the import finished before the kill"
        second = _worker(env, "second")
        try:

            def all_books() -> bool:
                with psycopg.connect(postgres_url) as connection:
                    row = connection.execute("SELECT count(*) FROM books").fetchone()
                    return row is not None and row[0] >= 30_000

            _wait_for(all_books, 90)
            time.sleep(1)
        finally:
            second.terminate()
            second.wait(20)
        with psycopg.connect(postgres_url) as connection:
            books = connection.execute("SELECT count(*) FROM books").fetchone()
            authors = connection.execute("SELECT count(*) FROM authors").fetchone()
        assert books == (30_000,)
        assert authors == (50,)
    finally:
        if first.poll() is None:
            first.kill()

        async def clean() -> None:
            client = create_client(REDIS_URL, cluster=False, timeout=5)
            async for key in client.scan_iter(match=f"{{{namespace}-jobs}}:*"):
                await client.delete(key)
            await client.aclose()

        asyncio.run(clean())
