"""Walking `next_cursor` returns every matching book exactly once, in order, even under writes.

Random small catalogues (titles from a tiny vocabulary so ties are common, years with gaps
and nulls, a few authors), random filters, random sorts and random page sizes, driven
through the `BrowseBooks` use case on the memory adapters. The expected order is a plain
`sorted()` with a comparison written out rule by rule from API.md.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence

import orjson
import pytest
from attrs import frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.application.authors import AddAuthor, AuthorInput
from library.application.books import (
    AddBook,
    BookChanges,
    BookInput,
    RemoveBook,
    ReplaceBookAuthors,
    ReviseBook,
)
from library.application.catalogue import BrowseBooks
from library.application.events import EventBus
from library.application.list_params import BookListParams
from library.application.ports import BookFilter, UnitOfWork
from library.application.rendering import RenderingCatalogue

# Prefixes of each other and equal up to case, so that title order and ties are put to work.
WORDS = ["ab", "Ab", "abc", "b", "ba", "cab"]
AUTHOR_NAMES = ["Abby Cab", "Bob", "Ann Ab"]
YEARS = [1990, 1991, 1992]

titles = st.sampled_from(WORDS) | st.lists(st.sampled_from(WORDS), min_size=2, max_size=2).map(
    " ".join
)
years = st.none() | st.sampled_from(YEARS)
author_sets = st.lists(st.integers(1, len(AUTHOR_NAMES)), max_size=2, unique=True)


@frozen
class BookSpec:
    title: str
    year: int | None
    author_ids: tuple[int, ...]


book_specs = st.builds(BookSpec, titles, years, author_sets.map(tuple))


@frozen
class Query:
    q: str | None
    title: str | None
    author_id: int | None
    before: int | None
    after: int | None
    sort: tuple[tuple[str, bool | None], ...]  # (field, descending or None for the default)

    def params(self, limit: int, cursor: str | None) -> BookListParams:
        def text(value: int | str | None) -> str | None:
            return None if value is None else str(value)

        specs = tuple(
            field if descending is None else f"{field}:{'desc' if descending else 'asc'}"
            for field, descending in self.sort
        )
        return BookListParams(
            q=self.q,
            title=self.title,
            author_id=text(self.author_id),
            before=text(self.before),
            after=text(self.after),
            limit=str(limit),
            cursor=cursor,
            sort=specs,
        )

    def orders(self) -> list[tuple[str, bool]]:
        """The sort with defaults resolved, as API.md states them."""
        if not self.sort and self.q is not None:
            return [("similarity", True)]
        return [
            (field, field == "similarity" if descending is None else descending)
            for field, descending in self.sort
        ]


@st.composite
def queries(draw: st.DrawFn) -> Query:
    q = draw(st.none() | st.sampled_from([*WORDS, "ab ba", "Bob", "cab abc"]))
    fields = ["title", "year"] + (["similarity"] if q is not None else [])
    chosen = draw(st.lists(st.sampled_from(fields), max_size=3, unique=True))
    sort = tuple((field, draw(st.none() | st.booleans())) for field in chosen)
    return Query(
        q=q,
        title=draw(st.none() | st.sampled_from(["ab", "AB", "ab ba"])),
        author_id=draw(st.none() | st.integers(1, len(AUTHOR_NAMES) + 1)),
        before=draw(st.none() | st.sampled_from(YEARS)),
        after=draw(st.none() | st.sampled_from(YEARS)),
        sort=sort,
    )


# A write between two pages: add a book, change one (title, year or authors), remove one.
writes = st.one_of(
    st.tuples(st.just("add"), book_specs),
    st.tuples(st.just("change"), st.integers(0, 50), book_specs),
    st.tuples(st.just("remove"), st.integers(0, 50)),
)


@frozen
class Row:
    id: int
    title: str
    year: int | None
    relevance: float | None


def _compare(orders: Sequence[tuple[str, bool]], a: Row, b: Row) -> int:
    for field, descending in orders:
        if field == "year":
            if a.year is None or b.year is None:
                if a.year is None and b.year is None:
                    continue
                return 1 if a.year is None else -1  # no year: last in both directions
            difference = (a.year > b.year) - (a.year < b.year)
        elif field == "title":
            x, y = a.title.lower(), b.title.lower()
            difference = (x > y) - (x < y)
        else:
            x_rel, y_rel = a.relevance or 0.0, b.relevance or 0.0
            difference = (x_rel > y_rel) - (x_rel < y_rel)
        if difference:
            return -difference if descending else difference
    return a.id - b.id


class Library:
    """The use cases over fresh memory adapters, plus a plain model of the books."""

    def __init__(self) -> None:
        store = MemoryStore()
        bus = EventBus()

        def unit_of_work() -> UnitOfWork:
            return MemoryUnitOfWork(store, bus)

        self.catalogue = MemoryCatalogue(store)
        self.browse = BrowseBooks(RenderingCatalogue(self.catalogue))
        self.add_author = AddAuthor(unit_of_work)
        self.add_book = AddBook(unit_of_work, self.catalogue)
        self.revise_book = ReviseBook(unit_of_work, self.catalogue)
        self.replace_authors = ReplaceBookAuthors(unit_of_work, self.catalogue)
        self.remove_book = RemoveBook(unit_of_work)
        self.books: dict[int, BookSpec] = {}

    async def fill(self, specs: Sequence[BookSpec]) -> None:
        for name in AUTHOR_NAMES:
            await self.add_author(AuthorInput(name=name))
        for spec in specs:
            await self.add(spec)

    async def add(self, spec: BookSpec) -> int:
        detail = await self.add_book(
            BookInput(title=spec.title, year=spec.year, author_ids=list(spec.author_ids))
        )
        self.books[detail.id] = spec
        return detail.id

    async def write(self, write: tuple[object, ...]) -> int | None:
        """Apply a write; return the id of the existing book it touched, if any."""
        ids = sorted(self.books)
        if write[0] == "add":
            spec = write[1]
            assert isinstance(spec, BookSpec)
            await self.add(spec)
            return None
        if not ids:
            return None
        index = write[1]
        assert isinstance(index, int)
        book_id = ids[index % len(ids)]
        if write[0] == "remove":
            await self.remove_book(book_id)
            del self.books[book_id]
            return book_id
        spec = write[2]
        assert isinstance(spec, BookSpec)
        await self.revise_book(book_id, BookChanges(title=spec.title, year=spec.year))
        await self.replace_authors(book_id, list(spec.author_ids))
        self.books[book_id] = spec
        return book_id

    async def expected(self, query: Query) -> list[int]:
        """Matching books in the order API.md describes, computed without the cursor code."""
        relevance: dict[int, float | None] = dict.fromkeys(self.books)
        if query.q is not None:
            # Which books the text matches, and how well, is the search's business (tested
            # on its own); this test is about filtering, ordering and paging.
            hits = await self.catalogue.books(
                BookFilter(q=query.q), after=None, offset=0, limit=10**6
            )
            relevance = {hit.book.id: hit.relevance for hit in hits}
        rows = [
            Row(book_id, spec.title, spec.year, relevance[book_id])
            for book_id, spec in self.books.items()
            if book_id in relevance and _matches(spec, query)
        ]
        compare = functools.partial(_compare, query.orders())
        return [row.id for row in sorted(rows, key=functools.cmp_to_key(compare))]

    async def walk(
        self, query: Query, limits: Sequence[int], writes: Sequence[Sequence[tuple[object, ...]]]
    ) -> tuple[list[int], set[int]]:
        """Follow next_cursor to the end, writing between pages.

        Returns:
            The ids walked, and the ids of the existing books the writes changed or removed.
        """
        walked: list[int] = []
        touched: set[int] = set()
        cursor: str | None = None
        for page_number in range(10_000):
            # The writes before page n are writes[n - 1]; they run out, so the walk ends.
            if 0 < page_number <= len(writes):
                for write in writes[page_number - 1]:
                    book_id = await self.write(write)
                    if book_id is not None:
                        touched.add(book_id)
            limit = limits[page_number % len(limits)]
            page = orjson.loads((await self.browse(query.params(limit, cursor))).json)
            assert len(page["items"]) <= limit
            walked.extend(book["id"] for book in page["items"])
            if page["next_cursor"] is None:
                return walked, touched
            assert len(page["items"]) == limit  # a cursor only when this page is full
            cursor = page["next_cursor"]
        raise AssertionError("the walk did not end")


def _matches(spec: BookSpec, query: Query) -> bool:
    if query.title is not None and spec.title.lower() != query.title.lower():
        return False
    if query.author_id is not None and query.author_id not in spec.author_ids:
        return False
    if query.before is not None and (spec.year is None or spec.year > query.before):
        return False
    return query.after is None or (spec.year is not None and spec.year >= query.after)


def _check_quiet_walk(specs: list[BookSpec], query: Query, limits: list[int]) -> None:
    async def scenario() -> None:
        library = Library()
        await library.fill(specs)
        expected = await library.expected(query)
        walked, _ = await library.walk(query, limits, [])
        assert walked == expected

    asyncio.run(scenario())


def _check_walk_under_writes(
    specs: list[BookSpec],
    query: Query,
    limits: list[int],
    page_writes: list[list[tuple[object, ...]]],
) -> None:
    async def scenario() -> None:
        library = Library()
        await library.fill(specs)
        before = await library.expected(query)
        walked, touched = await library.walk(query, limits, page_writes)
        # Books that stayed unchanged throughout: once each, in their order.
        steady = [book_id for book_id in before if book_id not in touched]
        steady_set = set(steady)
        assert [book_id for book_id in walked if book_id in steady_set] == steady

    asyncio.run(scenario())


catalogues = st.lists(book_specs, max_size=14)
page_sizes = st.lists(st.integers(1, 5), min_size=1, max_size=4)
write_plans = st.lists(st.lists(writes, max_size=3), min_size=1, max_size=4)
_QUICK = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_LONG = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_QUICK
@given(catalogues, queries(), page_sizes)
def test_a_walk_returns_every_match_once_in_order(
    specs: list[BookSpec], query: Query, limits: list[int]
) -> None:
    _check_quiet_walk(specs, query, limits)


@_QUICK
@given(catalogues, queries(), page_sizes, write_plans)
def test_a_walk_under_writes_returns_every_unchanged_book_once_in_order(
    specs: list[BookSpec],
    query: Query,
    limits: list[int],
    page_writes: list[list[tuple[object, ...]]],
) -> None:
    _check_walk_under_writes(specs, query, limits, page_writes)


@pytest.mark.slow
@_LONG
@given(st.lists(book_specs, max_size=30), queries(), page_sizes)
def test_a_long_walk_returns_every_match_once_in_order(
    specs: list[BookSpec], query: Query, limits: list[int]
) -> None:
    _check_quiet_walk(specs, query, limits)


@pytest.mark.slow
@_LONG
@given(st.lists(book_specs, max_size=30), queries(), page_sizes, write_plans)
def test_a_long_walk_under_writes_returns_every_unchanged_book_once_in_order(
    specs: list[BookSpec],
    query: Query,
    limits: list[int],
    page_writes: list[list[tuple[object, ...]]],
) -> None:
    _check_walk_under_writes(specs, query, limits, page_writes)
