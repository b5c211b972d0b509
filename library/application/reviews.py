"""Use cases that change reviews."""

from __future__ import annotations

from attrs import field, frozen

from library.application.changes import UNSET, Unset, given
from library.application.field_docs import described
from library.application.ports import UnitOfWork, UnitOfWorkFactory
from library.application.read_models import ReviewView
from library.application.retries import retry_on_conflict
from library.domain.errors import NotFound
from library.domain.events import ReviewChanged
from library.domain.reviews import (
    COMMENT_MAX_LENGTH,
    RATING_MAX,
    RATING_MIN,
    REVIEWER_NAME_MAX_LENGTH,
    Comment,
    Rating,
    Review,
    ReviewData,
    ReviewerName,
)
from library.domain.validation import Fields

_REVIEWER_NAME = described(
    f"1 to {REVIEWER_NAME_MAX_LENGTH} characters after trimming; one review per reviewer and"
    " book, names compared"
    " case-insensitively",
    min_length=1,
    max_length=REVIEWER_NAME_MAX_LENGTH,
)
_RATING = described(
    f"An integer from {RATING_MIN} to {RATING_MAX}", minimum=RATING_MIN, maximum=RATING_MAX
)
_COMMENT = described(
    f"At most {COMMENT_MAX_LENGTH:,} characters; empty means none", max_length=COMMENT_MAX_LENGTH
)


@frozen
class ReviewInput:
    reviewer_name: str = field(metadata=_REVIEWER_NAME)
    rating: int = field(metadata=_RATING)
    comment: str | None = field(default=None, metadata=_COMMENT)


@frozen
class ReviewChanges:
    """A review's rating and comment (PATCH); the reviewer cannot change."""

    rating: int | Unset = field(default=UNSET, metadata=_RATING)
    comment: str | Unset | None = field(default=UNSET, metadata=_COMMENT)


def review_view(review: Review) -> ReviewView:
    comment = review.data.comment
    return ReviewView(
        review.id,
        review.data.reviewer.value,
        review.data.rating.value,
        None if comment is None else comment.value,
    )


async def _load(uow: UnitOfWork, review_id: int) -> Review:
    review = await uow.reviews.get(review_id)
    if review is None:
        raise NotFound("review", review_id)
    return review


class AddReview:
    """Add a review to a book; one per reviewer, names compared case-insensitively."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, book_id: int, command: ReviewInput) -> ReviewView:
        fields = Fields()
        data = ReviewData(
            reviewer=fields.check("reviewer_name", lambda: ReviewerName(command.reviewer_name)),
            rating=fields.check("rating", lambda: Rating(command.rating)),
            comment=fields.check("comment", lambda: Comment.parse(command.comment)),
        )
        fields.raise_if_any()
        async with self._uow() as uow:
            book = await uow.books.get(book_id)
            if book is None:
                raise NotFound("book", book_id)
            book.accept_review(data)
            review = await uow.reviews.add(book_id, data)
            uow.emit(ReviewChanged(book_id, review.id))
            await uow.commit()
        return review_view(review)


class ReviseReview:
    """Change a review's rating and/or comment (PATCH)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, review_id: int, changes: ReviewChanges) -> ReviewView:
        fields = Fields()
        rating, comment = changes.rating, changes.comment
        new_rating: Rating | Unset = fields.check(
            "rating", lambda: UNSET if rating is UNSET else Rating(rating)
        )
        new_comment = fields.check(
            "comment", lambda: UNSET if comment is UNSET else Comment.parse(comment)
        )
        fields.raise_if_any()
        async with self._uow() as uow:
            review = await _load(uow, review_id)
            review.revise(
                given(review.data.rating, new_rating), given(review.data.comment, new_comment)
            )
            await uow.reviews.save(review)
            uow.emit(ReviewChanged(review.book_id, review.id))
            await uow.commit()
        return review_view(review)


class RemoveReview:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    @retry_on_conflict
    async def __call__(self, review_id: int) -> None:
        async with self._uow() as uow:
            review = await _load(uow, review_id)
            await uow.reviews.remove(review)
            uow.emit(ReviewChanged(review.book_id, review.id))
            await uow.commit()
