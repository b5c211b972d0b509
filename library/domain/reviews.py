"""Reviews: one reader's rating of one book."""

from __future__ import annotations

from attrs import define, field, frozen

from library.domain.errors import InvalidValue
from library.domain.text import clean_text, required_text


def reviewer_key(name: str) -> str:
    """The form in which reviewer names are compared (`Rita` and `rita` are one reviewer).

    PostgreSQL's unique index uses lower() too, so both stores agree.
    """
    return name.lower()


def _reviewer_name(raw: str) -> str:
    return required_text(raw, max_length=50)


@frozen
class ReviewerName:
    """1 to 50 characters after trimming."""

    value: str = field(converter=_reviewer_name)


@frozen
class Rating:
    """An integer from 1 to 5."""

    value: int

    def __attrs_post_init__(self) -> None:
        if type(self.value) is not int or not 1 <= self.value <= 5:
            raise InvalidValue("must be between 1 and 5")


@frozen
class Comment:
    """At most 5,000 characters after trimming."""

    value: str

    @classmethod
    def parse(cls, raw: str | None) -> Comment | None:
        text = None if raw is None else clean_text(raw, max_length=5_000, required=False)
        return None if text is None else cls(text)


@frozen
class ReviewData:
    reviewer: ReviewerName
    rating: Rating
    comment: Comment | None = None


@define
class Review:
    id: int
    book_id: int
    data: ReviewData

    def revise(self, rating: Rating, comment: Comment | None) -> None:
        self.data = ReviewData(self.data.reviewer, rating, comment)
