"""Reading on the in-memory adapters: the sample catalogue, pages and cursors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from library.application.authors import AuthorInput
from library.application.errors import InvalidQuery
from library.application.list_params import AuthorListParams, BookListParams
from library.application.read_models import BookPage
from library.application.sample import load_sample_catalogue
from library.domain.errors import NotFound, ValidationFailed
from library.domain.events import AuthorChanged, BookChanged, ReviewChanged
from tests.unit.application.use_case_app import App


async def _load_sample(app: App) -> None:
    await load_sample_catalogue(app.catalogue, app.add_author, app.add_book, app.add_review)


async def _walk(
    browse: Callable[[BookListParams], Awaitable[BookPage]], params: BookListParams
) -> list[list[str]]:
    """Every page from the first, following next_cursor, as lists of titles."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        page = await browse(
            BookListParams(q=params.q, sort=params.sort, limit=params.limit, cursor=cursor)
        )
        pages.append([book.title for book in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
        assert len(pages) < 50, "the walk does not end"


class TestSampleCatalogue:
    async def test_it_loads_through_the_use_cases(self, app: App) -> None:
        await _load_sample(app)
        events = app.recorder.take()
        assert sum(isinstance(e, AuthorChanged) for e in events) == 6
        assert sum(isinstance(e, BookChanged) for e in events) == 13
        assert sum(isinstance(e, ReviewChanged) for e in events) == 6
        authors = await app.browse_authors(AuthorListParams(limit="100"))
        assert len(authors) == 6
        page = await app.browse_books(BookListParams(limit="100"))
        assert len(page.items) == 13
        assert page.next_cursor is None
        by_title = {book.title: book for book in page.items}
        assert [a.name for a in by_title["Good Omens"].authors] == [
            "Terry Pratchett",
            "Neil Gaiman",
        ]
        assert by_title["The Dispossessed"].book_isbn == "006051275X"
        assert by_title["A Wizard of Earthsea"].book_isbn == "9780547773742"
        untitled = by_title["Untitled Manuscript"]
        assert (untitled.year, untitled.genre_name, untitled.authors) == (None, None, ())

    async def test_its_reviews_are_attached(self, app: App) -> None:
        await _load_sample(app)
        page = await app.browse_books(BookListParams(title="dune"))
        (dune,) = page.items
        detail = await app.show_book(dune.id)
        assert [r.reviewer_name for r in detail.reviews] == ["Rita", "Sam"]
        assert (detail.review_count, detail.rating_avg) == (2, 4.0)


class TestBrowseBooks:
    @pytest.mark.parametrize(
        "sort",
        [(), ("title",), ("title:desc",), ("year",), ("year:desc", "title")],
    )
    async def test_a_cursor_walk_sees_every_book_once_in_order(
        self, app: App, sort: tuple[str, ...]
    ) -> None:
        await _load_sample(app)
        browse = app.browse_books
        everything = await browse(BookListParams(sort=sort, limit="100"))
        pages = await _walk(browse, BookListParams(sort=sort, limit="4"))
        assert [len(p) for p in pages] == [4, 4, 4, 1]
        assert [t for p in pages for t in p] == [b.title for b in everything.items]

    async def test_books_without_a_year_come_last_both_ways(self, app: App) -> None:
        await _load_sample(app)
        browse = app.browse_books
        for sort in ("year", "year:desc"):
            page = await browse(BookListParams(sort=(sort,), limit="100"))
            assert page.items[-1].year is None

    async def test_an_exact_last_page_has_no_next_cursor(self, app: App) -> None:
        for title in ("A", "B", "C", "D"):
            await app.book(title)
        browse = app.browse_books
        first = await browse(BookListParams(limit="2"))
        assert first.next_cursor is not None
        second = await browse(BookListParams(limit="2", cursor=first.next_cursor))
        assert [b.title for b in second.items] == ["C", "D"]
        assert second.next_cursor is None

    async def test_an_offset_page_gives_a_cursor_after_its_last_item(self, app: App) -> None:
        for title in ("A", "B", "C", "D", "E"):
            await app.book(title)
        browse = app.browse_books
        page = await browse(BookListParams(offset="1", limit="2"))
        assert [b.title for b in page.items] == ["B", "C"]
        after = await browse(BookListParams(limit="10", cursor=page.next_cursor))
        assert [b.title for b in after.items] == ["D", "E"]

    async def test_a_cursor_for_other_filters_is_refused(self, app: App) -> None:
        for title in ("A", "B", "C"):
            await app.book(title)
        browse = app.browse_books
        page = await browse(BookListParams(limit="1", sort=("title",)))
        with pytest.raises(InvalidQuery):
            await browse(BookListParams(limit="1", sort=("year",), cursor=page.next_cursor))
        with pytest.raises(InvalidQuery):
            await browse(BookListParams(limit="1", cursor=page.next_cursor, offset="0"))

    async def test_search_pages_by_similarity(self, app: App) -> None:
        await _load_sample(app)
        browse = app.browse_books
        first = await browse(BookListParams(q="dune", limit="1"))
        assert [b.title for b in first.items] == ["Dune"]
        with pytest.raises(InvalidQuery):
            await browse(BookListParams(sort=("similarity",)))
        with pytest.raises(ValidationFailed):
            await browse(BookListParams(q="dune", limit="0"))


class TestShow:
    async def test_missing_things_are_not_found(self, app: App) -> None:
        with pytest.raises(NotFound):
            await app.show_book(1)
        with pytest.raises(NotFound):
            await app.show_book_reviews(1)
        with pytest.raises(NotFound):
            await app.show_review(1)
        with pytest.raises(NotFound):
            await app.show_author(1)
        with pytest.raises(NotFound):
            await app.show_author_books(1)

    async def test_an_author_and_an_empty_review_list(self, app: App) -> None:
        author = await app.add_author(AuthorInput(name="A"))
        assert await app.show_author(author.id) == author
        book = await app.book("B")
        assert list(await app.show_book_reviews(book.id)) == []


async def test_the_sample_is_not_loaded_twice(app: App) -> None:
    await _load_sample(app)
    first = await app.browse_books(BookListParams(limit="100"))
    await _load_sample(app)
    again = await app.browse_books(BookListParams(limit="100"))
    assert [book.id for book in again.items] == [book.id for book in first.items]
