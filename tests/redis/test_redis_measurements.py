"""What the cache buys, measured in this run and printed (reported, not asserted).

- latency of `GET /books/{id}` in-process (ASGI, no network): a cache hit, a cache miss (the
  entry invalidated before each request) and the same read on an instance without a cache,
  over the in-memory catalogue and over PostgreSQL;
- hit ratios of a repeated-read workload (skewed towards popular pages), with and without a
  trickle of writes;
- the cost of encoding and decoding the cached form of a book detail.
"""

from __future__ import annotations

import functools
import random
import statistics
import time
import timeit
from collections.abc import Callable
from typing import Any

import pytest

from library.adapters.redis_cache import CacheKeys
from library.adapters.redis_cache.codec import seal, seal_hits, unseal, unseal_hits
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookView,
    ReviewView,
    book_hit,
)
from library.application.rendered import render
from library.application.rendering import rendered_hit
from tests.redis_support import (
    REDIS_URL,
    Instance,
    cached_settings,
    every_page,
    get_page,
    running_instance,
    seed_catalogue,
)

REQUESTS = 500


def report(capsys: pytest.CaptureFixture[str], lines: list[str]) -> None:
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    median = statistics.median(ordered) * 1e3
    p90 = ordered[int(len(ordered) * 0.9)] * 1e3
    return f"median {median:6.3f} ms  p90 {p90:6.3f} ms"


async def timed_gets(
    app: Instance, path: str, before: Callable[[], Any] | None = None
) -> list[float]:
    samples = []
    for _ in range(REQUESTS):
        if before is not None:
            await before()
        started = time.perf_counter()
        result = await app.get(path)
        samples.append(time.perf_counter() - started)
        assert result.status_code == 200
    return samples


async def add_reviews(app: Instance, book_id: int, count: int) -> None:
    for n in range(count):
        body = {"reviewer_name": f"Reader {n}", "rating": 1 + n % 5, "comment": "Good. " * 20}
        assert (await app.send("POST", f"/books/{book_id}/reviews", body)).status_code == 201


@pytest.mark.parametrize("storage", ["memory", "postgres"])
async def test_latency_of_a_cached_book_detail(
    storage: str,
    namespace: str,
    database: str,
    redis_client: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database_url = database if storage == "postgres" else None
    cached_app = running_instance(
        cached_settings(database_url, REDIS_URL, namespace), name="cached"
    )
    async with cached_app as cached:
        seeded = await seed_catalogue(cached, authors=3, books=4)
        book = seeded.book_ids[1]
        await add_reviews(cached, book, 9)
        path = f"/books/{book}"
        await cached.get(path)
        keys = CacheKeys(namespace)
        cache = cached.container.cache.entries()

        async def invalidate() -> None:
            await cache.bump([keys.book_generation(book)])

        misses = await timed_gets(cached, path, before=invalidate)
        await cached.get(path)
        hits_before = cached.observer.total("hit")
        hits = await timed_gets(cached, path)
        assert cached.observer.total("hit") - hits_before == REQUESTS
        size = len(await redis_client.get(keys.book(book)))
        body = (await cached.get(path)).json

    if storage == "postgres":
        uncached_app = running_instance(cached_settings(database, None, "none"), name="plain")
        async with uncached_app as uncached:
            plain = await timed_gets(uncached, path)
            assert (await uncached.get(path)).json == body
    else:
        async with running_instance(cached_settings(None, None, "none"), name="plain") as plain_app:
            copy = await seed_catalogue(plain_app, authors=3, books=4)
            await add_reviews(plain_app, copy.book_ids[1], 9)
            plain = await timed_gets(plain_app, path)
            assert (await plain_app.get(path)).json == body

    report(
        capsys,
        [
            f"[latency, {storage}] GET /books/{{id}} in-process, {REQUESTS} requests each "
            f"(detail with {len(body['authors'])} authors, {len(body['reviews'])} reviews, "
            f"entry {size} bytes)",
            f"  cache hit       {summary(hits)}",
            f"  cache miss      {summary(misses)}  (entry invalidated before each request)",
            f"  without a cache {summary(plain)}",
        ],
    )


@pytest.mark.parametrize("writes_per_100", [0, 1, 5])
async def test_hit_ratio_of_a_repeated_read_workload(
    writes_per_100: int, namespace: str, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = cached_settings(database, REDIS_URL, namespace)
    async with running_instance(settings) as app:
        seeded = await seed_catalogue(app, authors=8, books=30)
        pages = every_page(seeded)
        rng = random.Random(4)
        weights = [1 / (rank + 1) for rank in range(len(pages))]  # Zipf: a few pages are hot
        rng.shuffle(pages)
        reads = writes = 0
        started = time.perf_counter()
        while reads < 2000:
            if rng.randrange(100) < writes_per_100:
                book = rng.choice(seeded.book_ids)
                writes += 1
                body = {"title": f"Book {book} v{writes}"}
                assert (await app.send("PATCH", f"/books/{book}", body)).status_code == 200
            else:
                reads += 1
                assert (await get_page(app, rng.choices(pages, weights)[0])).status_code == 200
        elapsed = time.perf_counter() - started
        counts = app.observer.counts
        kinds = sorted({kind for _, kind in counts})
        per_kind = ", ".join(
            f"{kind} {counts['hit', kind] / max(1, counts['hit', kind] + counts['miss', kind]):.0%}"
            for kind in kinds
        )
        hits, misses = app.observer.total("hit"), app.observer.total("miss")
        report(
            capsys,
            [
                f"[hit ratio, postgres, {writes_per_100} writes per 100 requests] {reads} reads "
                f"over {len(pages)} pages (Zipf), {writes} writes: "
                f"{hits / (hits + misses):.1%} hits overall ({per_kind}); "
                f"{(reads + writes) / elapsed:.0f} requests/s in-process"
            ],
        )


def test_cost_of_encoding_and_decoding_a_book_detail(capsys: pytest.CaptureFixture[str]) -> None:
    authors = tuple(AuthorView(i, f"Author Number {i}", f"author{i}@example.com") for i in range(3))
    detail = BookDetail(
        id=12345,
        title="The Left Hand of Darkness",
        year=1969,
        book_isbn="9780441478125",
        genre_name="Science fiction",
        description="A human envoy is sent to Gethen, a planet whose inhabitants ... " * 4,
        authors=authors,
        reviews=tuple(
            ReviewView(i, f"Reader {i}", 1 + i % 5, "Loved it. " * 10) for i in range(10)
        ),
        review_count=10,
        rating_avg=3.1,
    )
    page = [
        book_hit(BookView(i, f"Title {i}", 2000, None, "Fantasy", "Text " * 20, authors), 0.42)
        for i in range(20)
    ]
    lines = ["[codec] the JSON clients are sent, behind a CRC-32; a hit is checked, not parsed"]
    cases: list[tuple[str, Any, Callable[[Any], bytes], Callable[[bytes], Any]]] = [
        (
            "BookDetail (3 authors, 10 reviews)",
            detail,
            lambda d: seal(render(d)),
            unseal,
        ),
        (
            "list page of 20 BookHit",
            page,
            lambda hits: seal_hits([rendered_hit(hit) for hit in hits]),
            unseal_hits,
        ),
    ]
    for name, value, encoder, decoder in cases:
        data = encoder(value)
        assert decoder(data) == (
            render(value) if name.startswith("Book") else [rendered_hit(h) for h in value]
        )
        n = 5000
        encoding = min(timeit.repeat(functools.partial(encoder, value), number=n, repeat=3))
        decoding = min(timeit.repeat(functools.partial(decoder, data), number=n, repeat=3))
        encode_us, decode_us = encoding / n * 1e6, decoding / n * 1e6
        lines.append(
            f"  {name}: {len(data)} bytes, encode {encode_us:.1f} us, decode {decode_us:.1f} us"
        )
    report(capsys, lines)
