"""Read-your-writes across instances of the service sharing one PostgreSQL and one Redis.

Each instance is a container of its own (pool, Redis client, change feed) behind its ASGI app,
started with its lifespan. Hypothesis draws schedules of writes and reads spread over the
instances; a read may be paused between its database read and its return to the cache (which
then stores what it read), and released later, after writes have committed and been answered.
That is the race generation checks exist for: a slow reader putting back what it read before a
commit.

The oracle is an instance without a cache over the same database: every read issued after a
write's answer must equal the oracle's answer at that point (writes run one at a time, so
there is exactly one right answer), and once every paused read has been released, a sweep
compares every page of every instance with the oracle.

The last test shows the property has teeth: with the store script replaced by an
unconditional SET (what "delete on write, set on read" caching does), hypothesis finds a stale
read.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import redis.asyncio
from attrs import define, field, frozen
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import library.adapters.redis_cache.store as store_module
from library.application.ports import Catalogue
from tests.redis_support import (
    REDIS_URL,
    Instance,
    cached_settings,
    cluster_url,
    delete_namespace,
    running_instance,
    shared_cluster,
    truncate_catalogue,
    unique_namespace,
)

CACHED_INSTANCES = 2
WORDS = ["dune", "emma", "ulysses", "dracula"]

# ---------------------------------------------------------------------------------------------
# Pausing a chosen read between its database read and the cache store that follows it


class Pause:
    def __init__(self) -> None:
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        self.used = False


PAUSE: contextvars.ContextVar[Pause | None] = contextvars.ContextVar("pause", default=None)


class PausingCatalogue:
    """The storage's read side; a read started with PAUSE set waits after its database read.

    Only the request that set PAUSE pauses (a context variable follows the request's task),
    so the same instance's other requests, including a write's read-back, go on.
    """

    def __init__(self, inner: Catalogue) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self._inner, name)

        async def read(*args: Any, **kwargs: Any) -> Any:
            result = await method(*args, **kwargs)
            pause = PAUSE.get()
            if pause is not None and not pause.used:
                pause.used = True
                pause.reached.set()
                await pause.release.wait()
            return result

        return read


# ---------------------------------------------------------------------------------------------
# Schedules


@frozen
class Read:
    instance: int
    kind: str
    target: int
    paused: bool


@frozen
class Write:
    instance: int
    kind: str
    target: int
    other: int


@frozen
class Release:
    index: int


@frozen
class Race:
    """A read paused after its database read, a write aimed at the same target, a release."""

    read: Read
    write: Write


Step = Read | Write | Release | Race

READ_KINDS = ["book", "reviews", "list", "search", "author", "author_books", "authors"]
WRITE_KINDS = [
    "rename_author",
    "retitle_book",
    "add_review",
    "delete_review",
    "replace_authors",
    "delete_book",
    "add_book",
]

instances = st.integers(0, CACHED_INSTANCES - 1)
targets = st.integers(0, 7)
reads = st.builds(Read, instances, st.sampled_from(READ_KINDS), targets, st.booleans())
writes = st.builds(Write, instances, st.sampled_from(WRITE_KINDS), targets, st.integers(0, 15))
races = st.tuples(reads, writes).map(
    lambda pair: Race(
        Read(pair[0].instance, pair[0].kind, pair[0].target, True),
        Write(pair[1].instance, pair[1].kind, pair[0].target, pair[1].other),
    )
)
steps: st.SearchStrategy[Step] = st.one_of(
    reads, writes, st.builds(Release, st.integers(0, 3)), races
)
schedules = st.lists(steps, min_size=2, max_size=12)


class StaleRead(AssertionError):
    """A read issued after a write's answer did not reflect it."""


@define
class Stats:
    examples: int = 0
    steps: int = 0
    checked_reads: int = 0
    paused_reads: int = 0
    overtaken_reads: int = 0  # paused reads released after a write was answered meanwhile
    first_violation_at: int | None = None
    violation: str | None = None


@define
class Model:
    """The ids a schedule can aim at (contents are the oracle's business)."""

    author_ids: list[int] = field(factory=list)
    book_ids: list[int] = field(factory=list)
    reviews: list[tuple[int, int]] = field(factory=list)  # (review id, book id)
    every_book_id: list[int] = field(factory=list)  # deleted ones too: reads must 404
    counter: int = 0

    def next(self) -> int:
        self.counter += 1
        return self.counter


@define
class Paused:
    task: asyncio.Task[Any]
    pause: Pause
    writes_seen: int


# ---------------------------------------------------------------------------------------------
# The instances


class World:
    """Cached instances and the oracle over one database and one Redis, on a private loop."""

    def __init__(self, postgres_url: str, redis_url: str, cluster: bool) -> None:
        self.postgres_url = postgres_url
        self.redis_url = redis_url
        self.cluster = cluster
        self.namespace = unique_namespace("coherence")
        self.loop = asyncio.new_event_loop()
        self.stats = Stats()
        self.cached: list[Instance] = []
        self.oracle: Instance
        self._stack = contextlib.AsyncExitStack()

    @classmethod
    @contextlib.contextmanager
    def started(
        cls, postgres_url: str, redis_url: str = REDIS_URL, *, cluster: bool = False
    ) -> Iterator[World]:
        world = cls(postgres_url, redis_url, cluster)
        try:
            world.run(world._start())
            yield world
        finally:
            # Bounded: a task left behind by an interrupted example must not hang the run.
            stopping = world.loop.create_task(world._stop())
            world.run(asyncio.wait({stopping}, timeout=60))
            for task in asyncio.all_tasks(world.loop):
                task.cancel()
            world.loop.close()

    def run(self, awaitable: Awaitable[Any]) -> Any:
        return self.loop.run_until_complete(awaitable)

    async def _start(self) -> None:
        for n in range(CACHED_INSTANCES):
            settings_ = cached_settings(
                self.postgres_url, self.redis_url, self.namespace, redis_cluster=self.cluster
            )
            instance = await self._stack.enter_async_context(
                running_instance(settings_, name=f"cached-{n}", wrap_catalogue=PausingCatalogue)
            )
            self.cached.append(instance)
        self.oracle = await self._stack.enter_async_context(
            running_instance(cached_settings(self.postgres_url, None, "none"), name="oracle")
        )

    async def _stop(self) -> None:
        await self._stack.aclose()
        client: Any = (
            redis.asyncio.RedisCluster.from_url(self.redis_url)
            if self.cluster
            else redis.asyncio.from_url(self.redis_url)
        )
        try:
            await delete_namespace(client, self.namespace)
        finally:
            await client.aclose()

    # -- one example ------------------------------------------------------------------------

    async def play(self, schedule: list[Step]) -> None:
        self.stats.examples += 1
        model = await self._reset()
        paused: list[Paused] = []
        writes = 0
        try:
            for step in schedule:
                self.stats.steps += 1
                match step:
                    case Read(instance, kind, target, True):
                        pending = await self._start_paused(instance, kind, target, model, writes)
                        if pending is not None:
                            paused.append(pending)
                    case Read(instance, kind, target, False):
                        await self._check(
                            self.cached[instance], self._read_path(kind, target, model)
                        )
                    case Write():
                        if await self._write(step, model):
                            writes += 1
                    case Release(index) if paused:
                        await self._release(paused.pop(index % len(paused)), writes)
                    case Race(Read(instance, kind, target), write):
                        pending = await self._start_paused(instance, kind, target, model, writes)
                        if await self._write(write, model):
                            writes += 1
                        if pending is not None:
                            await self._release(pending, writes)
            while paused:
                await self._release(paused.pop(0), writes)
            await self._sweep(model)
        except StaleRead as violation:
            if self.stats.first_violation_at is None:
                self.stats.first_violation_at = self.stats.examples
            self.stats.violation = f"{violation}\nschedule: {schedule}"  # the last is the least
            raise
        finally:
            for pending in paused:
                pending.pause.release.set()
            await asyncio.gather(*(p.task for p in paused), return_exceptions=True)

    async def _reset(self) -> Model:
        await truncate_catalogue(self.postgres_url)
        # Truncation is a write the cache cannot hear of: start from an empty cache.
        assert await self.cached[0].container.cache.entries().invalidate_all()
        model = Model()
        oracle = self.oracle
        for name in ["Ann Lee", "Bob Stone", "Cy Twombly"]:
            model.author_ids.append(await self._created(oracle, "/authors", {"name": name}))
        a = model.author_ids
        for word, authors in zip(WORDS, [[a[0]], [a[0], a[1]], [a[2]], []], strict=True):
            body: dict[str, object] = {"title": word.title(), "author_ids": authors}
            model.book_ids.append(await self._created(oracle, "/books", body))
        for book_id, reviewer in [(model.book_ids[0], "Rita"), (model.book_ids[1], "Sam")]:
            body = {"reviewer_name": reviewer, "rating": 4}
            review_id = await self._created(oracle, f"/books/{book_id}/reviews", body)
            model.reviews.append((review_id, book_id))
        model.every_book_id = list(model.book_ids)
        return model

    @staticmethod
    async def _created(instance: Instance, path: str, body: Any) -> int:
        result = await instance.send("POST", path, body)
        assert result.status_code == 201, result.text
        created: int = result.json["id"]
        return created

    # -- reads ------------------------------------------------------------------------------

    @staticmethod
    def _read_path(kind: str, target: int, model: Model) -> tuple[str, dict[str, str]]:
        books, authors = model.every_book_id, model.author_ids
        match kind:
            case "book":
                return f"/books/{books[target % len(books)]}", {}
            case "reviews":
                return f"/books/{books[target % len(books)]}/reviews", {}
            case "list":
                return "/books", {"limit": "3", "sort": "title", "offset": str(target % 3)}
            case "search":
                return "/books", {"q": WORDS[target % len(WORDS)]}
            case "author":
                return f"/authors/{authors[target % len(authors)]}", {}
            case "author_books":
                return f"/authors/{authors[target % len(authors)]}/books", {}
            case "authors":
                return "/authors", {"limit": "100"}
        raise AssertionError(kind)

    async def _check(self, instance: Instance, read: tuple[str, dict[str, str]]) -> None:
        path, params = read
        got = await instance.get(path, **params)
        expected = await self.oracle.get(path, **params)
        self.stats.checked_reads += 1
        if (got.status_code, got.json) != (expected.status_code, expected.json):
            raise StaleRead(
                f"{instance.name} GET {path} {params}: {got.status_code} {got.json!r}\n"
                f"  the database says: {expected.status_code} {expected.json!r}"
            )

    async def _start_paused(
        self, instance: int, kind: str, target: int, model: Model, writes: int
    ) -> Paused | None:
        pause = Pause()
        path, params = self._read_path(kind, target, model)
        app = self.cached[instance]

        async def paused_read() -> Any:
            PAUSE.set(pause)
            return await app.get(path, **params)

        task = asyncio.create_task(paused_read())
        reached = asyncio.create_task(pause.reached.wait())
        await asyncio.wait({task, reached}, return_when=asyncio.FIRST_COMPLETED)
        reached.cancel()
        if not pause.reached.is_set():
            await task  # served from the cache: it never read the database
            return None
        self.stats.paused_reads += 1
        return Paused(task, pause, writes)

    async def _release(self, pending: Paused, writes: int) -> None:
        if writes > pending.writes_seen:
            self.stats.overtaken_reads += 1
        pending.pause.release.set()
        result = await pending.task
        assert result.status_code < 500, result.text

    async def _sweep(self, model: Model) -> None:
        reads: list[tuple[str, dict[str, str]]] = []
        for book_id in model.every_book_id:
            reads += [(f"/books/{book_id}", {}), (f"/books/{book_id}/reviews", {})]
        for author_id in model.author_ids:
            reads += [(f"/authors/{author_id}", {}), (f"/authors/{author_id}/books", {})]
        reads += [("/books", {"limit": "100"}), ("/authors", {"limit": "100"})]
        reads += [("/books", {"q": word}) for word in WORDS[:2]]
        for instance in self.cached:
            for read in reads:
                await self._check(instance, read)

    # -- writes -----------------------------------------------------------------------------

    async def _write(self, step: Write, model: Model) -> bool:
        """Apply `step` through its instance; False when it had nothing to aim at."""
        app = self.cached[step.instance]
        n = model.next()
        books, authors = model.book_ids, model.author_ids
        book = books[step.target % len(books)] if books else None
        match step.kind:
            case "rename_author":
                author = authors[step.target % len(authors)]
                result = await app.send("PATCH", f"/authors/{author}", {"name": f"Writer {n}"})
            case "retitle_book" if book is not None:
                title = f"{WORDS[step.other % len(WORDS)]} {n}"
                result = await app.send("PATCH", f"/books/{book}", {"title": title})
            case "add_review" if book is not None:
                body = {"reviewer_name": f"Reader {n}", "rating": 1 + step.other % 5}
                result = await app.send("POST", f"/books/{book}/reviews", body)
                if result.status_code == 201:
                    model.reviews.append((result.json["id"], book))
            case "delete_review" if model.reviews:
                review, _ = model.reviews.pop(step.target % len(model.reviews))
                result = await app.send("DELETE", f"/reviews/{review}")
            case "replace_authors" if book is not None:
                chosen = [a for bit, a in enumerate(authors) if step.other >> bit & 1]
                result = await app.send("PUT", f"/books/{book}/authors", chosen)
            case "delete_book" if book is not None:
                result = await app.send("DELETE", f"/books/{book}")
                books.remove(book)
                model.reviews = [(r, b) for r, b in model.reviews if b != book]
            case "add_book":
                chosen = [a for bit, a in enumerate(authors) if step.other >> bit & 1]
                body = {"title": f"{WORDS[step.other % len(WORDS)]} {n}", "author_ids": chosen}
                result = await app.send("POST", "/books", body)
                if result.status_code == 201:
                    books.append(result.json["id"])
                    model.every_book_id.append(result.json["id"])
            case _:
                return False
        assert result.status_code in (200, 201, 204), f"{step}: {result.status_code} {result.text}"
        if step.kind in ("retitle_book", "replace_authors", "add_book"):
            # The answer itself is a read made after the commit.
            expected = await self.oracle.get(f"/books/{result.json['id']}")
            if result.json != expected.json:
                raise StaleRead(f"{step} answered {result.json!r}, not {expected.json!r}")
        return True


# ---------------------------------------------------------------------------------------------
# The tests


def coherence_property(world: World, run_settings: settings) -> Callable[[], None]:
    @run_settings
    @given(schedules)
    def read_your_writes(schedule: list[Step]) -> None:
        world.run(world.play(schedule))

    return read_your_writes


def _settings(max_examples: int, **options: Any) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        **options,
    )


def _report(capsys: pytest.CaptureFixture[str], title: str, stats: Stats) -> None:
    with capsys.disabled():
        print(
            f"\n[cache coherence] {title}: {stats.examples} interleavings, {stats.steps} steps, "
            f"{stats.checked_reads} reads checked against the database, "
            f"{stats.paused_reads} reads paused between database read and cache store, "
            f"{stats.overtaken_reads} of them released after a write was answered"
            + (
                f"; first violation at example {stats.first_violation_at}:\n{stats.violation}"
                if stats.first_violation_at is not None
                else "; no violation"
            )
        )


@pytest.fixture(scope="module")
def world(postgres_url: str) -> Iterator[World]:
    with World.started(postgres_url) as world:
        yield world


EXAMPLES = int(os.environ.get("LIBRARY_COHERENCE_EXAMPLES", "200"))


def test_every_read_after_a_write_reflects_it(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.stats = Stats()
    coherence_property(world, _settings(EXAMPLES))()
    _report(capsys, "generation checks on", world.stats)
    assert world.stats.overtaken_reads > EXAMPLES // 4  # the race was exercised, often


def test_every_read_after_a_write_reflects_it_on_a_cluster(
    postgres_url: str, pytestconfig: pytest.Config, capsys: pytest.CaptureFixture[str]
) -> None:
    url = cluster_url(shared_cluster(pytestconfig))
    with World.started(postgres_url, url, cluster=True) as on_cluster:
        coherence_property(on_cluster, _settings(max(10, EXAMPLES // 5)))()
        _report(capsys, "generation checks on, 3-master Redis Cluster", on_cluster.stats)
        for instance in on_cluster.cached:
            assert instance.observer.total("error") == 0  # no CROSSSLOT, nor anything else


@pytest.mark.slow
def test_every_read_after_a_write_reflects_it_at_length(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.stats = Stats()
    coherence_property(world, _settings(500))()
    _report(capsys, "generation checks on, long run", world.stats)


# What caching without generation checks does: store whatever was read, tagged as current.
UNCONDITIONAL_STORE = """
local current = redis.call('MGET', unpack(KEYS, 3))
for i = 1, #current do
    if not current[i] then
        current[i] = tostring(redis.call('INCR', KEYS[2]))
        redis.call('SET', KEYS[i + 2], current[i])
    end
end
redis.call('SET', KEYS[1], table.concat(current, ',') .. '\\n' .. ARGV[2], 'PX', ARGV[1])
return 1
"""


def test_without_the_generation_check_the_property_finds_a_stale_read(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_module, "STORE_IF_CURRENT", UNCONDITIONAL_STORE)
    with World.started(postgres_url) as broken:
        run = _settings(EXAMPLES, database=None, phases=[Phase.generate, Phase.shrink])
        with pytest.raises(StaleRead):
            coherence_property(broken, run)()
        _report(capsys, "generation check removed (unconditional SET)", broken.stats)
        assert broken.stats.first_violation_at is not None
