"""Contract of `Catalogue.books` without search: filters, every sort, keyset and offset."""

from __future__ import annotations

import pytest

from library.application.ports import BookFilter, BookPosition, SortOrder
from tests.contract.contract_backends import Backend

TITLE = SortOrder("title", descending=False)
TITLE_DESC = SortOrder("title", descending=True)
YEAR = SortOrder("year", descending=False)
YEAR_DESC = SortOrder("year", descending=True)


async def _titles(backend: Backend, query: BookFilter) -> list[str]:
    return [hit.book.title for hit in await backend.list_books(query)]


class TestFilters:
    async def test_title_is_exact_and_case_insensitive(self, backend: Backend) -> None:
        dune = await backend.add_book("Dune")
        upper = await backend.add_book("DUNE")
        await backend.add_book("Dune Messiah")
        await backend.add_book("Children of Dune")
        assert await backend.book_ids(BookFilter(title="dune")) == [dune, upper]

    async def test_isbn_is_exact(self, backend: Backend) -> None:
        first = await backend.add_book("A", isbn="0-06-051275-X")
        await backend.add_book("B", isbn="9780441172719")
        await backend.add_book("C")
        edition = await backend.add_book("D", isbn="006051275X")
        assert await backend.book_ids(BookFilter(isbn="006051275X")) == [first, edition]

    async def test_author_id_keeps_that_author_s_books(self, backend: Backend) -> None:
        ann = await backend.add_author("Ann")
        bob = await backend.add_author("Bob")
        both = await backend.add_book("Both", author_ids=[ann, bob])
        await backend.add_book("Bob only", author_ids=[bob])
        alone = await backend.add_book("Ann only", author_ids=[ann])
        await backend.add_book("Nobody's")
        assert await backend.book_ids(BookFilter(author_id=ann)) == [both, alone]
        assert await backend.book_ids(BookFilter(author_id=999)) == []

    async def test_years_are_inclusive_and_books_without_a_year_never_match(
        self, backend: Backend
    ) -> None:
        ids = {year: await backend.add_book(f"Y{year}", year=year) for year in (1950, 1965, 1980)}
        await backend.add_book("No year")
        assert await backend.book_ids(BookFilter(before=1965)) == [ids[1950], ids[1965]]
        assert await backend.book_ids(BookFilter(after=1965)) == [ids[1965], ids[1980]]
        assert await backend.book_ids(BookFilter(after=1965, before=1965)) == [ids[1965]]
        assert await backend.book_ids(BookFilter(after=1966, before=1964)) == []

    async def test_filters_combine(self, backend: Backend) -> None:
        ann = await backend.add_author("Ann")
        await backend.add_book("Dune", year=1965)
        match = await backend.add_book("dune", year=1970, author_ids=[ann])
        await backend.add_book("Dune", year=1990, author_ids=[ann])
        query = BookFilter(title="DUNE", author_id=ann, before=1980, after=1960)
        assert await backend.book_ids(query) == [match]


class TestSort:
    async def test_the_default_order_is_by_id(self, backend: Backend) -> None:
        ids = [await backend.add_book(title) for title in ["c", "a", "b"]]
        assert await backend.book_ids() == ids

    async def test_title_compares_lower_cased_code_points(self, backend: Backend) -> None:
        for title in ["banana", "Apple", "apple pie", "Éclair", "zebra", "Zed", "apple", "10", "9"]:
            await backend.add_book(title)
        expected = ["10", "9", "Apple", "apple", "apple pie", "banana", "zebra", "Zed", "Éclair"]
        assert await _titles(backend, BookFilter(sort=(TITLE,))) == expected
        descending = ["Éclair", "Zed", "zebra", "banana", "apple pie", "Apple", "apple", "9", "10"]
        assert await _titles(backend, BookFilter(sort=(TITLE_DESC,))) == descending

    async def test_equal_titles_break_ties_by_id_in_both_directions(self, backend: Backend) -> None:
        first = await backend.add_book("Same")
        second = await backend.add_book("SAME")
        third = await backend.add_book("same")
        for order in (TITLE, TITLE_DESC):
            assert await backend.book_ids(BookFilter(sort=(order,))) == [first, second, third]

    async def test_books_without_a_year_come_last_in_both_directions(
        self, backend: Backend
    ) -> None:
        none_first = await backend.add_book("none 1")
        y1965 = await backend.add_book("1965", year=1965)
        none_second = await backend.add_book("none 2")
        y1950 = await backend.add_book("1950", year=1950)
        y1980 = await backend.add_book("1980", year=1980)
        assert await backend.book_ids(BookFilter(sort=(YEAR,))) == [
            y1950,
            y1965,
            y1980,
            none_first,
            none_second,
        ]
        assert await backend.book_ids(BookFilter(sort=(YEAR_DESC,))) == [
            y1980,
            y1965,
            y1950,
            none_first,
            none_second,
        ]

    async def test_several_sort_entries_apply_in_turn(self, backend: Backend) -> None:
        b_1990 = await backend.add_book("b", year=1990)
        a_1990 = await backend.add_book("a", year=1990)
        c_none = await backend.add_book("c")
        a_none = await backend.add_book("a")
        z_2000 = await backend.add_book("z", year=2000)
        assert await backend.book_ids(BookFilter(sort=(YEAR_DESC, TITLE))) == [
            z_2000,
            a_1990,
            b_1990,
            a_none,
            c_none,
        ]
        assert await backend.book_ids(BookFilter(sort=(TITLE_DESC, YEAR))) == [
            z_2000,
            c_none,
            b_1990,
            a_1990,
            a_none,
        ]


class TestPaging:
    async def test_offset_and_limit_cut_the_ordered_list(self, backend: Backend) -> None:
        ids = [await backend.add_book(f"Book {n}") for n in range(7)]
        assert await backend.book_ids(offset=2, limit=3) == ids[2:5]
        assert await backend.book_ids(offset=6, limit=3) == ids[6:]
        assert await backend.book_ids(offset=7, limit=3) == []

    @pytest.mark.parametrize(
        "sort",
        [(), (TITLE,), (TITLE_DESC,), (YEAR,), (YEAR_DESC,), (YEAR_DESC, TITLE), (TITLE, YEAR)],
        ids=lambda sort: (
            ",".join(f"{o.field}:{'desc' if o.descending else 'asc'}" for o in sort) or "id"
        ),
    )
    async def test_keyset_pages_walk_the_whole_list_in_order(
        self, backend: Backend, sort: tuple[SortOrder, ...]
    ) -> None:
        for n, (title, year) in enumerate(
            [("b", 2000), ("a", None), ("B", 1990), ("c", 2000), ("a", 1990), ("b", None)] * 2
        ):
            await backend.add_book(f"{title}", year=None if year is None else year + n % 2)
        query = BookFilter(sort=sort)
        everything = await backend.book_ids(query)
        walked: list[int] = []
        position = None
        while True:
            page = await backend.list_books(query, after=position, limit=5)
            walked.extend(hit.book.id for hit in page)
            if len(page) < 5:
                break
            last = page[-1]
            values = tuple(
                last.book.title if order.field == "title" else last.book.year for order in sort
            )
            position = BookPosition(values, last.book.id)
        assert walked == everything
        assert len(everything) == 12

    async def test_a_position_is_strictly_after_even_when_its_book_is_gone(
        self, backend: Backend
    ) -> None:
        first = await backend.add_book("a", year=1990)
        await backend.add_book("b", year=1990)
        third = await backend.add_book("c", year=2000)
        query = BookFilter(sort=(YEAR,))
        # Position of a book that is not there (id 2 had year 1990, title "b"): what follows
        # is what would follow it.
        after_missing = BookPosition((1990,), 2)
        assert await backend.book_ids(query, after=after_missing) == [third]
        after_first = BookPosition((1990,), first)
        assert len(await backend.book_ids(query, after=after_first)) == 2

    async def test_a_position_in_the_books_without_a_year(self, backend: Backend) -> None:
        dated = await backend.add_book("dated", year=2000)
        undated = [await backend.add_book(f"undated {n}") for n in range(3)]
        for order in (YEAR, YEAR_DESC):
            query = BookFilter(sort=(order,))
            assert await backend.book_ids(query) == [dated, *undated]
            after = BookPosition((None,), undated[0])
            assert await backend.book_ids(query, after=after) == undated[1:]
            after_dated = BookPosition((2000,), dated)
            assert await backend.book_ids(query, after=after_dated) == undated

    async def test_a_title_position_compares_lower_cased(self, backend: Backend) -> None:
        ids = [await backend.add_book(title) for title in ["apple", "Banana", "cherry"]]
        # Id 0 comes before every id, so "Banana" itself follows in both directions.
        after = BookPosition(("BANANA",), 0)
        assert await backend.book_ids(BookFilter(sort=(TITLE,)), after=after) == ids[1:]
        assert await backend.book_ids(BookFilter(sort=(TITLE_DESC,)), after=after) == [
            ids[1],
            ids[0],
        ]
        after_banana = BookPosition(("banana",), ids[1])
        assert await backend.book_ids(BookFilter(sort=(TITLE,)), after=after_banana) == [ids[2]]


async def test_most_reviewed_books_orders_by_review_count_then_id(backend: Backend) -> None:
    quiet = await backend.add_book("Quiet")
    popular = await backend.add_book("Popular")
    liked = await backend.add_book("Liked")
    for reviewer in ("a", "b", "c"):
        await backend.add_review(popular, reviewer)
    for reviewer in ("a", "b"):
        await backend.add_review(liked, reviewer)
    await backend.add_review(quiet, "a")
    await backend.add_book("Unreviewed")
    assert list(await backend.catalogue.most_reviewed_books(10)) == [popular, liked, quiet]
    assert list(await backend.catalogue.most_reviewed_books(2)) == [popular, liked]
