"""Reviews: one reader's rating of one book."""

from __future__ import annotations

from attrs import define, field, frozen

from library.domain.errors import InvalidValue
from library.domain.text import clean_text, required_text

REVIEWER_NAME_MAX_LENGTH = 50
RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX_LENGTH = 5_000


def reviewer_key(name: str) -> str:
    """The form in which reviewer names are compared (`Rita` and `rita` are one reviewer).

    PostgreSQL's unique index uses lower() too, so both stores agree.
    """
    return name.lower()


def _reviewer_name(raw: str) -> str:
    return required_text(raw, max_length=REVIEWER_NAME_MAX_LENGTH)


@frozen
class ReviewerName:
    """1 to 50 characters after trimming."""

    value: str = field(converter=_reviewer_name)


@frozen
class Rating:
    """An integer from 1 to 5."""

    value: int

    def __attrs_post_init__(self) -> None:
        if type(self.value) is not int or not RATING_MIN <= self.value <= RATING_MAX:
            raise InvalidValue(f"must be between {RATING_MIN} and {RATING_MAX}")


@frozen
class Comment:
    """At most 5,000 characters after trimming."""

    value: str

    @classmethod
    def parse(cls, raw: str | None) -> Comment | None:
        text = (
            None if raw is None else clean_text(raw, max_length=COMMENT_MAX_LENGTH, required=False)
        )
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
