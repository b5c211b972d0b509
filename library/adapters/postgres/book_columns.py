"""The columns of a book, named once, from the application's list of book fields.

Each field of `book_fields.BOOK_FIELDS` is a column of `books` under its wire name; the
statements that write, read and import books are composed from that list (as identifiers,
never as text), so a new field of books is a migration here and nothing else.
"""

from __future__ import annotations

from psycopg import sql

from library.application.book_fields import NAMES


def columns(table: str | None = None) -> sql.Composable:
    """`title, year, ...`, each qualified by `table` when given."""
    if table is None:
        return sql.SQL(", ").join(sql.Identifier(name) for name in NAMES)
    return sql.SQL(", ").join(sql.Identifier(table, name) for name in NAMES)


def placeholders() -> sql.Composable:
    """`%(title)s, %(year)s, ...`: the fields as named parameters."""
    return sql.SQL(", ").join(sql.Placeholder(name) for name in NAMES)


def assignments() -> sql.Composable:
    """`title = %(title)s, year = %(year)s, ...`."""
    return sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder(name)) for name in NAMES
    )


# A book's authors as one JSON array of objects ordered by id (read by name, like rows).
AUTHORS = sql.SQL("""coalesce((
        SELECT json_agg(json_build_object('id', a.id, 'name', a.name, 'email', a.email)
                        ORDER BY a.id)
        FROM book_authors ba JOIN authors a ON a.id = ba.author_id
        WHERE ba.book_id = b.id
    ), '[]'::json)""")

# The columns of a book in lists: its id, its fields and its authors.
BOOK_COLUMNS = sql.SQL("b.id, {fields}, {authors} AS authors").format(
    fields=columns("b"), authors=AUTHORS
)
