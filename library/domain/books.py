"""Books: the aggregate that owns its author list and its reviewers' uniqueness."""

from __future__ import annotations

import re

from attrs import define, field, frozen

from library.domain.errors import DuplicateReview, InvalidValue
from library.domain.ids import unique_ids
from library.domain.reviews import ReviewData, reviewer_key
from library.domain.text import clean_text, required_text

_ISBN_10 = re.compile(r"[0-9]{9}[0-9X]")
_ISBN_13 = re.compile(r"[0-9]{13}")
# The text `Isbn.parse` accepts: once trimmed and without hyphens and spaces, 9 digits and a
# digit or X (either case), or 13 digits; or nothing (no ISBN). Valid in ECMA-262 too.
ISBN_TEXT = r"^\s*(?:[- ]*(?:[0-9][- ]*){9}[0-9Xx][- ]*|[- ]*(?:[0-9][- ]*){13})?\s*$"

TITLE_MAX_LENGTH = 500
YEAR_MIN, YEAR_MAX = 1, 9999
GENRE_MAX_LENGTH = 127
DESCRIPTION_MAX_LENGTH = 20_000


def _title(raw: str) -> str:
    return required_text(raw, max_length=TITLE_MAX_LENGTH)


@frozen
class Title:
    """1 to 500 characters after trimming."""

    value: str = field(converter=_title)


@frozen
class Year:
    """A year from 1 to 9999."""

    value: int

    def __attrs_post_init__(self) -> None:
        if type(self.value) is not int or not YEAR_MIN <= self.value <= YEAR_MAX:
            raise InvalidValue(f"must be an integer from {YEAR_MIN} to {YEAR_MAX}")


@frozen
class Isbn:
    """An ISBN-10 or ISBN-13 without separators; the check digit is not enforced.

    Existing catalogues carry placeholder ISBNs, so only the form is checked.
    """

    value: str

    def __attrs_post_init__(self) -> None:
        if not (_ISBN_10.fullmatch(self.value) or _ISBN_13.fullmatch(self.value)):
            raise InvalidValue(
                "must be an ISBN: 10 characters (9 digits and a digit or X) or 13 digits,"
                " hyphens and spaces allowed"
            )

    @classmethod
    def parse(cls, raw: str | None) -> Isbn | None:
        """Normalise `raw` (drop hyphens and spaces, upper-case a final x); empty is None."""
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise InvalidValue("must be a string")
        text = raw.strip()
        if not text:
            return None
        compact = text.replace("-", "").replace(" ", "")
        if compact.endswith("x"):
            compact = compact[:-1] + "X"
        return cls(compact)


@frozen
class Genre:
    """At most 127 characters after trimming."""

    value: str

    @classmethod
    def parse(cls, raw: str | None) -> Genre | None:
        text = None if raw is None else clean_text(raw, max_length=GENRE_MAX_LENGTH, required=False)
        return None if text is None else cls(text)


@frozen
class Description:
    """At most 20,000 characters after trimming."""

    value: str

    @classmethod
    def parse(cls, raw: str | None) -> Description | None:
        text = (
            None
            if raw is None
            else clean_text(raw, max_length=DESCRIPTION_MAX_LENGTH, required=False)
        )
        return None if text is None else cls(text)


@frozen
class BookData:
    """What a book is, apart from identity, authors and reviews."""

    title: Title
    year: Year | None = None
    isbn: Isbn | None = None
    genre: Genre | None = None
    description: Description | None = None


@define
class Book:
    """A book, the ids of its authors and the (lower-cased) names of its reviewers."""

    id: int
    data: BookData
    author_ids: tuple[int, ...] = ()
    reviewers: frozenset[str] = frozenset()

    def revise(self, data: BookData) -> None:
        self.data = data

    def replace_authors(self, author_ids: tuple[int, ...] | list[int]) -> None:
        self.author_ids = unique_ids(author_ids)

    def accept_review(self, review: ReviewData) -> None:
        """Admit a review, refusing a second one by the same reviewer.

        Raises:
            DuplicateReview: this reviewer (compared case-insensitively) already reviewed it.
        """
        key = reviewer_key(review.reviewer.value)
        if key in self.reviewers:
            raise DuplicateReview(self.id, review.reviewer.value)
        self.reviewers = self.reviewers | {key}
