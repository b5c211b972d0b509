"""The read side in PostgreSQL: each page or detail in one statement, one round trip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from psycopg import sql
from psycopg.rows import TupleRow

from library.adapters.postgres.book_list import BOOK_COLUMNS, book_list
from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Connection, Pool, on_live_connection
from library.application.ports import AuthorFilter, BookFilter, BookPosition
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
)

# What connection.execute takes (psycopg's Query also admits t-strings, which it does not).
Statement: TypeAlias = str | sql.SQL | sql.Composed

_BOOK_DETAIL = sql.SQL("""
SELECT {columns},
       coalesce((
           SELECT json_agg(json_build_array(r.id, r.reviewer_name, r.rating, r.comment)
                           ORDER BY r.id)
           FROM reviews r WHERE r.book_id = b.id
       ), '[]'::json)
FROM books b
WHERE b.id = %(id)s
""").format(columns=BOOK_COLUMNS)

_BOOK_REVIEWS = """
SELECT coalesce((
    SELECT json_agg(json_build_array(r.id, r.reviewer_name, r.rating, r.comment) ORDER BY r.id)
    FROM reviews r WHERE r.book_id = b.id
), '[]'::json)
FROM books b
WHERE b.id = %(id)s
"""

_REVIEW = "SELECT id, reviewer_name, rating, comment FROM reviews WHERE id = %(id)s"

_AUTHOR = "SELECT id, name, email FROM authors WHERE id = %(id)s"

_AUTHOR_BOOKS = """
SELECT coalesce((
    SELECT json_agg(json_build_array(b.id, b.title, b.year) ORDER BY b.id)
    FROM book_authors ba JOIN books b ON b.id = ba.book_id
    WHERE ba.author_id = a.id
), '[]'::json)
FROM authors a
WHERE a.id = %(id)s
"""

_MOST_REVIEWED = """
SELECT book_id FROM reviews GROUP BY book_id ORDER BY count(*) DESC, book_id LIMIT %(limit)s
"""

_AUTHOR_FILTERS = {
    "name": sql.SQL("lower(a.name) = lower(%(name)s)"),
    "email": sql.SQL("lower(a.email) = lower(%(email)s)"),
    "q": sql.SQL(
        "(a.name_key %% library_unaccent(lower(%(q)s))"
        " OR a.email_key %% library_unaccent(lower(%(q)s)))"
    ),
}

_AUTHOR_RELEVANCE = sql.SQL(
    "0.7::float8 * similarity(a.name_key, library_unaccent(lower(%(q)s)))"
    " + 0.3::float8 * coalesce(similarity(a.email_key, library_unaccent(lower(%(q)s))), 0) DESC, "
)


def _author(row: Sequence[Any]) -> AuthorView:
    author_id, name, email = row
    return AuthorView(author_id, name, email)


def _review(row: Sequence[Any]) -> ReviewView:
    review_id, reviewer, rating, comment = row
    return ReviewView(review_id, reviewer, rating, comment)


def _book(row: TupleRow) -> BookView:
    book_id, title, year, isbn, genre, description, authors = row[:7]
    return BookView(
        book_id, title, year, isbn, genre, description, tuple(_author(a) for a in authors)
    )


def _detail(row: TupleRow) -> BookDetail:
    book = _book(row)
    reviews = tuple(_review(r) for r in row[7])
    ratings = [review.rating for review in reviews]
    return BookDetail(
        id=book.id,
        title=book.title,
        year=book.year,
        book_isbn=book.book_isbn,
        genre_name=book.genre_name,
        description=book.description,
        authors=book.authors,
        reviews=reviews,
        review_count=len(reviews),
        rating_avg=sum(ratings) / len(ratings) if ratings else None,
    )


class PostgresCatalogue:
    """The Catalogue port over the pool; reads run in autocommit, no transaction round trips."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def _one(self, query: Statement, params: dict[str, object]) -> TupleRow | None:
        async def fetch(connection: Connection) -> TupleRow | None:
            cursor = await connection.execute(query, params)
            return await cursor.fetchone()

        async with translated():
            return await on_live_connection(self._pool, fetch)

    async def _all(self, query: Statement, params: dict[str, object]) -> list[TupleRow]:
        async def fetch(connection: Connection) -> list[TupleRow]:
            cursor = await connection.execute(query, params)
            return await cursor.fetchall()

        async with translated():
            return await on_live_connection(self._pool, fetch)

    async def book(self, book_id: int) -> BookDetail | None:
        row = await self._one(_BOOK_DETAIL, {"id": book_id})
        return None if row is None else _detail(row)

    async def book_reviews(self, book_id: int) -> Sequence[ReviewView] | None:
        row = await self._one(_BOOK_REVIEWS, {"id": book_id})
        return None if row is None else [_review(r) for r in row[0]]

    async def review(self, review_id: int) -> ReviewView | None:
        row = await self._one(_REVIEW, {"id": review_id})
        return None if row is None else _review(row)

    async def author(self, author_id: int) -> AuthorView | None:
        row = await self._one(_AUTHOR, {"id": author_id})
        return None if row is None else _author(row)

    async def author_books(self, author_id: int) -> Sequence[BookSummary] | None:
        row = await self._one(_AUTHOR_BOOKS, {"id": author_id})
        if row is None:
            return None
        return [BookSummary(book_id, title, year) for book_id, title, year in row[0]]

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        rows = await self._all(_MOST_REVIEWED, {"limit": limit})
        return [row[0] for row in rows]

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit]:
        statement = book_list(query, after=after, offset=offset, limit=limit)
        rows = await self._all(statement.query, statement.params)
        return [BookHit.of(_book(row), row[7]) for row in rows]

    async def authors(self, query: AuthorFilter) -> Sequence[AuthorView]:
        params: dict[str, object] = {"limit": query.limit, "offset": query.offset}
        conditions: list[sql.Composable] = []
        for name, fragment in _AUTHOR_FILTERS.items():
            value = getattr(query, name)
            if value is not None:
                params[name] = value
                conditions.append(fragment)
        statement = sql.SQL(
            "SELECT a.id, a.name, a.email FROM authors a WHERE {where}"
            " ORDER BY {relevance}a.id LIMIT %(limit)s OFFSET %(offset)s"
        ).format(
            where=sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("TRUE"),
            relevance=_AUTHOR_RELEVANCE if query.q is not None else sql.SQL(""),
        )
        return [_author(row) for row in await self._all(statement, params)]
