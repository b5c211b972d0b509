"""Feed a catalogue file to a running service over its public API (any API.md server).

Each record carries an Idempotency-Key derived from the file and the record's position, so
retries (after a 503 or a lost connection) and re-runs never create a record twice on a
server that honours the header. Routes are written with a trailing slash, which the original
service requires and this one accepts. A 429 is waited out as its `Retry-After` says, without
counting as a failed attempt: a rate-limited feed goes slower, it does not fail.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
from attrs import define, field

RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRY_AFTER = 60.0  # seconds: longer waits asked for are capped, so a run never stalls


def retry_after(response: httpx.Response) -> float:
    """The wait a 429 asks for (`Retry-After` in seconds), 1 s when it names none."""
    raw = response.headers.get("retry-after", "").strip()
    try:
        seconds = float(raw)
    except ValueError:
        return 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@define
class SeedSummary:
    authors_created: int = 0
    books_created: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[str] = field(factory=list)

    @property
    def books_per_second(self) -> float:
        return self.books_created / self.seconds if self.seconds else 0.0


class SeedFailed(Exception):
    """The authors could not all be created, so the books cannot name them."""


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


class HttpSeeder:
    """Post authors, then books (with the new author ids), `concurrency` requests at a time."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        key_prefix: str,
        concurrency: int = 10,
        attempts: int = 6,
        progress: Callable[[int, int], None] = lambda done, total: None,
    ) -> None:
        self._client = client
        self._key_prefix = key_prefix
        self._concurrency = concurrency
        self._attempts = attempts
        self._progress = progress

    async def seed(self, document: Mapping[str, Any]) -> SeedSummary:
        started = time.perf_counter()
        summary = SeedSummary()
        authors: Sequence[Mapping[str, Any]] = document.get("authors") or []
        books: Sequence[Mapping[str, Any]] = document.get("books") or []
        author_ids: list[int | None] = [None] * len(authors)

        async def post_author(index: int) -> None:
            record = authors[index]
            body = {"name": record.get("name"), "email": record.get("email")}
            created = await self._post("/authors/", body, f"a{index}", summary)
            if created is not None:
                author_ids[index] = created
                summary.authors_created += 1

        await self._run(post_author, len(authors))
        if any(i is None for i in author_ids):
            summary.seconds = time.perf_counter() - started
            raise SeedFailed(f"{author_ids.count(None)} author(s) could not be created")

        async def post_book(index: int) -> None:
            record = dict(books[index])
            record["author_ids"] = [author_ids[p - 1] for p in record.get("author_ids") or []]
            if await self._post("/books/", record, f"b{index}", summary) is not None:
                summary.books_created += 1

        await self._run(post_book, len(books), report=True)
        summary.seconds = time.perf_counter() - started
        return summary

    async def _run(self, post: Callable[[int], Any], count: int, *, report: bool = False) -> None:
        positions = iter(range(count))
        done = 0

        async def worker() -> None:
            nonlocal done
            for index in positions:  # shared iterator: each position goes to one worker
                await post(index)
                done += 1
                if report:
                    self._progress(done, count)

        await asyncio.gather(*(worker() for _ in range(self._concurrency)))

    async def _post(
        self, path: str, body: Mapping[str, Any], record: str, summary: SeedSummary
    ) -> int | None:
        """POST with retries; the new resource's id, or None (counted as failed)."""
        headers = {"Idempotency-Key": f"{self._key_prefix}-{record}"}
        delay = 0.1
        attempt = 0
        while attempt < self._attempts:
            attempt += 1
            try:
                response = await self._client.post(path, json=body, headers=headers)
            except httpx.TransportError as error:
                problem = f"{record}: {type(error).__name__}"
            else:
                if response.status_code in (200, 201):
                    created: int = response.json()["id"]
                    return created
                problem = f"{record}: {response.status_code} {response.text[:200]}"
                if response.status_code == 429:
                    attempt -= 1  # throttled, not failed
                    await asyncio.sleep(retry_after(response))
                    continue
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt < self._attempts:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        summary.failed += 1
        summary.failures.append(problem)
        return None
