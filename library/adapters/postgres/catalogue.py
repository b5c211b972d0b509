"""The read side in PostgreSQL: each page or detail in one statement, one round trip.

Rows are read by column name (`dict_row`), and a book's authors and reviews arrive as JSON
arrays of objects, read by key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from psycopg import sql
from psycopg.rows import DictRow, dict_row

from library.adapters.postgres.book_columns import BOOK_COLUMNS
from library.adapters.postgres.book_list import book_list
from library.adapters.postgres.bounded_search import Fallback, bounded_page
from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Connection, Pool, on_live_connection
from library.application.book_fields import NAMES
from library.application.ports import AuthorFilter, BookFilter, BookPosition
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
    book_hit,
)
from library.application.relevance import AUTHOR_EMAIL, AUTHOR_NAME

log = logging.getLogger(__name__)

# What connection.execute takes (psycopg's Query also admits t-strings, which it does not).
Statement: TypeAlias = str | sql.SQL | sql.Composed

_REVIEWS = """coalesce((
    SELECT json_agg(json_build_object('id', r.id, 'reviewer_name', r.reviewer_name,
                                      'rating', r.rating, 'comment', r.comment) ORDER BY r.id)
    FROM reviews r WHERE r.book_id = b.id
), '[]'::json)"""

_BOOK_DETAIL = sql.SQL("""
SELECT {columns}, {reviews} AS reviews
FROM books b
WHERE b.id = %(id)s
""").format(columns=BOOK_COLUMNS, reviews=sql.SQL(_REVIEWS))

_BOOK_REVIEWS = sql.SQL("""
SELECT {reviews} AS reviews
FROM books b
WHERE b.id = %(id)s
""").format(reviews=sql.SQL(_REVIEWS))

_REVIEW = "SELECT id, reviewer_name, rating, comment FROM reviews WHERE id = %(id)s"

_AUTHOR = "SELECT id, name, email FROM authors WHERE id = %(id)s"

_AUTHOR_BOOKS = """
SELECT coalesce((
    SELECT json_agg(json_build_object('id', b.id, 'title', b.title, 'year', b.year)
                    ORDER BY b.id)
    FROM book_authors ba JOIN books b ON b.id = ba.book_id
    WHERE ba.author_id = a.id
), '[]'::json) AS books
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
    "{name}::float8 * similarity(a.name_key, library_unaccent(lower(%(q)s)))"
    " + {email}::float8 * coalesce(similarity(a.email_key, library_unaccent(lower(%(q)s))), 0)"
    " DESC, "
).format(name=sql.Literal(AUTHOR_NAME), email=sql.Literal(AUTHOR_EMAIL))


def _author(row: Mapping[str, Any]) -> AuthorView:
    return AuthorView(id=row["id"], name=row["name"], email=row["email"])


def _review(row: Mapping[str, Any]) -> ReviewView:
    return ReviewView(
        id=row["id"],
        reviewer_name=row["reviewer_name"],
        rating=row["rating"],
        comment=row["comment"],
    )


def _book(row: Mapping[str, Any]) -> BookView:
    fields = {name: row[name] for name in NAMES}
    return BookView(id=row["id"], **fields, authors=tuple(_author(a) for a in row["authors"]))


def _detail(row: Mapping[str, Any]) -> BookDetail:
    fields = {name: row[name] for name in NAMES}
    reviews = tuple(_review(r) for r in row["reviews"])
    ratings = [review.rating for review in reviews]
    return BookDetail(
        id=row["id"],
        **fields,
        authors=tuple(_author(a) for a in row["authors"]),
        reviews=reviews,
        review_count=len(reviews),
        rating_avg=sum(ratings) / len(ratings) if ratings else None,
    )


class PostgresCatalogue:
    """The Catalogue port over the pool; reads run in autocommit, no transaction round trips.

    Searches by relevance take the bounded plan when `bounded` (see bounded_search), which
    falls back to scoring every match where it cannot prove its page.
    """

    def __init__(self, pool: Pool, *, bounded: bool = True) -> None:
        self._pool = pool
        self._bounded = bounded
        self._said_not_indexed = False

    async def _one(self, query: Statement, params: dict[str, object]) -> DictRow | None:
        async def fetch(connection: Connection) -> DictRow | None:
            cursor = connection.cursor(row_factory=dict_row)
            await cursor.execute(query, params)
            return await cursor.fetchone()

        async with translated():
            return await on_live_connection(self._pool, fetch)

    async def _all(self, query: Statement, params: dict[str, object]) -> list[DictRow]:
        async def fetch(connection: Connection) -> list[DictRow]:
            cursor = connection.cursor(row_factory=dict_row)
            await cursor.execute(query, params)
            return await cursor.fetchall()

        async with translated():
            return await on_live_connection(self._pool, fetch)

    async def book(self, book_id: int) -> BookDetail | None:
        row = await self._one(_BOOK_DETAIL, {"id": book_id})
        return None if row is None else _detail(row)

    async def book_reviews(self, book_id: int) -> Sequence[ReviewView] | None:
        row = await self._one(_BOOK_REVIEWS, {"id": book_id})
        return None if row is None else [_review(r) for r in row["reviews"]]

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
        return [BookSummary(id=b["id"], title=b["title"], year=b["year"]) for b in row["books"]]

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        rows = await self._all(_MOST_REVIEWED, {"limit": limit})
        return [row["book_id"] for row in rows]

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[BookView]]:
        async def fetch(connection: Connection) -> list[DictRow]:
            if self._bounded:
                found = await bounded_page(
                    connection, query, after=after, offset=offset, limit=limit
                )
                if not isinstance(found, Fallback):
                    return found
                if found is Fallback.NOT_INDEXED and not self._said_not_indexed:
                    self._said_not_indexed = True
                    log.warning(
                        "the search index is not built: searches score every match until"
                        " `library search index` has run"
                    )
            statement = book_list(query, after=after, offset=offset, limit=limit)
            cursor = connection.cursor(row_factory=dict_row)
            await cursor.execute(statement.query, statement.params)
            return await cursor.fetchall()

        async with translated():
            rows = await on_live_connection(self._pool, fetch)
        return [book_hit(_book(row), row["relevance"]) for row in rows]

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
