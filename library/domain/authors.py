"""Authors: who wrote the books."""

from __future__ import annotations

import re

from attrs import define, field, frozen

from library.domain.errors import InvalidValue
from library.domain.ids import unique_ids
from library.domain.text import clean_text, required_text

# local@domain.tld: no white space, exactly one @, a dot inside the domain part.
_EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+")

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254


def _author_name(raw: str) -> str:
    return required_text(raw, max_length=NAME_MAX_LENGTH)


@frozen
class AuthorName:
    """1 to 200 characters after trimming."""

    value: str = field(converter=_author_name)


@frozen
class Email:
    """An address of the form local@domain.tld, at most 254 characters."""

    value: str

    def __attrs_post_init__(self) -> None:
        if len(self.value) > EMAIL_MAX_LENGTH:
            raise InvalidValue(f"must be at most {EMAIL_MAX_LENGTH} characters")
        if not _EMAIL.fullmatch(self.value):
            raise InvalidValue("must be an email address of the form local@domain.tld")

    @classmethod
    def parse(cls, raw: str | None) -> Email | None:
        """Trim `raw`; empty or None means no email."""
        if raw is None:
            return None
        text = clean_text(raw, max_length=EMAIL_MAX_LENGTH, required=False)
        return None if text is None else cls(text)


@frozen
class AuthorData:
    """What an author is, apart from identity and books."""

    name: AuthorName
    email: Email | None


@define
class Author:
    """An author and the ids of the books they wrote."""

    id: int
    data: AuthorData
    book_ids: tuple[int, ...] = ()

    def revise(self, data: AuthorData) -> None:
        self.data = data

    def replace_books(self, book_ids: tuple[int, ...] | list[int]) -> None:
        self.book_ids = unique_ids(book_ids)
