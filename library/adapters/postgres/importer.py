"""Bulk imports into PostgreSQL: COPY into a temporary table, then set-based inserts."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql

from library.adapters.postgres.book_columns import columns
from library.adapters.postgres.errors import translated
from library.adapters.postgres.pool import Pool
from library.application.book_fields import NAMES, stored
from library.application.ports import ImportedBook
from library.domain.authors import AuthorData, Email
from library.domain.ids import unique_ids

# Imports are serialised among themselves, so that two running at once cannot both decide
# that the same record is new.
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('library-import'))"

_AUTHORS_TABLE = """
CREATE TEMPORARY TABLE import_authors (position integer, name text, email text)
ON COMMIT DROP
"""
_COPY_AUTHORS = "COPY import_authors (position, name, email) FROM STDIN"
_SAME_AUTHOR = sql.SQL("""
    lower(a.name) = lower(i.name) AND lower(coalesce(a.email, '')) = lower(coalesce(i.email, ''))
""")
_INSERT_AUTHORS = sql.SQL("""
INSERT INTO authors (name, email)
SELECT DISTINCT ON (lower(i.name), lower(coalesce(i.email, ''))) i.name, i.email
FROM import_authors i
WHERE NOT EXISTS (SELECT 1 FROM authors a WHERE {same_author})
ORDER BY lower(i.name), lower(coalesce(i.email, '')), i.position
""").format(same_author=_SAME_AUTHOR)
_AUTHOR_IDS = sql.SQL("""
SELECT (SELECT min(a.id) FROM authors a WHERE {same_author})
FROM import_authors i
ORDER BY i.position
""").format(same_author=_SAME_AUTHOR)

# The import table takes its book columns from `books` itself (LIKE ... ), so that it follows
# the columns migrations give books.
_BOOKS_TABLE = sql.SQL("""
CREATE TEMPORARY TABLE import_books ON COMMIT DROP AS
SELECT 0::integer AS position, ''::text AS identity, {columns},
       '{{}}'::bigint[] AS author_ids, NULL::bigint AS id
FROM books b WITH NO DATA
""").format(columns=columns("b"))
_COPY_BOOKS = sql.SQL(
    "COPY import_books (position, identity, {columns}, author_ids) FROM STDIN"
).format(columns=columns())
# A book is already there when its ISBN is, or (without an ISBN) its title and authors are.
_NEW_BOOK_IDS = """
UPDATE import_books i SET id = nextval(pg_get_serial_sequence('books', 'id'))
WHERE i.position IN (
    SELECT DISTINCT ON (identity) position FROM import_books ORDER BY identity, position
)
AND NOT EXISTS (
    SELECT 1 FROM books b WHERE i.book_isbn IS NOT NULL AND b.book_isbn = i.book_isbn
)
AND NOT EXISTS (
    SELECT 1 FROM books b
    WHERE i.book_isbn IS NULL AND b.book_isbn IS NULL
      AND lower(b.title) COLLATE "C" = lower(i.title) COLLATE "C"
      AND ARRAY(SELECT ba.author_id FROM book_authors ba WHERE ba.book_id = b.id
                ORDER BY ba.author_id) = i.author_ids
)
"""
_INSERT_BOOKS = sql.SQL("""
INSERT INTO books (id, {columns})
SELECT id, {columns} FROM import_books
WHERE id IS NOT NULL
""").format(columns=columns())
_INSERT_LINKS = """
INSERT INTO book_authors (book_id, author_id)
SELECT i.id, author_id FROM import_books i, unnest(i.author_ids) AS author_id
WHERE i.id IS NOT NULL
"""


def _identity(book: ImportedBook, author_ids: tuple[int, ...]) -> str:
    if book.data.isbn is not None:
        return f"i:{book.data.isbn.value}"
    return f"t:{book.data.title.value.lower()}\x1f{','.join(map(str, author_ids))}"


def _email(value: Email | None) -> str | None:
    return None if value is None else value.value


class PostgresImporter:
    """The CatalogueImporter port over PostgreSQL; each call is one transaction."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def import_authors(self, authors: Sequence[AuthorData]) -> list[int]:
        async with translated(), self._pool.connection() as connection, connection.transaction():
            await connection.execute(_LOCK)
            await connection.execute(_AUTHORS_TABLE)
            async with connection.cursor().copy(_COPY_AUTHORS) as copy:
                for position, data in enumerate(authors):
                    await copy.write_row((position, data.name.value, _email(data.email)))
            await connection.execute(_INSERT_AUTHORS)
            cursor = await connection.execute(_AUTHOR_IDS)
            return [row[0] for row in await cursor.fetchall()]

    async def import_books(self, books: Sequence[ImportedBook]) -> int:
        async with translated(), self._pool.connection() as connection, connection.transaction():
            await connection.execute(_LOCK)
            await connection.execute(_BOOKS_TABLE)
            async with connection.cursor().copy(_COPY_BOOKS) as copy:
                for position, book in enumerate(books):
                    author_ids = unique_ids(book.author_ids)
                    fields = stored(book.data)
                    await copy.write_row(
                        (
                            position,
                            _identity(book, author_ids),
                            *(fields[name] for name in NAMES),
                            list(author_ids),
                        )
                    )
            await connection.execute("ANALYZE import_books")
            added = (await connection.execute(_NEW_BOOK_IDS)).rowcount
            await connection.execute(_INSERT_BOOKS)
            await connection.execute(_INSERT_LINKS)
            return added

    async def imported(self) -> None:
        # Autovacuum would analyse the tables eventually; searches planned before that
        # assume the old row counts (a hash join over every book instead of index lookups).
        async with translated(), self._pool.connection() as connection:
            await connection.execute("ANALYZE books, authors, book_authors")
