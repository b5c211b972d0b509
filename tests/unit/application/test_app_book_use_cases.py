"""Book use cases on the in-memory adapters: state, results, order of checks, events."""

from __future__ import annotations

import pytest

from library.application.authors import AuthorChanges
from library.application.books import BookChanges, BookInput
from library.application.changes import UNSET
from library.application.ports import BookFilter
from library.application.read_models import AuthorView, BookDetail, ReviewView
from library.application.reviews import ReviewInput
from library.domain.errors import FieldError, NotFound, UnknownReferences, ValidationFailed
from library.domain.events import BookChanged, BookRemoved
from library.domain.ids import MAX_ID
from tests.unit.application.use_case_app import App


def _fields(error: ValidationFailed) -> list[str]:
    return [e.field for e in error.errors]


class TestAddBook:
    async def test_a_book_is_added_normalised_with_its_authors(self, app: App) -> None:
        herbert = await app.author("Frank Herbert", "frank@arrakis.example")
        anderson = await app.author("Kevin J. Anderson")
        app.recorder.take()
        detail = await app.add_book(
            BookInput(
                title="  Dune ",
                year=1965,
                book_isbn="978-0-441-17271-9",
                genre_name=" Science Fiction ",
                description="  Spice.  ",
                author_ids=[anderson.id, herbert.id],
            )
        )
        assert detail == BookDetail(
            id=detail.id,
            title="Dune",
            year=1965,
            book_isbn="9780441172719",
            genre_name="Science Fiction",
            description="Spice.",
            authors=(herbert, anderson),
            reviews=(),
            review_count=0,
            rating_avg=None,
        )
        assert await app.show_book(detail.id) == detail
        assert app.recorder.take() == [BookChanged(detail.id, frozenset({herbert.id, anderson.id}))]

    async def test_empty_optional_text_is_stored_as_null(self, app: App) -> None:
        detail = await app.add_book(
            BookInput(title="Untitled", book_isbn=" ", genre_name="", description="\n")
        )
        assert (detail.year, detail.book_isbn, detail.genre_name, detail.description) == (
            None,
            None,
            None,
            None,
        )
        assert detail.authors == ()

    async def test_repeated_author_ids_are_ignored(self, app: App) -> None:
        pratchett = await app.author("Terry Pratchett")
        gaiman = await app.author("Neil Gaiman")
        app.recorder.take()
        detail = await app.book("Good Omens", gaiman.id, pratchett.id, gaiman.id, gaiman.id)
        assert detail.authors == (pratchett, gaiman)
        assert [b.title for b in await app.show_author_books(gaiman.id)] == ["Good Omens"]
        assert app.recorder.take() == [BookChanged(detail.id, frozenset({1, 2}))]

    async def test_unknown_authors_are_named_at_their_first_position(self, app: App) -> None:
        known = await app.author("Isaac Asimov")
        app.recorder.take()
        with pytest.raises(UnknownReferences) as caught:
            await app.book("Foundation", known.id, 99, 98, 99, known.id, MAX_ID)
        assert caught.value.errors == (
            FieldError("author_ids[1]", "author 99 does not exist"),
            FieldError("author_ids[2]", "author 98 does not exist"),
            FieldError("author_ids[5]", f"author {MAX_ID} does not exist"),
        )
        assert caught.value.entity == "author"
        assert await app.show_author_books(known.id) == []
        assert app.recorder.take() == []

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        command = BookInput(
            title="   ",
            year=0,
            book_isbn="978-0",
            genre_name="g" * 128,
            description="d" * 20_001,
            author_ids=[1, 0, -4, MAX_ID + 1, True],
        )
        with pytest.raises(ValidationFailed) as caught:
            await app.add_book(command)
        assert _fields(caught.value) == [
            "title",
            "year",
            "book_isbn",
            "genre_name",
            "description",
            "author_ids[1]",
            "author_ids[2]",
            "author_ids[3]",
            "author_ids[4]",
        ]
        assert app.recorder.take() == []

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (BookInput(title=None), "title"),  # type: ignore[arg-type]
            (BookInput(title="t" * 501), "title"),
            (BookInput(title="ok", year=True), "year"),
            (BookInput(title="ok", year=10_000), "year"),
            (BookInput(title="ok", year="1965"), "year"),  # type: ignore[arg-type]
            (BookInput(title="ok", book_isbn=9780441172719), "book_isbn"),  # type: ignore[arg-type]
            (BookInput(title="ok", description="a\x00b"), "description"),
        ],
    )
    async def test_one_invalid_field(self, app: App, command: BookInput, field: str) -> None:
        with pytest.raises(ValidationFailed) as caught:
            await app.add_book(command)
        assert _fields(caught.value) == [field]

    async def test_invalid_fields_come_before_unknown_authors(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.book("", 99)

    async def test_a_refused_book_is_not_stored(self, app: App) -> None:
        with pytest.raises(UnknownReferences):
            await app.book("Ghost", 5)
        kept = await app.book("Kept")
        page = await app.catalogue.books(BookFilter(), after=None, offset=0, limit=10)
        assert [hit.book.title for hit in page] == ["Kept"]
        assert kept.title == "Kept"


class TestReplaceBook:
    async def test_every_field_and_the_authors_are_replaced(self, app: App) -> None:
        le_guin = await app.author("Ursula K. Le Guin")
        herbert = await app.author("Frank Herbert")
        book = await app.book(
            "Dune", herbert.id, year=1965, book_isbn="9780441172719", genre_name="SF"
        )
        app.recorder.take()
        detail = await app.replace_book(
            book.id, BookInput(title=" The Dispossessed ", author_ids=[le_guin.id])
        )
        assert (detail.id, detail.title, detail.authors) == (
            book.id,
            "The Dispossessed",
            (le_guin,),
        )
        # Absent optional fields become null.
        assert (detail.year, detail.book_isbn, detail.genre_name, detail.description) == (
            None,
            None,
            None,
            None,
        )
        assert await app.show_book(book.id) == detail
        assert await app.show_author_books(herbert.id) == []
        assert app.recorder.take() == [BookChanged(book.id, frozenset({le_guin.id, herbert.id}))]

    async def test_reviews_survive_a_replace(self, app: App) -> None:
        book = await app.book("Dune")
        review = await app.add_review(book.id, ReviewInput("Rita", 5))
        detail = await app.replace_book(book.id, BookInput(title="Dune Messiah"))
        assert detail.reviews == (review,)
        assert (detail.review_count, detail.rating_avg) == (1, 5.0)

    async def test_a_missing_book_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound) as caught:
            await app.replace_book(42, BookInput(title="Dune"))
        assert (caught.value.entity, caught.value.entity_id) == ("book", 42)
        assert app.recorder.take() == []

    async def test_invalid_fields_come_before_not_found(self, app: App) -> None:
        with pytest.raises(ValidationFailed) as caught:
            await app.replace_book(42, BookInput(title="", author_ids=[0]))
        assert _fields(caught.value) == ["title", "author_ids[0]"]

    async def test_not_found_comes_before_unknown_authors(self, app: App) -> None:
        with pytest.raises(NotFound):
            await app.replace_book(42, BookInput(title="Dune", author_ids=[7]))

    async def test_unknown_authors_leave_the_book_unchanged(self, app: App) -> None:
        author = await app.author("Frank Herbert")
        book = await app.book("Dune", author.id, year=1965)
        app.recorder.take()
        with pytest.raises(UnknownReferences) as caught:
            await app.replace_book(book.id, BookInput(title="X", author_ids=[author.id, 5]))
        assert caught.value.errors == (FieldError("author_ids[1]", "author 5 does not exist"),)
        assert await app.show_book(book.id) == book
        assert app.recorder.take() == []


class TestReviseBook:
    async def _dune(self, app: App) -> BookDetail:
        author = await app.author("Frank Herbert")
        detail = await app.book(
            "Dune",
            author.id,
            year=1965,
            book_isbn="9780441172719",
            genre_name="Science Fiction",
            description="Spice.",
        )
        app.recorder.take()
        return detail

    async def test_absent_fields_keep_their_value(self, app: App) -> None:
        book = await self._dune(app)
        assert await app.revise_book(book.id, BookChanges()) == book
        assert app.recorder.take() == [BookChanged(book.id, frozenset({1}))]

    async def test_only_the_given_fields_change(self, app: App) -> None:
        book = await self._dune(app)
        detail = await app.revise_book(
            book.id, BookChanges(title=" Dune Messiah ", book_isbn="0-441-17271-x")
        )
        assert (detail.title, detail.book_isbn) == ("Dune Messiah", "044117271X")
        assert app.recorder.seen == [detail]  # the subscriber read the committed change
        assert (detail.year, detail.genre_name, detail.description, detail.authors) == (
            1965,
            "Science Fiction",
            "Spice.",
            book.authors,
        )
        assert await app.show_book(book.id) == detail

    async def test_explicit_null_clears_optional_fields(self, app: App) -> None:
        book = await self._dune(app)
        detail = await app.revise_book(
            book.id, BookChanges(year=None, book_isbn=None, genre_name=None, description=None)
        )
        assert (detail.title, detail.authors) == ("Dune", book.authors)
        assert (detail.year, detail.book_isbn, detail.genre_name, detail.description) == (
            None,
            None,
            None,
            None,
        )

    async def test_empty_text_clears_optional_fields(self, app: App) -> None:
        book = await self._dune(app)
        detail = await app.revise_book(
            book.id, BookChanges(book_isbn="", genre_name="  ", description="")
        )
        assert (detail.book_isbn, detail.genre_name, detail.description) == (None, None, None)

    async def test_null_title_is_a_validation_failure_not_a_crash(self, app: App) -> None:
        book = await self._dune(app)
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_book(book.id, BookChanges(title=None))  # type: ignore[arg-type]
        assert _fields(caught.value) == ["title"]
        assert await app.show_book(book.id) == book

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        book = await self._dune(app)
        changes = BookChanges(
            title="", year=False, book_isbn="nope", genre_name="g" * 128, description="\x00"
        )
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_book(book.id, changes)
        assert _fields(caught.value) == [
            "title",
            "year",
            "book_isbn",
            "genre_name",
            "description",
        ]
        assert await app.show_book(book.id) == book
        assert app.recorder.take() == []

    async def test_a_missing_book_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound):
            await app.revise_book(3, BookChanges(year=2000))

    async def test_invalid_fields_come_before_not_found(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.revise_book(3, BookChanges(year=0))

    async def test_unset_is_distinct_from_every_value(self) -> None:
        assert BookChanges().title is UNSET
        assert BookChanges(year=None).year is None


class TestReplaceBookAuthors:
    async def test_authors_are_replaced_deduplicated_and_ordered(self, app: App) -> None:
        a, b, c = [await app.author(name) for name in ("A", "B", "C")]
        book = await app.book("Shared", a.id)
        app.recorder.take()
        detail = await app.replace_book_authors(book.id, [c.id, b.id, c.id])
        assert detail.authors == (b, c)
        assert detail.title == "Shared"
        assert await app.show_author_books(a.id) == []
        assert [s.id for s in await app.show_author_books(c.id)] == [book.id]
        assert app.recorder.take() == [BookChanged(book.id, frozenset({a.id, b.id, c.id}))]

    async def test_an_empty_list_clears_the_authors(self, app: App) -> None:
        a = await app.author("A")
        book = await app.book("Alone", a.id)
        assert (await app.replace_book_authors(book.id, [])).authors == ()

    async def test_unknown_authors_are_named(self, app: App) -> None:
        a = await app.author("A")
        book = await app.book("Kept", a.id)
        with pytest.raises(UnknownReferences) as caught:
            await app.replace_book_authors(book.id, [8, a.id, 9])
        assert caught.value.errors == (
            FieldError("author_ids[0]", "author 8 does not exist"),
            FieldError("author_ids[2]", "author 9 does not exist"),
        )
        assert (await app.show_book(book.id)).authors == (a,)

    async def test_invalid_ids_come_first_then_not_found_then_unknown(self, app: App) -> None:
        with pytest.raises(ValidationFailed) as invalid:
            await app.replace_book_authors(5, [1, 0])
        assert _fields(invalid.value) == ["author_ids[1]"]
        with pytest.raises(NotFound):
            await app.replace_book_authors(5, [1])


class TestRemoveBook:
    async def test_the_book_and_its_reviews_go_its_authors_stay(self, app: App) -> None:
        author = await app.author("Frank Herbert")
        book = await app.book("Dune", author.id)
        other = await app.book("Dune Messiah", author.id)
        review = await app.add_review(book.id, ReviewInput("Rita", 5))
        app.recorder.take()
        await app.remove_book(book.id)
        with pytest.raises(NotFound):
            await app.show_book(book.id)
        assert await app.catalogue.review(review.id) is None
        assert await app.catalogue.author(author.id) == author
        assert [s.id for s in await app.show_author_books(author.id)] == [other.id]
        assert app.recorder.take() == [BookRemoved(book.id, frozenset({author.id}))]

    async def test_a_missing_book_is_not_found(self, app: App) -> None:
        book = await app.book("Once")
        await app.remove_book(book.id)
        app.recorder.take()
        with pytest.raises(NotFound):
            await app.remove_book(book.id)
        assert app.recorder.take() == []


async def test_a_new_review_shows_in_the_book_detail(app: App) -> None:
    book = await app.book("Dune")
    rita = await app.add_review(book.id, ReviewInput("Rita", 5, " Great "))
    tom = await app.add_review(book.id, ReviewInput("Tom", 2))
    detail = await app.show_book(book.id)
    assert detail.reviews == (rita, tom)
    assert rita == ReviewView(rita.id, "Rita", 5, "Great")
    assert (detail.review_count, detail.rating_avg) == (2, 3.5)


async def test_author_views_in_a_book_are_current(app: App) -> None:
    author = await app.author("Frank")
    book = await app.book("Dune", author.id)
    await app.revise_author(author.id, AuthorChanges(name="Frank Herbert"))
    assert (await app.show_book(book.id)).authors == (AuthorView(author.id, "Frank Herbert", None),)
