"""Bulk import of a catalogue file (the original service's `data_feeding.txt` format).

    {"authors": [{"name", "email", "book_ids": []}],
     "books": [{"title", "year", "book_isbn", "genre_name", "description",
                "author_ids": [1-based positions in "authors"]}]}

Every record is validated through the domain first; a bad record is reported with its
position and reason, and either skipped or the whole import refused before anything is
written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import Factory, define, frozen

from library.application.book_fields import parsed
from library.application.events import EventBus
from library.application.ports import CatalogueImporter, ImportedBook
from library.domain.authors import AuthorData, AuthorName, Email
from library.domain.books import BookData
from library.domain.errors import DomainError, InvalidValue
from library.domain.events import CatalogueImported
from library.domain.validation import Fields

BATCH_SIZE = 5_000


@frozen
class RecordError:
    """One record that cannot be imported: where it is and why."""

    position: str  # "authors[3]", "books[17]"
    reason: str


class ImportRefused(Exception):
    """Records are invalid and skipping them was not asked for; nothing was written."""

    def __init__(self, errors: Sequence[RecordError]) -> None:
        self.errors = tuple(errors)
        super().__init__(f"{len(self.errors)} invalid record(s); nothing was imported")


@define
class ImportReport:
    authors_in_file: int = 0
    books_in_file: int = 0
    books_added: int = 0
    skipped: list[RecordError] = Factory(list)


@frozen
class _ValidBook:
    position: int
    data: BookData
    author_positions: tuple[int, ...]


def _text(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidValue("must be a string")
    return value


def _author(record: object) -> AuthorData:
    if not isinstance(record, Mapping):
        raise InvalidValue("must be an object")
    fields = Fields()
    data = AuthorData(
        name=fields.check("name", lambda: AuthorName(record.get("name"))),  # type: ignore[arg-type]
        email=fields.check("email", lambda: Email.parse(_text(record, "email"))),
    )
    fields.raise_if_any()
    return data


def _book(record: object, author_count: int) -> tuple[BookData, tuple[int, ...]]:
    if not isinstance(record, Mapping):
        raise InvalidValue("must be an object")
    fields = Fields()
    data = BookData(**parsed(record, fields))
    positions = record.get("author_ids") or []
    if not isinstance(positions, list) or not all(
        type(p) is int and 1 <= p <= author_count for p in positions
    ):
        fields.add("author_ids", f"must be a list of author positions from 1 to {author_count}")
    fields.raise_if_any()
    return data, tuple(positions)


def _reason(error: DomainError) -> str:
    return error.message if isinstance(error, InvalidValue) else str(error)


class ImportCatalogue:
    """Validate a parsed catalogue file and write it through the bulk port, in batches."""

    def __init__(self, importer: CatalogueImporter, bus: EventBus) -> None:
        self._importer = importer
        self._bus = bus

    async def __call__(
        self,
        document: object,
        *,
        skip_invalid: bool = False,
        progress: Callable[[int, int], None] = lambda done, total: None,
    ) -> ImportReport:
        """Import `document` (the parsed JSON file).

        Raises:
            ImportRefused: some records are invalid and `skip_invalid` is False.
        """
        if not isinstance(document, Mapping):
            raise ImportRefused([RecordError("$", "the file must hold a JSON object")])
        raw_authors = document.get("authors") or []
        raw_books = document.get("books") or []
        if not isinstance(raw_authors, list) or not isinstance(raw_books, list):
            raise ImportRefused([RecordError("$", '"authors" and "books" must be lists')])

        errors: list[RecordError] = []
        authors: list[AuthorData] = []
        for index, record in enumerate(raw_authors):
            try:
                authors.append(_author(record))
            except DomainError as error:  # InvalidValue, or ValidationFailed listing each field
                errors.append(RecordError(f"authors[{index}]", _reason(error)))
        if errors and any(e.position.startswith("authors") for e in errors):
            # Books name authors by position: without every author, positions shift.
            raise ImportRefused(errors)

        books: list[_ValidBook] = []
        for index, record in enumerate(raw_books):
            try:
                data, positions = _book(record, len(authors))
            except DomainError as error:
                errors.append(RecordError(f"books[{index}]", _reason(error)))
                continue
            books.append(_ValidBook(index, data, positions))
        if errors and not skip_invalid:
            raise ImportRefused(errors)

        report = ImportReport(len(raw_authors), len(raw_books), skipped=errors)
        author_ids = await self._importer.import_authors(authors)
        for start in range(0, len(books), BATCH_SIZE):
            batch = [
                ImportedBook(book.data, tuple(author_ids[p - 1] for p in book.author_positions))
                for book in books[start : start + BATCH_SIZE]
            ]
            report.books_added += await self._importer.import_books(batch)
            progress(min(start + BATCH_SIZE, len(books)), len(books))
        if report.books_added:
            await self._importer.imported()
        await self._bus.publish([CatalogueImported()])
        return report
