"""Books in PostgreSQL (the write side)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from psycopg import AsyncConnection, sql
from psycopg.rows import TupleRow, dict_row

from library.adapters.postgres.book_columns import assignments, columns, placeholders
from library.application.book_fields import loaded, stored
from library.domain.books import Book, BookData
from library.domain.reviews import reviewer_key

_INSERT = sql.SQL("""
WITH new AS (
    INSERT INTO books ({columns}) VALUES ({values})
    RETURNING id
), linked AS (
    INSERT INTO book_authors (book_id, author_id)
    SELECT new.id, author_id FROM new, unnest(%(author_ids)s::bigint[]) AS author_id
    ON CONFLICT DO NOTHING
)
SELECT id FROM new
""").format(columns=columns(), values=placeholders())

# The row lock serialises writers of one book (author-list replacements, reviews by the same
# reviewer); NO KEY UPDATE leaves foreign-key KEY SHARE locks from link inserts unblocked.
_GET = sql.SQL("""
SELECT b.id, {columns},
       ARRAY(SELECT ba.author_id FROM book_authors ba WHERE ba.book_id = b.id
             ORDER BY ba.author_id) AS author_ids,
       ARRAY(SELECT r.reviewer_name FROM reviews r WHERE r.book_id = b.id) AS reviewers
FROM books b
WHERE b.id = %(id)s
FOR NO KEY UPDATE OF b
""").format(columns=columns("b"))

_SAVE = sql.SQL("""
WITH changed AS (
    UPDATE books SET {assignments} WHERE id = %(id)s
), unlinked AS (
    DELETE FROM book_authors
    WHERE book_id = %(id)s AND author_id <> ALL(%(author_ids)s::bigint[])
)
INSERT INTO book_authors (book_id, author_id)
SELECT %(id)s, author_id FROM unnest(%(author_ids)s::bigint[]) AS author_id
ON CONFLICT DO NOTHING
""").format(assignments=assignments())

_DELETE = "DELETE FROM books WHERE id = %(id)s"  # reviews and links go by ON DELETE CASCADE

_EXISTING = "SELECT id FROM books WHERE id = ANY(%(ids)s::bigint[])"


def _book(row: Mapping[str, Any]) -> Book:
    return Book(
        id=row["id"],
        data=loaded(row),
        author_ids=tuple(row["author_ids"]),
        reviewers=frozenset(reviewer_key(name) for name in row["reviewers"]),
    )


class PostgresBooks:
    """The BookRepository port over one transaction's connection."""

    def __init__(self, connection: AsyncConnection[TupleRow]) -> None:
        self._connection = connection

    async def add(self, data: BookData, author_ids: tuple[int, ...]) -> Book:
        book = Book(0, data)
        book.replace_authors(author_ids)
        cursor = await self._connection.execute(
            _INSERT, {**stored(data), "author_ids": list(book.author_ids)}
        )
        row = await cursor.fetchone()
        assert row is not None  # INSERT ... RETURNING always returns the row
        book.id = row[0]
        return book

    async def get(self, book_id: int) -> Book | None:
        cursor = self._connection.cursor(row_factory=dict_row)
        await cursor.execute(_GET, {"id": book_id})
        row = await cursor.fetchone()
        return None if row is None else _book(row)

    async def save(self, book: Book) -> None:
        await self._connection.execute(
            _SAVE, {**stored(book.data), "id": book.id, "author_ids": list(book.author_ids)}
        )

    async def remove(self, book: Book) -> None:
        await self._connection.execute(_DELETE, {"id": book.id})

    async def existing(self, book_ids: Collection[int]) -> set[int]:
        cursor = await self._connection.execute(_EXISTING, {"ids": list(book_ids)})
        return {row[0] for row in await cursor.fetchall()}
