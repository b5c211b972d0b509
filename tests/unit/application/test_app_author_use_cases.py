"""Author use cases on the in-memory adapters: state, results, order of checks, events."""

from __future__ import annotations

import pytest

from library.application.authors import AuthorChanges, AuthorInput
from library.application.ports import AuthorFilter
from library.application.read_models import AuthorView, BookSummary
from library.domain.errors import FieldError, NotFound, UnknownReferences, ValidationFailed
from library.domain.events import AuthorChanged, AuthorRemoved
from library.domain.ids import MAX_ID
from tests.unit.application.use_case_app import App


def _fields(error: ValidationFailed) -> list[str]:
    return [e.field for e in error.errors]


class TestAddAuthor:
    async def test_an_author_is_added_normalised(self, app: App) -> None:
        view = await app.add_author(
            AuthorInput(name="  Neil Gaiman ", email=" neil@sandman.example ")
        )
        assert view == AuthorView(view.id, "Neil Gaiman", "neil@sandman.example")
        assert await app.catalogue.author(view.id) == view
        assert app.recorder.take() == [AuthorChanged(view.id, frozenset())]

    @pytest.mark.parametrize("email", [None, "", "   "])
    async def test_no_email(self, app: App, email: str | None) -> None:
        assert (await app.author("Isaac Asimov", email)).email is None

    async def test_books_are_linked_once(self, app: App) -> None:
        dune = await app.book("Dune")
        messiah = await app.book("Dune Messiah", year=1969)
        app.recorder.take()
        view = await app.add_author(
            AuthorInput(name="Frank Herbert", book_ids=[messiah.id, dune.id, messiah.id])
        )
        assert await app.show_author_books(view.id) == [
            BookSummary(dune.id, "Dune", None),
            BookSummary(messiah.id, "Dune Messiah", 1969),
        ]
        assert (await app.show_book(dune.id)).authors == (view,)
        assert app.recorder.take() == [AuthorChanged(view.id, frozenset({dune.id, messiah.id}))]

    async def test_unknown_books_are_named(self, app: App) -> None:
        dune = await app.book("Dune")
        app.recorder.take()
        with pytest.raises(UnknownReferences) as caught:
            await app.add_author(AuthorInput(name="X", book_ids=[dune.id, 40, 40, 41]))
        assert caught.value.errors == (
            FieldError("book_ids[1]", "book 40 does not exist"),
            FieldError("book_ids[3]", "book 41 does not exist"),
        )
        assert (await app.show_book(dune.id)).authors == ()
        assert await app.catalogue.authors(AuthorFilter()) == []
        assert app.recorder.take() == []

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        command = AuthorInput(name="", email="not-an-email", book_ids=[0, 1, MAX_ID + 1])
        with pytest.raises(ValidationFailed) as caught:
            await app.add_author(command)
        assert _fields(caught.value) == ["name", "email", "book_ids[0]", "book_ids[2]"]

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (AuthorInput(name="n" * 201), "name"),
            (AuthorInput(name=None), "name"),  # type: ignore[arg-type]
            (AuthorInput(name="ok", email="a@b"), "email"),
            (AuthorInput(name="ok", email="a" * 250 + "@b.cd"), "email"),
        ],
    )
    async def test_one_invalid_field(self, app: App, command: AuthorInput, field: str) -> None:
        with pytest.raises(ValidationFailed) as caught:
            await app.add_author(command)
        assert _fields(caught.value) == [field]

    async def test_invalid_fields_come_before_unknown_books(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.add_author(AuthorInput(name=" ", book_ids=[5]))


class TestReplaceAuthor:
    async def test_name_email_and_books_are_replaced(self, app: App) -> None:
        dune = await app.book("Dune")
        foundation = await app.book("Foundation")
        author = await app.add_author(
            AuthorInput(name="Frank", email="f@a.example", book_ids=[dune.id])
        )
        app.recorder.take()
        view = await app.replace_author(
            author.id, AuthorInput(name="Isaac Asimov", book_ids=[foundation.id])
        )
        assert view == AuthorView(author.id, "Isaac Asimov", None)
        assert [b.id for b in await app.show_author_books(author.id)] == [foundation.id]
        assert (await app.show_book(dune.id)).authors == ()
        assert app.recorder.take() == [
            AuthorChanged(author.id, frozenset({dune.id, foundation.id}))
        ]

    async def test_absent_book_ids_means_none(self, app: App) -> None:
        dune = await app.book("Dune")
        author = await app.add_author(AuthorInput(name="Frank", book_ids=[dune.id]))
        await app.replace_author(author.id, AuthorInput(name="Frank"))
        assert await app.show_author_books(author.id) == []

    async def test_a_missing_author_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound) as caught:
            await app.replace_author(9, AuthorInput(name="Nobody"))
        assert (caught.value.entity, caught.value.entity_id) == ("author", 9)

    async def test_invalid_fields_then_not_found_then_unknown_books(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.replace_author(9, AuthorInput(name="", book_ids=[77]))
        with pytest.raises(NotFound):
            await app.replace_author(9, AuthorInput(name="Nobody", book_ids=[77]))
        author = await app.author("Somebody", "s@b.example")
        with pytest.raises(UnknownReferences):
            await app.replace_author(author.id, AuthorInput(name="Nobody", book_ids=[77]))
        assert await app.catalogue.author(author.id) == author


class TestReviseAuthor:
    async def test_absent_fields_keep_their_value(self, app: App) -> None:
        dune = await app.book("Dune")
        author = await app.add_author(
            AuthorInput(name="Frank", email="f@a.example", book_ids=[dune.id])
        )
        app.recorder.take()
        assert await app.revise_author(author.id, AuthorChanges()) == author
        assert [b.id for b in await app.show_author_books(author.id)] == [dune.id]
        assert app.recorder.take() == [AuthorChanged(author.id, frozenset({dune.id}))]

    async def test_only_the_name_changes(self, app: App) -> None:
        author = await app.author("Frank", "f@a.example")
        view = await app.revise_author(author.id, AuthorChanges(name=" Frank Herbert "))
        assert view == AuthorView(author.id, "Frank Herbert", "f@a.example")

    @pytest.mark.parametrize("email", [None, "", " "])
    async def test_null_or_empty_email_clears_it(self, app: App, email: str | None) -> None:
        author = await app.author("Frank", "f@a.example")
        view = await app.revise_author(author.id, AuthorChanges(email=email))
        assert view == AuthorView(author.id, "Frank", None)
        assert await app.catalogue.author(author.id) == view

    async def test_book_ids_replace_the_list_and_empty_clears_it(self, app: App) -> None:
        dune, messiah = await app.book("Dune"), await app.book("Dune Messiah")
        author = await app.add_author(AuthorInput(name="Frank", book_ids=[dune.id]))
        await app.revise_author(author.id, AuthorChanges(book_ids=[messiah.id, messiah.id]))
        assert [b.id for b in await app.show_author_books(author.id)] == [messiah.id]
        app.recorder.take()
        await app.revise_author(author.id, AuthorChanges(book_ids=[]))
        assert await app.show_author_books(author.id) == []
        assert app.recorder.take() == [AuthorChanged(author.id, frozenset({messiah.id}))]

    async def test_null_name_is_a_validation_failure_not_a_crash(self, app: App) -> None:
        author = await app.author("Frank")
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_author(author.id, AuthorChanges(name=None))  # type: ignore[arg-type]
        assert _fields(caught.value) == ["name"]

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        author = await app.author("Frank")
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_author(
                author.id, AuthorChanges(name="\x00", email="x", book_ids=[-1, 2, 0])
            )
        assert _fields(caught.value) == ["name", "email", "book_ids[0]", "book_ids[2]"]

    async def test_order_of_checks(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.revise_author(4, AuthorChanges(email="bad", book_ids=[12]))
        with pytest.raises(NotFound):
            await app.revise_author(4, AuthorChanges(book_ids=[12]))
        author = await app.author("Frank")
        app.recorder.take()
        with pytest.raises(UnknownReferences) as caught:
            await app.revise_author(author.id, AuthorChanges(name="Changed", book_ids=[12]))
        assert caught.value.errors == (FieldError("book_ids[0]", "book 12 does not exist"),)
        assert await app.catalogue.author(author.id) == author
        assert app.recorder.take() == []


class TestRemoveAuthor:
    async def test_the_author_goes_their_books_stay(self, app: App) -> None:
        herbert = await app.author("Frank Herbert")
        other = await app.author("Brian Herbert")
        dune = await app.book("Dune", herbert.id, other.id)
        app.recorder.take()
        await app.remove_author(herbert.id)
        assert await app.catalogue.author(herbert.id) is None
        with pytest.raises(NotFound):
            await app.show_author_books(herbert.id)
        assert (await app.show_book(dune.id)).authors == (other,)
        assert app.recorder.take() == [AuthorRemoved(herbert.id, frozenset({dune.id}))]

    async def test_a_missing_author_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound):
            await app.remove_author(1)
        assert app.recorder.take() == []
