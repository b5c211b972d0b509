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


# ISO 639-1: the two-letter codes of languages (184 of them, "sh" included).
LANGUAGE_CODES = frozenset(
    (
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "sh",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    )
)


@frozen
class Language:
    """The language a book is written in: an ISO 639-1 code, lower case (`en`, `fr`)."""

    value: str

    def __attrs_post_init__(self) -> None:
        if self.value not in LANGUAGE_CODES:
            raise InvalidValue("must be an ISO 639-1 language code such as en or fr")

    @classmethod
    def parse(cls, raw: str | None) -> Language | None:
        """Trim and lower-case `raw`; empty is None."""
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise InvalidValue("must be a string")
        text = raw.strip().lower()
        return cls(text) if text else None


@frozen
class BookData:
    """What a book is, apart from identity, authors and reviews."""

    title: Title
    year: Year | None = None
    isbn: Isbn | None = None
    genre: Genre | None = None
    description: Description | None = None
    language: Language | None = None


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
