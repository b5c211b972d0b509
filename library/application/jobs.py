"""Background jobs: bulk imports and cache warming, taken from a queue by `library worker`.

A job may be delivered more than once (a worker that crashed mid-job never acknowledged it),
so every job is safe to apply twice: imports skip what exists, warming only reads. A job
known to be finished is acknowledged without running again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import orjson
from attrs import frozen

from library.application.catalogue import (
    BrowseAuthors,
    BrowseBooks,
)
from library.application.catalogue_import import ImportCatalogue, ImportRefused
from library.application.list_params import AuthorListParams, BookListParams
from library.application.ports import AuthorFilter, Catalogue, RenderedCatalogue

log = logging.getLogger(__name__)


@frozen
class ImportJob:
    """Import a catalogue file (its bytes travel with the job)."""

    document: bytes
    skip_invalid: bool = False


@frozen
class WarmCacheJob:
    """Read the most requested pages once, so that they are cached before clients ask."""

    top_books: int = 100


Job = ImportJob | WarmCacheJob


@frozen
class Delivery:
    """A job as a worker received it; `job` is None when it could not be decoded."""

    id: str
    job: Job | None


class JobQueue(Protocol):
    async def enqueue(self, job: Job) -> str: ...

    async def receive(self, consumer: str, *, wait: float) -> Sequence[Delivery]:
        """New jobs, or jobs a crashed consumer left unacknowledged for long enough."""

    async def finished(self, delivery: Delivery) -> bool:
        """Whether the job was completed before (and only its acknowledgement was lost)."""

    async def acknowledge(self, delivery: Delivery) -> None:
        """Record the job as completed and remove it from the pending ones."""

    async def close(self) -> None: ...


class WarmCache:
    """Read the first list pages, every author and the most-reviewed books through the cache.

    Which authors and books there are comes from storage (`catalogue`); the reads that fill
    the cache go through it (`cached`).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        cached: RenderedCatalogue,
        browse_books: BrowseBooks,
        browse_authors: BrowseAuthors,
    ) -> None:
        self._catalogue = catalogue
        self._cached = cached
        self._browse_books = browse_books
        self._browse_authors = browse_authors

    async def __call__(self, top_books: int) -> int:
        """Return how many pages were read."""
        pages = 0
        for sort in ((), ("title",), ("year",), ("year:desc",)):
            await self._browse_books(BookListParams(sort=sort))
            pages += 1
        await self._browse_authors(AuthorListParams())
        pages += 1
        offset = 0
        while True:
            authors = await self._catalogue.authors(AuthorFilter(limit=100, offset=offset))
            for author in authors:
                await self._cached.author(author.id)
                await self._cached.author_books(author.id)
                pages += 2
            if len(authors) < 100:
                break
            offset += 100
        for book_id in await self._catalogue.most_reviewed_books(top_books):
            await self._cached.book(book_id)
            pages += 1
        return pages


class ProcessJobs:
    """Take jobs from the queue, run each, acknowledge it."""

    def __init__(
        self, queue: JobQueue, import_catalogue: ImportCatalogue, warm_cache: WarmCache
    ) -> None:
        self._queue = queue
        self._import = import_catalogue
        self._warm = warm_cache

    async def __call__(self, consumer: str, *, wait: float = 1.0) -> int:
        """Process what is waiting (blocking up to `wait` s for it); return how many jobs."""
        deliveries = await self._queue.receive(consumer, wait=wait)
        for delivery in deliveries:
            if not await self._queue.finished(delivery):
                await self._run(delivery)
            await self._queue.acknowledge(delivery)
        return len(deliveries)

    async def _run(self, delivery: Delivery) -> None:
        job = delivery.job
        log.info("job %s: %s", delivery.id, type(job).__name__ if job else "undecodable")
        if isinstance(job, ImportJob):
            try:
                report = await self._import(
                    orjson.loads(job.document), skip_invalid=job.skip_invalid
                )
            except (ImportRefused, orjson.JSONDecodeError) as refused:
                # A bad file fails the same way every time: record why and drop the job.
                log.error("job %s: import refused: %s", delivery.id, refused)
                return
            log.info("job %s: %d new books", delivery.id, report.books_added)
        elif isinstance(job, WarmCacheJob):
            pages = await self._warm(job.top_books)
            log.info("job %s: warmed %d pages", delivery.id, pages)
        else:
            log.error("job %s cannot be read; dropped", delivery.id)
