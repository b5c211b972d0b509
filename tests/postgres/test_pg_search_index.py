"""The search index of migration 0008: kept by triggers, built by `library search index`.

What the triggers and the command write is compared with the same tables computed afresh
from `books`: for each word of each title, the book's exact one-word ts_rank and its title's
trigram count; and per word, bounds at least as high as any book's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import psycopg
import pytest

from library.adapters.postgres import PostgresCatalogue, create_pool, migrations
from library.adapters.postgres.bounded_search import BY_RELEVANCE
from library.adapters.postgres.search_index import PostgresSearchIndex
from library.application.ports import BookFilter, SearchIndexProgress
from library.entrypoints.cli.main import main
from tests.postgres.pg_support import throwaway_database

# title_terms as it should be for the books there are now.
_EXPECTED_TERMS = """
SELECT t.lexeme, b.id, ts_rank(b.search_vector, library_term_query(t.lexeme)),
       coalesce(cardinality(show_trgm(b.title_key)), 0)
FROM books b, unnest(b.search_vector) AS t(lexeme, positions, weights)
WHERE 'A' = ANY(t.weights)
ORDER BY 1, 2
"""
_TERMS = "SELECT lexeme, book_id, rank, title_trigrams FROM title_terms ORDER BY 1, 2"
# Words whose recorded bounds fall short of a book that holds them.
_BROKEN_BOUNDS = """
SELECT t.lexeme FROM books b, unnest(b.search_vector) AS t(lexeme, positions, weights)
LEFT JOIN lexeme_bounds lb ON lb.lexeme = t.lexeme
WHERE lb.lexeme IS NULL
   OR lb.occurrences < cardinality(t.positions)
   OR (NOT 'A' = ANY(t.weights) AND (
        lb.untitled_weight < library_weight(t.weights)
        OR lb.untitled_occurrences < cardinality(t.positions)
        OR lb.untitled_rank < ts_rank(b.search_vector, library_term_query(t.lexeme))))
"""
TITLES = [
    "The Silent River",
    "River of rivers",
    "It's o'Brien\\s back: http://x.com/a'b",
    "Silent silent night",
    "A",
]


@pytest.fixture
def database() -> Iterator[str]:
    with throwaway_database("search_index") as url:
        migrations.apply(url)
        yield url


def _add_books(connection: psycopg.Connection[tuple[object, ...]], titles: list[str]) -> None:
    connection.cursor().executemany(
        "INSERT INTO books (title, description, genre_name) VALUES (%s, %s, %s)",
        [(title, f"{title.lower()} and the river", "Garden") for title in titles],
    )


def _assert_indexed(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    assert connection.execute(_TERMS).fetchall() == connection.execute(_EXPECTED_TERMS).fetchall()
    assert connection.execute(_BROKEN_BOUNDS).fetchall() == []


def test_the_triggers_keep_the_index_as_books_are_added_changed_and_removed(
    database: str,
) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        _add_books(connection, TITLES)
        _assert_indexed(connection)
        connection.execute("UPDATE books SET title = 'Winter Garden' WHERE title = 'A'")
        connection.execute("UPDATE books SET description = 'silent ' || description")
        connection.execute("UPDATE books SET year = 1999")  # the words stay: nothing to redo
        _assert_indexed(connection)
        connection.execute("DELETE FROM books WHERE title LIKE 'River%'")
        _assert_indexed(connection)
        assert connection.execute("SELECT ready FROM search_index").fetchone() == (True,)


def test_the_command_indexes_what_was_stored_before_the_index(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        # A catalogue stored before the index, as a large one the migration leaves.
        connection.execute("ALTER TABLE books DISABLE TRIGGER books_index_inserted")
        _add_books(connection, TITLES * 30)
        connection.execute("ALTER TABLE books ENABLE TRIGGER books_index_inserted")
        connection.execute("UPDATE search_index SET ready = false")
        _add_books(connection, ["Golden Harbor"])  # written after: by the trigger
    monkeypatch.setenv("LIBRARY_DATABASE_URL", database)
    assert main(["search", "index"]) == 0
    assert "indexed 151 books" in capsys.readouterr().out
    with psycopg.connect(database, autocommit=True) as connection:
        _assert_indexed(connection)
        assert connection.execute("SELECT ready FROM search_index").fetchone() == (True,)
    assert main(["search", "index"]) == 0
    assert "nothing to index" in capsys.readouterr().out


def test_the_index_builds_in_batches_reporting_each(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("ALTER TABLE books DISABLE TRIGGER books_index_inserted")
        _add_books(connection, TITLES * 5)
        connection.execute("ALTER TABLE books ENABLE TRIGGER books_index_inserted")
        connection.execute("UPDATE search_index SET ready = false")

    async def build() -> list[SearchIndexProgress]:
        pool = create_pool(database, min_size=1, max_size=1)
        await pool.open(wait=True)
        reports: list[SearchIndexProgress] = []
        try:
            index = PostgresSearchIndex(pool, batch=10)
            assert not await index.ready()
            assert await index.build(reports.append) == 25
            assert await index.ready()
        finally:
            await pool.close()
        return reports

    reports = asyncio.run(build())
    assert [r.indexed for r in reports] == [10, 20, 25]
    assert {r.total for r in reports} == {25}


def test_searches_before_the_index_is_built_score_every_match_and_say_so(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    with psycopg.connect(database, autocommit=True) as connection:
        _add_books(connection, TITLES)
        connection.execute("UPDATE search_index SET ready = false")

    async def search() -> list[int]:
        pool = create_pool(database, min_size=1, max_size=1)
        await pool.open(wait=True)
        try:
            catalogue = PostgresCatalogue(pool)
            query = BookFilter(q="river", sort=BY_RELEVANCE)
            for _ in range(2):
                hits = await catalogue.books(query, after=None, offset=0, limit=10)
            return [hit.book.id for hit in hits]
        finally:
            await pool.close()

    with caplog.at_level(logging.WARNING):
        found = asyncio.run(search())
    assert set(found) == {1, 2, 3, 4, 5}  # every description holds "river"
    said = [r.message for r in caplog.records if "library search index" in r.message]
    assert len(said) == 1  # once, not on every search


def test_the_command_says_an_in_memory_catalogue_needs_no_index(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("LIBRARY_DATABASE_URL", "DATABASE_URL", "POSTGRES_USER", "DB_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert main(["search", "index"]) == 0
    assert "needs no search index" in capsys.readouterr().out
