"""Racing requests through the real HTTP app on PostgreSQL: never a 5xx, never a hang.

Every request of a test is started at once on one event loop (the app's pool serialises
them onto ten connections), so the statements of different transactions interleave in
PostgreSQL as they would under load.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Iterable

import psycopg
from dependency_injector import providers
from falcon import testing

from library.adapters.postgres import PostgresUnitOfWork
from library.adapters.postgres.errors import translated
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from tests.postgres.pg_support import created, empty_catalogue

PAIR = tuple[int, int]  # (book id, author id)


async def race(requests: Iterable[Awaitable[testing.Result]]) -> list[testing.Result]:
    """Run every request concurrently; none may take long (no deadlock, no hang)."""
    return await asyncio.wait_for(asyncio.gather(*requests), timeout=120)


def statuses(results: Iterable[testing.Result]) -> Counter[int]:
    return Counter(result.status_code for result in results)


def assert_no_server_error(results: Iterable[testing.Result]) -> None:
    failures = [(r.status_code, r.text) for r in results if r.status_code >= 500]
    assert failures == []


async def book_authors(conductor: testing.ASGIConductor, book_id: int) -> list[int]:
    result = await conductor.simulate_get(f"/books/{book_id}")
    assert result.status_code == 200, result.text
    return [author["id"] for author in result.json["authors"]]


async def test_identical_review_posts_racing_give_one_201_and_duplicates(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    conductor = app_on_postgres
    book_id = await created(conductor, "/books", {"title": "Dune"})
    # The same reviewer, names differing only in case and surrounding space.
    names = ["Rita", "rita", " RITA ", "rItA"]
    results = await race(
        conductor.simulate_post(
            f"/books/{book_id}/reviews",
            json={"reviewer_name": names[n % len(names)], "rating": 1 + n % 5},
        )
        for n in range(50)
    )
    assert statuses(results) == {201: 1, 400: 49}
    assert {r.json["type"] for r in results if r.status_code == 400} == {
        "/problems/duplicate-review"
    }
    reviews = await conductor.simulate_get(f"/books/{book_id}/reviews")
    winner = next(r.json for r in results if r.status_code == 201)
    assert reviews.json == [winner]


async def test_different_reviewers_racing_on_one_book_are_all_stored(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    conductor = app_on_postgres
    book_id = await created(conductor, "/books", {"title": "Dune"})
    results = await race(
        conductor.simulate_post(
            f"/books/{book_id}/reviews", json={"reviewer_name": f"Reader {n}", "rating": 4}
        )
        for n in range(30)
    )
    assert statuses(results) == {201: 30}
    detail = await conductor.simulate_get(f"/books/{book_id}")
    assert detail.json["review_count"] == 30
    assert detail.json["rating_avg"] == 4.0


async def test_author_list_replacements_racing_leave_one_of_the_submitted_lists(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    conductor = app_on_postgres
    rng = random.Random(3)
    authors = [await created(conductor, "/authors", {"name": f"Author {n}"}) for n in range(8)]
    books = [
        await created(conductor, "/books", {"title": f"Book {n}", "author_ids": authors[:2]})
        for n in range(2)
    ]
    submitted: dict[int, list[list[int]]] = {book: [] for book in books}
    requests = []
    for n in range(40):
        book = books[n % len(books)]
        chosen = rng.sample(authors, rng.randint(0, len(authors)))
        submitted[book].append(sorted(chosen))
        requests.append(conductor.simulate_put(f"/books/{book}/authors", json=chosen))
    results = await race(requests)
    assert statuses(results) == {200: 40}
    for book in books:
        assert await book_authors(conductor, book) in submitted[book]
    # Both directions of the link agree.
    for author in authors:
        listed = await conductor.simulate_get(f"/authors/{author}/books")
        assert [b["id"] for b in listed.json] == [
            book for book in books if author in await book_authors(conductor, book)
        ]


def explained_by_a_serial_order(
    pairs: set[PAIR],
    initial: set[PAIR],
    final: set[PAIR],
    writes: list[tuple[str, int, set[int]]],
    books: list[int],
    authors: list[int],
) -> bool:
    """Whether some serial order of `writes` turns the `initial` links into `final` on `pairs`.

    A write ("book", b, authors) decides every pair (b, a); ("author", a, books) decides
    every pair (b, a). In a serial order a pair ends as its last deciding write left it
    (or as it was, if none decides it). Searching from the end: a write may come last among
    the writes not yet placed when it agrees with `final` on every pair that no write placed
    after it decides. Placing a write only removes constraints from the others, so if no
    order is found greedily, none exists.
    """

    def decides(write: tuple[str, int, set[int]]) -> dict[PAIR, bool]:
        kind, key, chosen = write
        if kind == "book":
            return {(key, a): a in chosen for a in authors if (key, a) in pairs}
        return {(b, key): b in chosen for b in books if (b, key) in pairs}

    pending = [decides(write) for write in writes]
    decided: set[PAIR] = set()
    while pending:
        for index, decisions in enumerate(pending):
            if all(
                present == (pair in final)
                for pair, present in decisions.items()
                if pair not in decided
            ):
                decided |= decisions.keys()
                del pending[index]
                break
        else:
            return False
    return all((pair in initial) == (pair in final) for pair in pairs - decided)


def test_the_serial_order_check_tells_a_mixture_from_a_serial_outcome() -> None:
    books, authors = [1], [1, 2, 3, 4]
    pairs = {(1, a) for a in authors}
    writes = [("book", 1, {1, 2}), ("book", 1, {3, 4}), ("author", 3, set())]
    for final, explained in [({1, 2}, True), ({4}, True), ({3, 4}, True), ({1, 4}, False)]:
        links = {(1, a) for a in final}
        assert explained_by_a_serial_order(pairs, set(), links, writes, books, authors) is explained


async def test_book_and_author_link_writes_racing_leave_no_mixture(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    """PUT /books/{id}/authors and PUT /authors/{id} with book_ids on the same links.

    Each book's author list, and each author's book list, ends as some serial order of the
    writes leaves it: no book keeps part of one submitted list and part of another that a
    later write replaced. (Across several books and authors at once the writes are not
    serialisable: four writers on two books and two authors can each keep the link the
    others removed. Only per entity is that promised.)
    """
    conductor = app_on_postgres
    rng = random.Random(7)
    authors = [await created(conductor, "/authors", {"name": f"Author {n}"}) for n in range(4)]
    books = [await created(conductor, "/books", {"title": f"Book {n}"}) for n in range(3)]
    for round_number in range(3):
        initial = {(b, a) for b in books for a in await book_authors(conductor, b)}
        writes: list[tuple[str, int, set[int]]] = []
        requests = []
        for n in range(24):
            if n % 2:
                book = rng.choice(books)
                chosen = rng.sample(authors, rng.randint(0, len(authors)))
                writes.append(("book", book, set(chosen)))
                requests.append(conductor.simulate_put(f"/books/{book}/authors", json=chosen))
            else:
                author = rng.choice(authors)
                chosen = rng.sample(books, rng.randint(0, len(books)))
                writes.append(("author", author, set(chosen)))
                requests.append(
                    conductor.simulate_put(
                        f"/authors/{author}", json={"name": f"Author {n}", "book_ids": chosen}
                    )
                )
        results = await race(requests)
        assert statuses(results) == {200: 24}, round_number
        final = {(b, a) for b in books for a in await book_authors(conductor, b)}
        for author in authors:
            listed = await conductor.simulate_get(f"/authors/{author}/books")
            assert {b["id"] for b in listed.json} == {b for b, a in final if a == author}
        entities = [{(book, a) for a in authors} for book in books] + [
            {(b, author) for b in books} for author in authors
        ]
        for pairs in entities:
            assert explained_by_a_serial_order(pairs, initial, final, writes, books, authors), (
                round_number,
                sorted(pairs & final),
            )


async def test_deletes_racing_updates_of_the_same_books_answer_2xx_or_404(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    conductor = app_on_postgres
    authors = [await created(conductor, "/authors", {"name": f"Author {n}"}) for n in range(3)]
    books = [
        await created(conductor, "/books", {"title": f"Book {n}", "author_ids": authors[:1]})
        for n in range(6)
    ]
    requests = []
    for book in books:
        path = f"/books/{book}"
        requests += [
            conductor.simulate_put(path, json={"title": "Replaced", "author_ids": authors[1:]}),
            conductor.simulate_patch(path, json={"year": 1965}),
            conductor.simulate_delete(path),
            conductor.simulate_put(f"{path}/authors", json=authors),
            conductor.simulate_post(f"{path}/reviews", json={"reviewer_name": "Sam", "rating": 3}),
            conductor.simulate_get(path),
            conductor.simulate_delete(path),
            conductor.simulate_patch(path, json={"title": "Patched"}),
        ]
    results = await race(requests)
    assert_no_server_error(results)
    assert set(statuses(results)) <= {200, 201, 204, 404}
    assert statuses(r for r in results if r.status_code == 204)[204] == len(books)
    for book in books:
        assert (await conductor.simulate_get(f"/books/{book}")).status_code == 404
    # Nothing of the deleted books is left: no links, no reviews.
    for author in authors:
        assert (await conductor.simulate_get(f"/authors/{author}/books")).json == []


async def test_author_deletes_racing_book_writes_that_name_them_answer_clearly(
    app_on_postgres: testing.ASGIConductor,
) -> None:
    """A write naming an author deleted meanwhile is a 400 unknown reference, not a 5xx."""
    conductor = app_on_postgres
    authors = [await created(conductor, "/authors", {"name": f"Author {n}"}) for n in range(6)]
    book = await created(conductor, "/books", {"title": "Shared", "author_ids": authors})
    requests = []
    for author in authors:
        requests += [
            conductor.simulate_delete(f"/authors/{author}"),
            conductor.simulate_put(f"/books/{book}/authors", json=[author]),
            conductor.simulate_post("/books", json={"title": "New", "author_ids": [author]}),
            conductor.simulate_put(
                f"/authors/{author}", json={"name": "Renamed", "book_ids": [book]}
            ),
        ]
    results = await race(requests)
    assert_no_server_error(results)
    assert set(statuses(results)) <= {200, 201, 204, 400, 404}
    assert {r.json["type"] for r in results if r.status_code == 400} <= {
        "/problems/unknown-reference"
    }
    assert await book_authors(conductor, book) == []  # every author is gone


class DeadlockingUnitOfWork(PostgresUnitOfWork):
    """A unit of work whose every commit loses a deadlock, as under relentless contention."""

    async def _commit(self) -> None:
        async with translated():
            raise psycopg.errors.DeadlockDetected("deadlock detected")


async def test_a_write_that_loses_every_retry_is_a_503_with_retry_after(postgres_url: str) -> None:
    empty_catalogue(postgres_url)
    container = create_container(Settings(database_url=postgres_url).drop_in())
    container.storage.unit_of_work.override(
        providers.Factory(DeadlockingUnitOfWork, pool=container.storage.pool, bus=container.bus)
    )
    async with testing.ASGIConductor(create_app(container)) as conductor:
        result = await conductor.simulate_post("/authors", json={"name": "Frank Herbert"})
    assert result.status_code == 503, result.text
    assert result.json["type"] == "/problems/service-unavailable"
    assert int(result.headers["retry-after"]) > 0
