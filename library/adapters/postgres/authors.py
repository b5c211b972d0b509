"""Authors in PostgreSQL (the write side)."""

from __future__ import annotations

from collections.abc import Collection

from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from library.domain.authors import Author, AuthorData, AuthorName, Email

_INSERT = """
WITH new AS (
    INSERT INTO authors (name, email) VALUES (%(name)s, %(email)s) RETURNING id
), linked AS (
    INSERT INTO book_authors (book_id, author_id)
    SELECT book_id, new.id FROM new, unnest(%(book_ids)s::bigint[]) AS book_id
    ON CONFLICT DO NOTHING
)
SELECT id FROM new
"""

# NO KEY UPDATE (not UPDATE) so that concurrent inserts of links to this author, which take
# KEY SHARE locks through the foreign key, neither wait for it nor deadlock with it.
_GET = """
SELECT a.id, a.name, a.email,
       ARRAY(SELECT ba.book_id FROM book_authors ba WHERE ba.author_id = a.id ORDER BY ba.book_id)
FROM authors a
WHERE a.id = %(id)s
FOR NO KEY UPDATE OF a
"""

_SAVE = """
WITH changed AS (
    UPDATE authors SET name = %(name)s, email = %(email)s WHERE id = %(id)s
), unlinked AS (
    DELETE FROM book_authors WHERE author_id = %(id)s AND book_id <> ALL(%(book_ids)s::bigint[])
)
INSERT INTO book_authors (book_id, author_id)
SELECT book_id, %(id)s FROM unnest(%(book_ids)s::bigint[]) AS book_id
ON CONFLICT DO NOTHING
"""

_DELETE = "DELETE FROM authors WHERE id = %(id)s"  # links go by ON DELETE CASCADE

_EXISTING = "SELECT id FROM authors WHERE id = ANY(%(ids)s::bigint[])"


def _params(data: AuthorData) -> dict[str, object]:
    return {"name": data.name.value, "email": None if data.email is None else data.email.value}


def _author(row: TupleRow) -> Author:
    author_id, name, email, book_ids = row
    return Author(
        id=author_id,
        data=AuthorData(AuthorName(name), None if email is None else Email(email)),
        book_ids=tuple(book_ids),
    )


class PostgresAuthors:
    """The AuthorRepository port over one transaction's connection."""

    def __init__(self, connection: AsyncConnection[TupleRow]) -> None:
        self._connection = connection

    async def add(self, data: AuthorData, book_ids: tuple[int, ...]) -> Author:
        author = Author(0, data)
        author.replace_books(book_ids)
        cursor = await self._connection.execute(
            _INSERT, {**_params(data), "book_ids": list(author.book_ids)}
        )
        row = await cursor.fetchone()
        assert row is not None  # INSERT ... RETURNING always returns the row
        author.id = row[0]
        return author

    async def get(self, author_id: int) -> Author | None:
        cursor = await self._connection.execute(_GET, {"id": author_id})
        row = await cursor.fetchone()
        if row is None:
            return None
        return _author(row)

    async def save(self, author: Author) -> None:
        await self._connection.execute(
            _SAVE, {**_params(author.data), "id": author.id, "book_ids": list(author.book_ids)}
        )

    async def remove(self, author: Author) -> None:
        await self._connection.execute(_DELETE, {"id": author.id})

    async def existing(self, author_ids: Collection[int]) -> set[int]:
        cursor = await self._connection.execute(_EXISTING, {"ids": list(author_ids)})
        return {row[0] for row in await cursor.fetchall()}
