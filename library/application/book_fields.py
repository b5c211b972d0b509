"""A book's fields, written once: their wire names, how each is parsed, stored and shown.

POST, PUT, PATCH and imports parse a book's fields through `parsed`; storage adapters store
and load them by name through `stored` and `loaded`; read models show them under the same
names (`BookView` has one field per entry here). The wire name is also the name storage
keeps the value under (PostgreSQL's column). A new field of books is one entry here, its
value object in the domain and its field in `BookData` and `BookView` (and the commands
clients send it in): no adapter lists the fields again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from attrs import frozen

from library.domain.books import BookData, Description, Genre, Isbn, Language, Title, Year
from library.domain.validation import Fields


@frozen
class BookField:
    """One field: its wire name, `BookData` attribute, and how to build its value.

    `parse` reads what a client or a file sent (checking its JSON type, refusing bad values
    with InvalidValue; None or an empty text gives None for an optional field); `load`
    rebuilds a value storage kept (already valid).
    """

    name: str
    attribute: str
    parse: Callable[[Any], Any]
    load: Callable[[Any], Any]


def _optional(load: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda raw: None if raw is None else load(raw)


BOOK_FIELDS: tuple[BookField, ...] = (
    BookField("title", "title", Title, Title),
    BookField("year", "year", _optional(Year), _optional(Year)),
    BookField("book_isbn", "isbn", Isbn.parse, _optional(Isbn)),
    BookField("genre_name", "genre", Genre.parse, _optional(Genre)),
    BookField("description", "description", Description.parse, _optional(Description)),
    BookField("language", "language", Language.parse, _optional(Language)),
)
NAMES: tuple[str, ...] = tuple(field.name for field in BOOK_FIELDS)


def parsed(values: Mapping[str, Any], fields: Fields, *, given: bool = False) -> dict[str, Any]:
    """The `BookData` attributes of the fields in `values`, each fault recorded in `fields`.

    Every field is read (an absent one as None), unless `given`: then only those present.
    """
    found: dict[str, Any] = {}
    for field in BOOK_FIELDS:
        if not given or field.name in values:
            build = partial(field.parse, values.get(field.name))
            found[field.attribute] = fields.check(field.name, build)
    return found


def stored(data: BookData) -> dict[str, Any]:
    """Each field's plain value (None when it has none), by wire name: what storage keeps
    and what read models show."""
    values = {}
    for field in BOOK_FIELDS:
        value = getattr(data, field.attribute)
        values[field.name] = None if value is None else value.value
    return values


def loaded(values: Mapping[str, Any]) -> BookData:
    """The `BookData` of plain values storage kept, by wire name."""
    return BookData(**{field.attribute: field.load(values[field.name]) for field in BOOK_FIELDS})
