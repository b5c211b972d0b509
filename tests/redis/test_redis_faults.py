"""A Redis that fails, for every instance or for one, and a change feed that goes quiet.

Every instance reaches Redis (and, in one test, PostgreSQL's notifications) through a TCP
proxy of the test's own, which can cut connections (a dead server: connections reset and
refused), freeze them (a partition: nothing passes, peers notice only by time-out) or delay
answers (a slow server). Instances run in-process behind their ASGI apps, with their lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from attrs import define, field

from library.adapters.redis_cache import CacheKeys
from tests.redis_support import (
    REDIS_URL,
    Instance,
    Seeded,
    TcpProxy,
    address_of,
    cached_settings,
    every_page,
    get_page,
    running_instance,
    seed_catalogue,
)

TIMEOUT = 0.05  # LIBRARY_REDIS_TIMEOUT
BOUND = 1.0  # LIBRARY_CACHE_FAULT_STALENESS
COOLDOWN = 0.5  # the breaker's


def version(text: str) -> int:
    """The version a test wrote into a title or name (`Book 3 v12` is 12)."""
    return int(text.rpartition(" v")[2])


@contextlib.asynccontextmanager
async def redis_proxy() -> AsyncIterator[TcpProxy]:
    async with TcpProxy(*address_of(REDIS_URL)) as proxy:
        yield proxy


def fault_settings(database: str, redis_url: str | None, namespace: str, **more: Any) -> Any:
    return cached_settings(
        database,
        redis_url,
        namespace,
        redis_timeout=TIMEOUT,
        cache_fault_staleness=BOUND,
        **more,
    )


async def wait_until_available(apps: list[Instance], limit: float = 5.0) -> float:
    """Poll until every app's cache is in use again; return when that was."""
    deadline = time.monotonic() + limit
    while not all(app.container.cache.entries().available for app in apps):
        assert time.monotonic() < deadline, "the cache did not come back"
        for app in apps:  # a request is what probes a Redis that was away
            await app.get(f"/books/{10**12}")
        await asyncio.sleep(0.02)
    return time.monotonic()


# ---------------------------------------------------------------------------------------------
# (a) Redis lost by every instance in the middle of a load of reads and writes


@define
class Ack:
    """A write's answer: what it made true, when, and whether every later read must see it."""

    at: float
    strict: bool  # False: the writer may have been unable to reach Redis (bounded staleness)


@define
class History:
    """Acknowledged writes, and the rule that every read issued after one reflects it."""

    bound: float
    titles: dict[int, list[tuple[int, Ack]]] = field(factory=dict)  # book -> (version, ack)
    names: dict[int, list[tuple[int, Ack]]] = field(factory=dict)  # author -> (version, ack)
    added: dict[int, tuple[int, Ack]] = field(factory=dict)  # review -> (book, ack)
    delete_sent: dict[int, float] = field(factory=dict)  # review -> when its DELETE was sent
    deleted: dict[int, Ack] = field(factory=dict)
    violations: list[str] = field(factory=list)
    checked: int = 0

    def _binding(self, ack: Ack, issued: float) -> bool:
        """Whether a read issued at `issued` must reflect the write answered at `ack`."""
        return ack.at <= issued and (ack.strict or ack.at + self.bound <= issued)

    def _required(self, acks: list[tuple[Any, Ack]], issued: float) -> Any:
        """The latest state a read issued at `issued` must show (None: nothing required)."""
        required = None
        for state, ack in acks:
            if self._binding(ack, issued):
                required = state
        return required

    def check_title(self, where: str, book_id: int, title: str, issued: float) -> None:
        need = self._required(self.titles.get(book_id, []), issued)
        if need is not None and version(title) < need:
            self.violations.append(f"{where}: book {book_id} title {title!r}, wanted v{need}")

    def check_name(self, where: str, author_id: int, name: str, issued: float) -> None:
        need = self._required(self.names.get(author_id, []), issued)
        if need is not None and version(name) < need:
            self.violations.append(f"{where}: author {author_id} name {name!r}, wanted v{need}")

    def check_reviews(
        self, where: str, book_id: int, shown: set[int], issued: float, answered: float
    ) -> None:
        for review_id, (on_book, added) in self.added.items():
            if on_book != book_id:
                continue
            deleted = self.deleted.get(review_id)
            if review_id in shown:
                if deleted is not None and self._binding(deleted, issued):
                    self.violations.append(f"{where}: deleted review {review_id} still shown")
            elif (
                self._binding(added, issued)
                and self.delete_sent.get(review_id, answered) >= answered
            ):
                self.violations.append(f"{where}: review {review_id} missing")

    def check(self, where: str, page: str, body: Any, issued: float) -> None:
        """Check a 200 answer for `page` against every write answered before `issued`."""
        self.checked += 1
        answered = time.monotonic()
        if page.startswith("/books?"):
            for book in body["items"]:
                self.check_book(where, book, issued)
        elif page.startswith("/authors?"):
            for author in body:
                self.check_name(where, author["id"], author["name"], issued)
        elif page.endswith("/reviews"):
            book_id = int(page.split("/")[2])
            self.check_reviews(where, book_id, {r["id"] for r in body}, issued, answered)
        elif page.startswith("/books/"):
            self.check_book(where, body, issued)
            shown = {r["id"] for r in body["reviews"]}
            self.check_reviews(where, body["id"], shown, issued, answered)
        elif page.endswith("/books"):
            for summary in body:
                self.check_title(where, summary["id"], summary["title"], issued)
        else:
            self.check_name(where, body["id"], body["name"], issued)

    def check_book(self, where: str, book: Any, issued: float) -> None:
        self.check_title(where, book["id"], book["title"], issued)
        for author in book["authors"]:
            self.check_name(where, author["id"], author["name"], issued)


@define
class Load:
    """Workers reading and writing through random instances until told to stop."""

    apps: list[Instance]
    seeded: Seeded
    history: History
    workers: int = 4
    statuses: list[int] = field(factory=list)
    failed_writes: list[str] = field(factory=list)
    faulty: bool = False  # writes may not reach Redis (from the cut until every cache is back)
    stop: asyncio.Event = field(factory=asyncio.Event)
    counter: int = 0

    async def run(self, max_operations: int = 1500) -> None:
        await asyncio.gather(*(self._worker(w, max_operations) for w in range(self.workers)))

    async def _worker(self, worker: int, max_operations: int) -> None:
        rng = random.Random(worker)
        own_books = self.seeded.book_ids[worker :: self.workers]
        own_authors = self.seeded.author_ids[worker :: self.workers]
        own_reviews: list[int] = []
        pages = every_page(self.seeded)
        for _ in range(max_operations):
            if self.stop.is_set():
                return
            app = rng.choice(self.apps)
            roll = rng.random()
            if roll < 0.6:
                page = rng.choice(pages)
                issued = time.monotonic()
                result = await get_page(app, page)
                self.statuses.append(result.status_code)
                if result.status_code == 200:
                    self.history.check(f"{app.name} GET {page}", page, result.json, issued)
            elif roll < 0.72 and own_books:
                await self._retitle(app, rng.choice(own_books))
            elif roll < 0.84 and own_authors:
                await self._rename(app, rng.choice(own_authors))
            elif roll < 0.93 or not own_reviews:
                book_id = rng.choice(self.seeded.book_ids)
                self.counter += 1
                body = {"reviewer_name": f"w{worker} r{self.counter}", "rating": 3}
                written = await self._write(app, "POST", f"/books/{book_id}/reviews", body)
                if written is not None:
                    review_id = written[0].json["id"]
                    own_reviews.append(review_id)
                    self.history.added[review_id] = (book_id, self._ack(written[1]))
            else:
                review_id = own_reviews.pop(rng.randrange(len(own_reviews)))
                self.history.delete_sent[review_id] = time.monotonic()
                written = await self._write(app, "DELETE", f"/reviews/{review_id}")
                if written is not None:
                    self.history.deleted[review_id] = self._ack(written[1])

    async def _retitle(self, app: Instance, book_id: int) -> None:
        self.counter += 1
        title = f"Book {book_id} v{self.counter}"
        written = await self._write(app, "PATCH", f"/books/{book_id}", {"title": title})
        if written is not None:
            self._acked(self.history.titles, book_id, version(title), written[1])

    async def _rename(self, app: Instance, author_id: int) -> None:
        self.counter += 1
        name = f"Author {author_id} v{self.counter}"
        written = await self._write(app, "PATCH", f"/authors/{author_id}", {"name": name})
        if written is not None:
            self._acked(self.history.names, author_id, version(name), written[1])

    async def _write(
        self, app: Instance, method: str, path: str, body: Any = None
    ) -> tuple[Any, bool] | None:
        """Send a write; its answer and whether Redis may have missed it, or None if refused."""
        faulty = self.faulty
        result = await app.send(method, path, body)
        self.statuses.append(result.status_code)
        if result.status_code not in (200, 201, 204):
            self.failed_writes.append(f"{method} {path}: {result.status_code} {result.text}")
            return None
        return result, faulty or self.faulty

    def _acked(self, acks: dict[int, list[Any]], key: int, state: Any, faulty: bool) -> None:
        acks.setdefault(key, []).append((state, self._ack(faulty)))

    @staticmethod
    def _ack(faulty: bool) -> Ack:
        return Ack(time.monotonic(), not faulty)


@pytest.mark.parametrize("failure", ["cut", "freeze"])
async def test_redis_lost_by_every_instance_mid_run(
    database: str, namespace: str, failure: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        proxy = await stack.enter_async_context(redis_proxy())
        settings = fault_settings(database, proxy.url(REDIS_URL), namespace)
        apps = [
            await stack.enter_async_context(
                running_instance(settings, name=f"app-{n}", breaker_cooldown=COOLDOWN)
            )
            for n in range(2)
        ]
        seeded = await seed_catalogue(apps[0])
        history = History(bound=BOUND)
        load = Load(apps, seeded, history)

        async def script() -> dict[str, float]:
            times: dict[str, float] = {}
            await asyncio.sleep(0.8)
            load.faulty = True
            times["cut"] = time.monotonic()
            proxy.cut() if failure == "cut" else proxy.freeze()
            await asyncio.sleep(1.2)
            proxy.restore()
            times["restored"] = time.monotonic()
            await wait_until_available(apps)
            load.faulty = False
            times["back"] = time.monotonic()
            await asyncio.sleep(1.0)
            load.stop.set()
            return times

        hits_before = sum(app.observer.total("hit") for app in apps)
        times, _ = await asyncio.gather(script(), load.run())

        assert [s for s in load.statuses if s >= 500] == []
        assert load.failed_writes == []
        assert history.violations[:10] == []
        await asyncio.sleep(0.1)  # the last writes' notifications
        # After the run: every page of every instance is current, and comes from the cache.
        for app in apps:
            for page in every_page(seeded):
                issued = time.monotonic()
                result = await get_page(app, page)
                assert result.status_code == 200
                history.check(f"{app.name} GET {page} after the run", page, result.json, issued)
        assert history.violations == []
        hits = sum(app.observer.total("hit") for app in apps)
        for app in apps:
            for page in every_page(seeded):
                await get_page(app, page)
        resumed = sum(app.observer.total("hit") for app in apps) - hits
        assert resumed == 2 * len(every_page(seeded))
        with capsys.disabled():
            print(
                f"\n[redis {failure} for all] {len(load.statuses)} requests, "
                f"{history.checked} reads checked, 0 errors; hits before the run {hits_before}, "
                f"by the end {hits}; back {times['back'] - times['restored']:.2f} s after "
                f"restore; {resumed} hits out of {resumed} reads afterwards"
            )


# ---------------------------------------------------------------------------------------------
# (b) the writer alone cannot reach Redis: others hear of its writes through PostgreSQL


async def poll_until(app: Instance, page: str, accept: Any, limit: float) -> float:
    """Read `page` until `accept(body)`; return how long that took (fail after `limit`)."""
    started = time.monotonic()
    while True:
        result = await get_page(app, page)
        assert result.status_code < 500
        if result.status_code == 200 and accept(result.json):
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            pytest.fail(f"{app.name} GET {page} still {result.status_code} {result.json}")
        await asyncio.sleep(0.01)


async def test_a_writer_that_cannot_reach_redis_is_heard_within_the_bound(
    database: str, namespace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        writer_proxy = await stack.enter_async_context(redis_proxy())
        writer = await stack.enter_async_context(
            running_instance(
                fault_settings(database, writer_proxy.url(REDIS_URL), namespace), name="writer"
            )
        )
        reader = await stack.enter_async_context(
            running_instance(fault_settings(database, REDIS_URL, namespace), name="reader")
        )
        seeded = await seed_catalogue(writer)
        for page in every_page(seeded):  # cached by the reader
            await get_page(reader, page)
            await get_page(reader, page)
        hits = reader.observer.total("hit")
        writer_proxy.cut()

        delays: list[float] = []
        book, author = seeded.book_ids[0], seeded.author_ids[0]
        for n in range(1, 6):
            result = await writer.send("PATCH", f"/books/{book}", {"title": f"Book v{n}"})
            assert result.status_code == 200
            assert result.json["title"] == f"Book v{n}"  # the writer's own read is current
            title = f"Book v{n}"
            delays.append(
                await poll_until(
                    reader, f"/books/{book}", lambda b, title=title: b["title"] == title, BOUND
                )
            )
            delays.append(
                await poll_until(
                    reader,
                    "/books?limit=100",
                    lambda b, title=title: title in [i["title"] for i in b["items"]],
                    BOUND,
                )
            )
            name = f"Author v{n}"
            result = await writer.send("PATCH", f"/authors/{author}", {"name": name})
            assert result.status_code == 200
            delays.append(
                await poll_until(
                    reader, f"/authors/{author}", lambda a, name=name: a["name"] == name, BOUND
                )
            )
            delays.append(
                await poll_until(
                    reader,
                    f"/books/{book}",
                    lambda b, name=name: name in [a["name"] for a in b["authors"]],
                    BOUND,
                )
            )
            result = await writer.send(
                "POST", f"/books/{book}/reviews", {"reviewer_name": f"Late {n}", "rating": 2}
            )
            assert result.status_code == 201
            review = result.json["id"]
            delays.append(
                await poll_until(
                    reader,
                    f"/books/{book}/reviews",
                    lambda rs, review=review: review in [r["id"] for r in rs],
                    BOUND,
                )
            )
            result = await writer.send("DELETE", f"/reviews/{review}")
            assert result.status_code == 204
            delays.append(
                await poll_until(
                    reader,
                    f"/books/{book}",
                    lambda b, review=review: review not in [r["id"] for r in b["reviews"]],
                    BOUND,
                )
            )
        assert not writer.container.cache.entries().available  # it really could not tell Redis
        hits = reader.observer.total("hit")
        for page in every_page(seeded):
            await get_page(reader, page)
        assert reader.observer.total("hit") > hits  # and the reader kept using its cache
        with capsys.disabled():
            print(
                f"\n[writer cut from redis] {len(delays)} writes seen by the other instance "
                f"after {1000 * max(delays):.1f} ms at most (median "
                f"{1000 * sorted(delays)[len(delays) // 2]:.1f} ms; bound {BOUND} s)"
            )


# ---------------------------------------------------------------------------------------------
# (c) a reader that stops hearing of other instances' changes


@pytest.mark.parametrize("failure", ["freeze", "cut"])
async def test_a_reader_without_its_change_feed_serves_nothing_older_than_the_bound(
    database: str, namespace: str, failure: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_host, db_port = address_of(database)
    async with contextlib.AsyncExitStack() as stack:
        writer_proxy = await stack.enter_async_context(redis_proxy())
        feed_proxy = await stack.enter_async_context(TcpProxy(db_host, db_port))
        writer = await stack.enter_async_context(
            running_instance(
                fault_settings(database, writer_proxy.url(REDIS_URL), namespace), name="writer"
            )
        )
        reader = await stack.enter_async_context(
            running_instance(
                fault_settings(database, REDIS_URL, namespace),
                name="reader",
                feed_url=feed_proxy.url(database),
            )
        )
        seeded = await seed_catalogue(writer)
        book = seeded.book_ids[0]
        delivery = reader.container.delivery()
        deadline = time.monotonic() + 5
        while not delivery.live:  # the reader's feed is listening through its proxy
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        for _ in range(2):
            await reader.get(f"/books/{book}")
        hits = reader.observer.total("hit")
        assert (await reader.get(f"/books/{book}")).json["title"] == "Book 0 v0"
        assert reader.observer.total("hit") == hits + 1

        # Entries older than the bound stay in use while the feed keeps up ...
        await asyncio.sleep(BOUND + 0.2)
        hits = reader.observer.total("hit")
        assert (await reader.get(f"/books/{book}")).status_code == 200
        assert reader.observer.total("hit") == hits + 1

        # ... not once it stops hearing: a write nobody told Redis about must show within
        # the bound, through the reader's refusal of entries older than that.
        feed_proxy.freeze() if failure == "freeze" else feed_proxy.cut()
        writer_proxy.cut()
        result = await writer.send("PATCH", f"/books/{book}", {"title": "Book 0 v1"})
        assert result.status_code == 200
        took = await poll_until(
            reader, f"/books/{book}", lambda b: b["title"] == "Book 0 v1", BOUND + 0.1
        )

        # Young entries are still served from the cache meanwhile.
        hits = reader.observer.total("hit")
        assert (await reader.get(f"/books/{book}")).json["title"] == "Book 0 v1"
        assert reader.observer.total("hit") == hits + 1
        await asyncio.sleep(BOUND + 0.1)
        misses = reader.observer.total("miss")
        assert (await reader.get(f"/books/{book}")).status_code == 200
        assert reader.observer.total("miss") == misses + 1  # too old by now

        # The feed back: it resynchronises, and entries of any age are served again.
        feed_proxy.restore()
        deadline = time.monotonic() + 10
        while not (delivery.live and delivery.caught_up_to > time.time() - 0.5):
            assert time.monotonic() < deadline, "the change feed did not come back"
            await asyncio.sleep(0.02)
        for _ in range(2):
            await reader.get(f"/authors/{seeded.author_ids[0]}")
        await asyncio.sleep(BOUND + 0.2)
        hits = reader.observer.total("hit")
        assert (await reader.get(f"/authors/{seeded.author_ids[0]}")).status_code == 200
        assert reader.observer.total("hit") == hits + 1
        with capsys.disabled():
            print(
                f"\n[change feed {failure}] a write unknown to Redis showed on the deaf reader "
                f"after {took:.2f} s (bound {BOUND} s)"
            )


# ---------------------------------------------------------------------------------------------
# (d) garbage in Redis


@pytest.fixture
async def app(database: str, namespace: str) -> AsyncIterator[Instance]:
    async with running_instance(fault_settings(database, REDIS_URL, namespace)) as app:
        yield app


async def current_entry(redis_client: Any, key: str) -> bytes:
    entry: bytes = await redis_client.get(key)
    assert entry is not None
    return entry


@pytest.mark.parametrize(
    "garble",
    ["junk", "value", "header", "type", "generation", "clock", "epoch"],
)
async def test_garbage_in_redis_falls_through_to_the_database(
    app: Instance, namespace: str, redis_client: Any, garble: str
) -> None:
    seeded = await seed_catalogue(app, books=2)
    book = seeded.book_ids[0]
    keys = CacheKeys(namespace)
    expected = (await app.get(f"/books/{book}")).json
    await app.get(f"/books/{book}")
    entry = await current_entry(redis_client, keys.book(book))
    header, _, rest = entry.partition(b"\n")
    stamp, _, _ = rest.partition(b"\n")
    match garble:
        case "junk":
            await redis_client.set(keys.book(book), b"\x00\xffnot an entry")
        case "value":  # current generations, so only decoding can tell
            await redis_client.set(keys.book(book), header + b"\n" + stamp + b'\n{"id": "x"}')
        case "header":
            await redis_client.set(keys.book(book), b"1,2,3\n" + rest)
        case "type":
            await redis_client.delete(keys.book(book))
            await redis_client.lpush(keys.book(book), "a list, not a string")
        case "generation":
            await redis_client.set(keys.book_generation(book), b"garbage")
        case "clock":
            await redis_client.set(keys.clock, b"not a number")
        case "epoch":
            await redis_client.delete(keys.epoch)
    for _ in range(3):
        result = await app.get(f"/books/{book}")
        assert result.status_code == 200
        assert result.json == expected
    # Writes still succeed and are seen.
    result = await app.send("PATCH", f"/books/{book}", {"title": "Changed v1"})
    assert result.status_code == 200
    assert (await app.get(f"/books/{book}")).json["title"] == "Changed v1"
    if garble == "value":
        assert app.observer.total("error") >= 1


# ---------------------------------------------------------------------------------------------
# (e) a slow Redis


async def test_a_slow_redis_is_skipped_within_about_the_timeout_and_probed_again(
    database: str, namespace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with contextlib.AsyncExitStack() as stack:
        proxy = await stack.enter_async_context(redis_proxy())
        app = await stack.enter_async_context(
            running_instance(
                fault_settings(database, proxy.url(REDIS_URL), namespace),
                breaker_cooldown=COOLDOWN,
            )
        )
        seeded = await seed_catalogue(app, books=2)
        book = seeded.book_ids[0]
        for _ in range(2):
            await app.get(f"/books/{book}")
        cache = app.container.cache.entries()

        proxy.delay = 0.5  # ten times the timeout
        started = time.perf_counter()
        result = await app.get(f"/books/{book}")
        first = time.perf_counter() - started
        assert result.status_code == 200
        assert first < TIMEOUT + 0.15
        assert not cache.available  # the breaker opened

        sent = proxy.forwarded
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            assert (await app.get(f"/books/{book}")).status_code == 200
            timings.append(time.perf_counter() - started)
        assert sorted(timings)[10] < TIMEOUT  # no more waiting for Redis ...
        assert proxy.forwarded == sent  # ... nor talking to it
        assert app.observer.total("bypass") >= 20

        await asyncio.sleep(COOLDOWN)
        started = time.perf_counter()
        assert (await app.get(f"/books/{book}")).status_code == 200
        probe = time.perf_counter() - started
        assert proxy.forwarded > sent  # probed ...
        assert not cache.available  # ... and still too slow
        assert probe < TIMEOUT + 0.15
        sent = proxy.forwarded
        assert (await app.get(f"/books/{book}")).status_code == 200
        assert proxy.forwarded == sent  # one probe per cooldown

        proxy.restore()
        await asyncio.sleep(COOLDOWN)
        for _ in range(3):
            assert (await app.get(f"/books/{book}")).status_code == 200
        assert cache.available
        assert app.observer.total("hit") >= 1  # cached again
        with capsys.disabled():
            print(
                f"\n[slow redis] first read {1000 * first:.0f} ms (timeout {1000 * TIMEOUT:.0f}"
                f" ms), then {1000 * max(timings):.1f} ms at most with the breaker open; "
                f"probe {1000 * probe:.0f} ms"
            )
