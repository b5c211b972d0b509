"""Reviews in PostgreSQL (the write side)."""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg import errors as pg
from psycopg.rows import TupleRow

from library.domain.errors import DuplicateReview
from library.domain.reviews import Comment, Rating, Review, ReviewData, ReviewerName

_INSERT = """
INSERT INTO reviews (book_id, reviewer_name, rating, comment)
VALUES (%(book_id)s, %(reviewer)s, %(rating)s, %(comment)s)
RETURNING id
"""

_GET = """
SELECT id, book_id, reviewer_name, rating, comment FROM reviews WHERE id = %(id)s
FOR NO KEY UPDATE
"""

_SAVE = "UPDATE reviews SET rating = %(rating)s, comment = %(comment)s WHERE id = %(id)s"

_DELETE = "DELETE FROM reviews WHERE id = %(id)s"

_UNIQUE_REVIEWER = "reviews_book_reviewer_key"


def _review(row: TupleRow) -> Review:
    review_id, book_id, reviewer, rating, comment = row
    return Review(
        id=review_id,
        book_id=book_id,
        data=ReviewData(
            ReviewerName(reviewer), Rating(rating), None if comment is None else Comment(comment)
        ),
    )


def _comment(review: ReviewData) -> str | None:
    return None if review.comment is None else review.comment.value


class PostgresReviews:
    """The ReviewRepository port over one transaction's connection."""

    def __init__(self, connection: AsyncConnection[TupleRow]) -> None:
        self._connection = connection

    async def add(self, book_id: int, data: ReviewData) -> Review:
        params = {
            "book_id": book_id,
            "reviewer": data.reviewer.value,
            "rating": data.rating.value,
            "comment": _comment(data),
        }
        try:
            cursor = await self._connection.execute(_INSERT, params)
            row = await cursor.fetchone()  # in pipeline mode, the error arrives with the answer
        except pg.UniqueViolation as error:
            if error.diag.constraint_name != _UNIQUE_REVIEWER:
                raise
            raise DuplicateReview(book_id, data.reviewer.value) from error
        assert row is not None  # INSERT ... RETURNING always returns the row
        return Review(row[0], book_id, data)

    async def get(self, review_id: int) -> Review | None:
        cursor = await self._connection.execute(_GET, {"id": review_id})
        row = await cursor.fetchone()
        return None if row is None else _review(row)

    async def save(self, review: Review) -> None:
        await self._connection.execute(
            _SAVE,
            {"id": review.id, "rating": review.data.rating.value, "comment": _comment(review.data)},
        )

    async def remove(self, review: Review) -> None:
        await self._connection.execute(_DELETE, {"id": review.id})
