"""Migrations on empty databases of their own: apply, roll back, re-apply; the migrate CLI."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from library.adapters.postgres import migrations
from library.application.errors import StorageUnavailable
from library.entrypoints.cli.main import main
from tests.postgres.pg_support import throwaway_database

# Every migration of the repository, in order (the first one creates the catalogue).
ALL = sorted(
    path.name.removesuffix(".sql")
    for path in migrations.MIGRATIONS.glob("*.sql")
    if not path.name.endswith(".rollback.sql")
)
CATALOGUE_TABLES = {"authors", "books", "book_authors", "reviews"}
SORT_INDEXES = {
    "books_title_asc_idx",
    "books_title_desc_idx",
    "books_year_asc_idx",
    "books_year_desc_idx",
    "book_authors_author_idx",
    "books_search_idx",
    "books_title_key_trgm_idx",
    "authors_name_key_trgm_idx",
    "reviews_book_reviewer_key",
}
DATABASE_VARIABLES = (
    "LIBRARY_DATABASE_URL",
    "DATABASE_URL",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "DB_HOST",
    "DB_PORT",
    "POSTGRES_DB",
)

# Everything the migration creates in the public schema, yoyo's own tables aside: tables
# and indexes with their definitions, constraints, columns and functions.
_SCHEMA = """
SELECT 'relation', c.relname, c.relkind::text || ' ' || coalesce(pg_get_indexdef(c.oid), '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relname NOT LIKE '%yoyo%'
UNION ALL
SELECT 'constraint', con.conname, pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname = 'public' AND con.conrelid::regclass::text NOT LIKE '%yoyo%'
UNION ALL
SELECT 'column', c.table_name || '.' || c.column_name,
       c.data_type || ' ' || c.is_nullable || ' ' || coalesce(c.generation_expression, '')
FROM information_schema.columns c
WHERE c.table_schema = 'public' AND c.table_name NOT LIKE '%yoyo%'
UNION ALL
SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.proname LIKE 'library%'
ORDER BY 1, 2, 3
"""


def schema(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as connection:
        return [tuple(row) for row in connection.execute(_SCHEMA).fetchall()]


def names(rows: list[tuple[str, str, str]], kind: str) -> set[str]:
    return {name for row_kind, name, _ in rows if row_kind == kind}


@pytest.fixture
def empty_database() -> Iterator[str]:
    with throwaway_database("migrations") as url:
        yield url


def test_migrations_apply_roll_back_and_apply_again_cleanly(empty_database: str) -> None:
    url = empty_database
    assert ALL[0] == "0001.catalogue"
    assert [(s.id, s.applied) for s in migrations.status(url)] == [(m, False) for m in ALL]
    assert names(schema(url), "relation") == set()

    assert migrations.apply(url) == ALL
    applied = schema(url)
    assert names(applied, "relation") >= CATALOGUE_TABLES | SORT_INDEXES
    assert "library_unaccent" in names(applied, "function")
    assert [(s.id, s.applied) for s in migrations.status(url)] == [(m, True) for m in ALL]
    assert migrations.apply(url) == []  # nothing pending: a no-op

    # One at a time, newest first, each leaving the schema of the one before.
    for undone in reversed(range(len(ALL))):
        assert migrations.rollback(url) == [ALL[undone]]
        assert [s.applied for s in migrations.status(url)] == [m < ALL[undone] for m in ALL]
    assert schema(url) == []  # nothing of the catalogue is left behind
    assert migrations.rollback(url) == []  # nothing applied: a no-op

    assert migrations.apply(url) == ALL
    assert schema(url) == applied  # the same schema as the first time
    assert migrations.rollback(url, count=len(ALL)) == list(reversed(ALL))
    assert schema(url) == []
    assert migrations.apply(url) == ALL


def test_the_migrated_schema_keeps_the_rules_of_the_api(empty_database: str) -> None:
    migrations.apply(empty_database)
    with psycopg.connect(empty_database, autocommit=True) as connection:
        author = connection.execute(
            "INSERT INTO authors (name) VALUES ('Frank Herbert') RETURNING id"
        ).fetchone()
        book = connection.execute(
            "INSERT INTO books (title, description) VALUES ('Dune', 'A désert planet') RETURNING id"
        ).fetchone()
        assert author is not None
        assert book is not None
        connection.execute(
            "INSERT INTO book_authors (book_id, author_id) VALUES (%s, %s)", (book[0], author[0])
        )
        connection.execute(
            "INSERT INTO reviews (book_id, reviewer_name, rating) VALUES (%s, 'Rita', 5)",
            (book[0],),
        )
        with pytest.raises(psycopg.errors.UniqueViolation):  # reviewers compared by case
            connection.execute(
                "INSERT INTO reviews (book_id, reviewer_name, rating) VALUES (%s, 'RITA', 4)",
                (book[0],),
            )
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute("INSERT INTO books (title, year) VALUES ('Late', 10000)")
        # The generated search vector holds the unaccented, stemmed words.
        found = connection.execute(
            "SELECT count(*) FROM books WHERE search_vector @@ to_tsquery('english', 'desert')"
        ).fetchone()
        assert found == (1,)
        connection.execute("DELETE FROM books WHERE id = %s", (book[0],))
        left = connection.execute(
            "SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM book_authors),"
            " (SELECT count(*) FROM authors)"
        ).fetchone()
        assert left == (0, 0, 1)  # reviews and links go with the book; the author stays


def test_two_migrators_starting_together_apply_each_migration_once(empty_database: str) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def migrate() -> None:
        start.wait()
        try:
            results.append(migrations.apply(empty_database))
        except BaseException as error:  # reported below, with the other thread's result
            errors.append(error)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == [[], ALL]
    with psycopg.connect(empty_database) as connection:
        assert connection.execute("SELECT count(*) FROM yoyo_lock").fetchone() == (0,)


def test_a_lock_left_by_a_crashed_migrator_is_reported_with_its_remedy(
    empty_database: str,
) -> None:
    migrations.apply(empty_database)
    with psycopg.connect(empty_database, autocommit=True) as connection:
        # What a migrator killed while holding yoyo's lock leaves behind: a row, not a session.
        connection.execute("INSERT INTO yoyo_lock (locked, ctime, pid) VALUES (1, now(), 4242)")
        with pytest.raises(StorageUnavailable, match="yoyo break-lock"):
            migrations.rollback(empty_database, lock_timeout=0.5)
        connection.execute("DELETE FROM yoyo_lock")  # what `yoyo break-lock` does
    assert migrations.rollback(empty_database, lock_timeout=0.5) == ALL[-1:]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No database variable of the machine's environment leaks into the CLI's settings."""
    for name in DATABASE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_migrate_list_apply_and_rollback_from_the_command_line(
    empty_database: str, environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("LIBRARY_DATABASE_URL", empty_database)

    def listed() -> list[str]:
        assert main(["migrate", "list"]) == 0
        return capsys.readouterr().out.splitlines()

    assert listed() == [f"[ ] {m}" for m in ALL]
    assert main(["migrate", "apply"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"applied {len(ALL)} migration(s)",
        *(f"  {m}" for m in ALL),
    ]
    assert listed() == [f"[x] {m}" for m in ALL]
    assert main(["migrate", "apply"]) == 0
    assert capsys.readouterr().out.splitlines() == ["applied 0 migration(s)"]

    assert main(["migrate", "rollback"]) == 0
    assert capsys.readouterr().out.splitlines() == ["rolled back 1 migration(s)", f"  {ALL[-1]}"]
    assert listed() == [f"[{' ' if m == ALL[-1] else 'x'}] {m}" for m in ALL]
    assert main(["migrate", "rollback", "--count", str(len(ALL))]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"rolled back {len(ALL) - 1} migration(s)",
        *(f"  {m}" for m in reversed(ALL[:-1])),
    ]
    assert listed() == [f"[ ] {m}" for m in ALL]
    assert names(schema(empty_database), "relation") == set()


def test_migrate_reads_the_original_services_variables(
    empty_database: str, environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    host_and_port = empty_database.split("@", 1)[1].split("/", 1)[0]
    host, port = host_and_port.rsplit(":", 1)
    environment.setenv("POSTGRES_USER", "postgres")
    environment.setenv("DB_HOST", host)
    environment.setenv("DB_PORT", port)
    environment.setenv("POSTGRES_DB", empty_database.rsplit("/", 1)[1])

    assert main(["migrate", "apply"]) == 0
    assert "0001.catalogue" in capsys.readouterr().out
    assert [s.applied for s in migrations.status(empty_database)] == [True for _ in ALL]


def test_migrate_without_a_database_says_what_to_set(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "list"]) == 2
    assert "LIBRARY_DATABASE_URL" in capsys.readouterr().err


def test_migrate_with_an_unreachable_database_fails_with_a_message(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 1 on the loopback: nothing listens there, the connection is refused at once.
    environment.setenv("LIBRARY_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/library")
    assert main(["migrate", "apply"]) == 1
    assert "cannot reach PostgreSQL" in capsys.readouterr().err
