"""Use cases that change authors."""

from __future__ import annotations

from attrs import field, frozen

from library.application.changes import UNSET, Unset
from library.application.field_docs import FieldDoc, described
from library.application.ports import UnitOfWork, UnitOfWorkFactory
from library.application.read_models import AuthorView
from library.application.references import check_ids, require_existing
from library.application.retries import retry_on_conflict
from library.domain.authors import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Author,
    AuthorData,
    AuthorName,
    Email,
)
from library.domain.errors import NotFound
from library.domain.events import AuthorChanged, AuthorRemoved
from library.domain.ids import MAX_ID
from library.domain.validation import Fields

_NAME = described(
    f"1 to {NAME_MAX_LENGTH} characters after trimming surrounding white space",
    min_length=1,
    max_length=NAME_MAX_LENGTH,
)
_EMAIL = described(
    f"An address of the form local@domain.tld, at most {EMAIL_MAX_LENGTH} characters;"
    " empty means none",
    max_length=EMAIL_MAX_LENGTH,
)
_BOOK_IDS = described(
    "Ids of existing books; replaces the author's list", item=FieldDoc(minimum=1, maximum=MAX_ID)
)


@frozen
class AuthorInput:
    """A whole author as a client sends it (POST and PUT)."""

    name: str = field(metadata=_NAME)
    email: str | None = field(default=None, metadata=_EMAIL)
    book_ids: list[int] = field(factory=list, metadata=_BOOK_IDS)


@frozen
class AuthorChanges:
    """Some fields of an author (PATCH); `book_ids` when given replaces the list."""

    name: str | Unset = field(default=UNSET, metadata=_NAME)
    email: str | Unset | None = field(default=UNSET, metadata=_EMAIL)
    book_ids: list[int] | Unset = field(default=UNSET, metadata=_BOOK_IDS)


def author_view(author: Author) -> AuthorView:
    """An author as clients see it; the write side knows every field of this small view."""
    email = author.data.email
    return AuthorView(author.id, author.data.name.value, None if email is None else email.value)


async def _load(uow: UnitOfWork, author_id: int) -> Author:
    author = await uow.authors.get(author_id)
    if author is None:
        raise NotFound("author", author_id)
    return author


class AddAuthor:
    """Add an author, optionally linking existing books."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, command: AuthorInput) -> AuthorView:
        fields = Fields()
        data = AuthorData(
            name=fields.check("name", lambda: AuthorName(command.name)),
            email=fields.check("email", lambda: Email.parse(command.email)),
        )
        check_ids(fields, "book_ids", command.book_ids)
        fields.raise_if_any()
        async with self._uow() as uow:
            await require_existing("book", "book_ids", command.book_ids, uow.books.existing)
            author = await uow.authors.add(data, tuple(command.book_ids))
            uow.emit(AuthorChanged(author.id, frozenset(author.book_ids)))
            await uow.commit()
        return author_view(author)


class ReplaceAuthor:
    """Replace an author's name, email and books (PUT)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, author_id: int, command: AuthorInput) -> AuthorView:
        return await ReviseAuthor(self._uow)(
            author_id,
            AuthorChanges(name=command.name, email=command.email, book_ids=command.book_ids),
        )


class ReviseAuthor:
    """Change only the fields given (PATCH)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, author_id: int, changes: AuthorChanges) -> AuthorView:
        fields = Fields()
        name, email, book_ids = changes.name, changes.email, changes.book_ids
        new_name = fields.check("name", lambda: None if name is UNSET else AuthorName(name))
        new_email = fields.check("email", lambda: UNSET if email is UNSET else Email.parse(email))
        if book_ids is not UNSET:
            check_ids(fields, "book_ids", book_ids)
        fields.raise_if_any()
        async with self._uow() as uow:
            author = await _load(uow, author_id)
            before = set(author.book_ids)
            if book_ids is not UNSET:
                await require_existing("book", "book_ids", book_ids, uow.books.existing)
                author.replace_books(book_ids)
            author.revise(
                AuthorData(
                    name=new_name or author.data.name,
                    email=author.data.email if new_email is UNSET else new_email,
                )
            )
            await uow.authors.save(author)
            uow.emit(AuthorChanged(author.id, frozenset(before | set(author.book_ids))))
            await uow.commit()
        return author_view(author)


class RemoveAuthor:
    """Delete an author; their books stay, without them."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, author_id: int) -> None:
        async with self._uow() as uow:
            author = await _load(uow, author_id)
            await uow.authors.remove(author)
            uow.emit(AuthorRemoved(author.id, frozenset(author.book_ids)))
            await uow.commit()
