"""Use cases that change books."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from library.application.book_fields import parsed
from library.application.changes import UNSET, Unset
from library.application.field_docs import FIELD_DOC, FieldDoc, described
from library.application.ports import Catalogue, UnitOfWork, UnitOfWorkFactory
from library.application.read_models import BookDetail
from library.application.references import check_ids, require_existing
from library.application.retries import retry_on_conflict
from library.domain.books import (
    DESCRIPTION_MAX_LENGTH,
    GENRE_MAX_LENGTH,
    ISBN_TEXT,
    TITLE_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    Book,
    BookData,
)
from library.domain.errors import NotFound
from library.domain.events import BookChanged, BookRemoved
from library.domain.ids import MAX_ID
from library.domain.validation import Fields

_TITLE = described(
    f"1 to {TITLE_MAX_LENGTH} characters after trimming surrounding white space",
    min_length=1,
    max_length=TITLE_MAX_LENGTH,
)
_YEAR = described(f"A year from {YEAR_MIN} to {YEAR_MAX}", minimum=YEAR_MIN, maximum=YEAR_MAX)
_ISBN = described(
    "An ISBN-10 or ISBN-13, hyphens and spaces allowed; stored without them, a final x"
    " upper-cased (the check digit is not enforced); empty means none",
    pattern=ISBN_TEXT,
)
_GENRE = described(
    f"At most {GENRE_MAX_LENGTH} characters; empty means none", max_length=GENRE_MAX_LENGTH
)
_DESCRIPTION = described(
    f"At most {DESCRIPTION_MAX_LENGTH:,} characters; empty means none",
    max_length=DESCRIPTION_MAX_LENGTH,
)
_LANGUAGE = described(
    "The language of the book: an ISO 639-1 code (en, fr, ...), any case; empty means none"
    " (extension)",
    pattern=r"^\s*([A-Za-z]{2})?\s*$",
)
AUTHOR_IDS = FieldDoc(
    description="Ids of existing authors (duplicates are ignored)",
    item=FieldDoc(minimum=1, maximum=MAX_ID),
)


@frozen
class BookInput:
    """A whole book as a client sends it (POST and PUT)."""

    title: str = field(metadata=_TITLE)
    year: int | None = field(default=None, metadata=_YEAR)
    book_isbn: str | None = field(default=None, metadata=_ISBN)
    genre_name: str | None = field(default=None, metadata=_GENRE)
    description: str | None = field(default=None, metadata=_DESCRIPTION)
    language: str | None = field(default=None, metadata=_LANGUAGE)
    author_ids: list[int] = field(factory=list, metadata={FIELD_DOC: AUTHOR_IDS})


@frozen
class BookChanges:
    """Some fields of a book (PATCH): absent fields keep their value, null clears them."""

    title: str | Unset = field(default=UNSET, metadata=_TITLE)
    year: int | Unset | None = field(default=UNSET, metadata=_YEAR)
    book_isbn: str | Unset | None = field(default=UNSET, metadata=_ISBN)
    genre_name: str | Unset | None = field(default=UNSET, metadata=_GENRE)
    description: str | Unset | None = field(default=UNSET, metadata=_DESCRIPTION)
    language: str | Unset | None = field(default=UNSET, metadata=_LANGUAGE)


def book_data(command: BookInput, fields: Fields) -> BookData:
    """Validate every field of `command`, recording each fault in `fields`."""
    data = BookData(**parsed(attrs.asdict(command, recurse=False), fields))
    check_ids(fields, "author_ids", command.author_ids)
    return data


def book_changes(changes: BookChanges, fields: Fields) -> dict[str, Any]:
    """The `BookData` attributes a PATCH gives, validated (faults recorded in `fields`)."""
    given = {k: v for k, v in attrs.asdict(changes, recurse=False).items() if v is not UNSET}
    return parsed(given, fields, given=True)


async def _load(uow: UnitOfWork, book_id: int) -> Book:
    book = await uow.books.get(book_id)
    if book is None:
        raise NotFound("book", book_id)
    return book


async def _detail(catalogue: Catalogue, book_id: int) -> BookDetail:
    detail = await catalogue.book(book_id)
    if detail is None:  # removed by a concurrent request right after our commit
        raise NotFound("book", book_id)
    return detail


class AddBook:
    """Add a book with its authors."""

    def __init__(self, uow: UnitOfWorkFactory, catalogue: Catalogue) -> None:
        self._uow = uow
        self._catalogue = catalogue

    @retry_on_conflict
    async def __call__(self, command: BookInput) -> BookDetail:
        fields = Fields()
        data = book_data(command, fields)
        fields.raise_if_any()
        async with self._uow() as uow:
            await require_existing("author", "author_ids", command.author_ids, uow.authors.existing)
            book = await uow.books.add(data, tuple(command.author_ids))
            uow.emit(BookChanged(book.id, frozenset(book.author_ids)))
            await uow.commit()
        return await _detail(self._catalogue, book.id)


class ReplaceBook:
    """Replace every field and the author list of a book (PUT)."""

    def __init__(self, uow: UnitOfWorkFactory, catalogue: Catalogue) -> None:
        self._uow = uow
        self._catalogue = catalogue

    @retry_on_conflict
    async def __call__(self, book_id: int, command: BookInput) -> BookDetail:
        fields = Fields()
        data = book_data(command, fields)
        fields.raise_if_any()
        async with self._uow() as uow:
            book = await _load(uow, book_id)
            await require_existing("author", "author_ids", command.author_ids, uow.authors.existing)
            before = set(book.author_ids)
            book.revise(data)
            book.replace_authors(command.author_ids)
            await uow.books.save(book)
            uow.emit(BookChanged(book.id, frozenset(before | set(book.author_ids))))
            await uow.commit()
        return await _detail(self._catalogue, book_id)


class ReviseBook:
    """Change only the fields given (PATCH)."""

    def __init__(self, uow: UnitOfWorkFactory, catalogue: Catalogue) -> None:
        self._uow = uow
        self._catalogue = catalogue

    @retry_on_conflict
    async def __call__(self, book_id: int, changes: BookChanges) -> BookDetail:
        fields = Fields()
        changed = book_changes(changes, fields)
        fields.raise_if_any()
        async with self._uow() as uow:
            book = await _load(uow, book_id)
            book.revise(attrs.evolve(book.data, **changed))
            await uow.books.save(book)
            uow.emit(BookChanged(book.id, frozenset(book.author_ids)))
            await uow.commit()
        return await _detail(self._catalogue, book_id)


class ReplaceBookAuthors:
    """Replace a book's authors (PUT /books/{id}/authors)."""

    def __init__(self, uow: UnitOfWorkFactory, catalogue: Catalogue) -> None:
        self._uow = uow
        self._catalogue = catalogue

    @retry_on_conflict
    async def __call__(self, book_id: int, author_ids: list[int]) -> BookDetail:
        fields = Fields()
        check_ids(fields, "author_ids", author_ids)
        fields.raise_if_any()
        async with self._uow() as uow:
            book = await _load(uow, book_id)
            await require_existing("author", "author_ids", author_ids, uow.authors.existing)
            before = set(book.author_ids)
            book.replace_authors(author_ids)
            await uow.books.save(book)
            uow.emit(BookChanged(book.id, frozenset(before | set(book.author_ids))))
            await uow.commit()
        return await _detail(self._catalogue, book_id)


class RemoveBook:
    """Delete a book with its reviews; its authors stay."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, book_id: int) -> None:
        async with self._uow() as uow:
            book = await _load(uow, book_id)
            await uow.books.remove(book)
            uow.emit(BookRemoved(book.id, frozenset(book.author_ids)))
            await uow.commit()
