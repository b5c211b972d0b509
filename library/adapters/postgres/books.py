"""Books in PostgreSQL (the write side)."""

from __future__ import annotations

from collections.abc import Collection

from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from library.domain.books import Book, BookData, Description, Genre, Isbn, Title, Year
from library.domain.reviews import reviewer_key

_INSERT = """
WITH new AS (
    INSERT INTO books (title, year, book_isbn, genre_name, description)
    VALUES (%(title)s, %(year)s, %(isbn)s, %(genre)s, %(description)s)
    RETURNING id
), linked AS (
    INSERT INTO book_authors (book_id, author_id)
    SELECT new.id, author_id FROM new, unnest(%(author_ids)s::bigint[]) AS author_id
    ON CONFLICT DO NOTHING
)
SELECT id FROM new
"""

# The row lock serialises writers of one book (author-list replacements, reviews by the same
# reviewer); NO KEY UPDATE leaves foreign-key KEY SHARE locks from link inserts unblocked.
_GET = """
SELECT b.id, b.title, b.year, b.book_isbn, b.genre_name, b.description,
       ARRAY(SELECT ba.author_id FROM book_authors ba WHERE ba.book_id = b.id
             ORDER BY ba.author_id),
       ARRAY(SELECT r.reviewer_name FROM reviews r WHERE r.book_id = b.id)
FROM books b
WHERE b.id = %(id)s
FOR NO KEY UPDATE OF b
"""

_SAVE = """
WITH changed AS (
    UPDATE books
    SET title = %(title)s, year = %(year)s, book_isbn = %(isbn)s, genre_name = %(genre)s,
        description = %(description)s
    WHERE id = %(id)s
), unlinked AS (
    DELETE FROM book_authors
    WHERE book_id = %(id)s AND author_id <> ALL(%(author_ids)s::bigint[])
)
INSERT INTO book_authors (book_id, author_id)
SELECT %(id)s, author_id FROM unnest(%(author_ids)s::bigint[]) AS author_id
ON CONFLICT DO NOTHING
"""

_DELETE = "DELETE FROM books WHERE id = %(id)s"  # reviews and links go by ON DELETE CASCADE

_EXISTING = "SELECT id FROM books WHERE id = ANY(%(ids)s::bigint[])"


def _params(data: BookData) -> dict[str, object]:
    return {
        "title": data.title.value,
        "year": None if data.year is None else data.year.value,
        "isbn": None if data.isbn is None else data.isbn.value,
        "genre": None if data.genre is None else data.genre.value,
        "description": None if data.description is None else data.description.value,
    }


def _book(row: TupleRow) -> Book:
    book_id, title, year, isbn, genre, description, author_ids, reviewers = row
    return Book(
        id=book_id,
        data=BookData(
            title=Title(title),
            year=None if year is None else Year(year),
            isbn=None if isbn is None else Isbn(isbn),
            genre=None if genre is None else Genre(genre),
            description=None if description is None else Description(description),
        ),
        author_ids=tuple(author_ids),
        reviewers=frozenset(reviewer_key(name) for name in reviewers),
    )


class PostgresBooks:
    """The BookRepository port over one transaction's connection."""

    def __init__(self, connection: AsyncConnection[TupleRow]) -> None:
        self._connection = connection

    async def add(self, data: BookData, author_ids: tuple[int, ...]) -> Book:
        book = Book(0, data)
        book.replace_authors(author_ids)
        cursor = await self._connection.execute(
            _INSERT, {**_params(data), "author_ids": list(book.author_ids)}
        )
        row = await cursor.fetchone()
        assert row is not None  # INSERT ... RETURNING always returns the row
        book.id = row[0]
        return book

    async def get(self, book_id: int) -> Book | None:
        cursor = await self._connection.execute(_GET, {"id": book_id})
        row = await cursor.fetchone()
        return None if row is None else _book(row)

    async def save(self, book: Book) -> None:
        await self._connection.execute(
            _SAVE, {**_params(book.data), "id": book.id, "author_ids": list(book.author_ids)}
        )

    async def remove(self, book: Book) -> None:
        await self._connection.execute(_DELETE, {"id": book.id})

    async def existing(self, book_ids: Collection[int]) -> set[int]:
        cursor = await self._connection.execute(_EXISTING, {"ids": list(book_ids)})
        return {row[0] for row in await cursor.fetchall()}
