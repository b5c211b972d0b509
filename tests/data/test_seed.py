"""`library seed generate` and bulk imports, on memory and on PostgreSQL."""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from psycopg_pool import AsyncConnectionPool

from library.adapters.memory import MemoryCatalogue, MemoryStore
from library.adapters.memory.importer import MemoryImporter
from library.adapters.postgres import PostgresCatalogue, create_pool
from library.adapters.postgres.importer import PostgresImporter
from library.application.catalogue_import import ImportCatalogue, ImportRefused
from library.application.events import EventBus
from library.application.ports import BookFilter, Catalogue, CatalogueImporter
from library.domain.events import CatalogueImported, DomainEvent
from library.entrypoints.cli.catalogue_generator import generate_catalogue
from library.entrypoints.cli.main import main
from tests.postgres.pg_support import EMPTY_CATALOGUE


def test_the_generator_is_deterministic_and_writes_the_original_format(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["seed", "generate", "--books", "300", "--seed", "7", "--out", str(first)]) == 0
    assert main(["seed", "generate", "--books", "300", "--seed", "7", "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    document = orjson.loads(first.read_bytes())
    assert set(document) == {"authors", "books"}
    assert len(document["authors"]) == 116
    assert all(set(a) == {"name", "email", "book_ids"} for a in document["authors"])
    books = document["books"]
    assert len(books) == 300
    keys = {"title", "year", "book_isbn", "genre_name", "description", "author_ids", "language"}
    assert all(set(b) == keys for b in books)
    assert all(1800 <= b["year"] <= 2025 for b in books)
    assert all(1 <= len(b["author_ids"]) <= 3 for b in books)
    assert all(1 <= i <= 116 for b in books for i in b["author_ids"])
    isbns = [b["book_isbn"] for b in books]
    assert len(set(isbns)) == len(isbns)
    assert all(re.fullmatch(r"[0-9]{13}", i) for i in isbns)
    assert any(not a["name"].isascii() for a in document["authors"])  # some accented names
    assert 10 <= len({b["genre_name"] for b in books}) <= 20


def test_titles_vary_as_a_real_catalogues_do() -> None:
    titles = [book["title"] for book in generate_catalogue(50_000)["books"]]
    assert len(set(titles)) >= 0.9 * len(titles)
    filler = {"the", "of", "a", "and", "for"}
    words = Counter(word for title in titles for word in set(title.lower().split()) - filler)
    assert len(words) >= 3000  # a vocabulary of thousands of words
    in_most = words.most_common(1)[0][1]
    assert 0.01 * len(titles) <= in_most <= 0.05 * len(titles)  # a few in many titles
    assert sorted(words.values())[len(words) // 2] <= 20  # most in few


def test_another_seed_gives_another_catalogue() -> None:
    assert generate_catalogue(50, seed=1) != generate_catalogue(50, seed=2)


@pytest.fixture(params=["memory", "postgres"])
async def storage(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[CatalogueImporter, Catalogue]]:
    if request.param == "memory":
        store = MemoryStore()
        yield MemoryImporter(store), MemoryCatalogue(store)
        return
    url: str = request.getfixturevalue("postgres_url")
    pool: AsyncConnectionPool[Any] = create_pool(url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        async with pool.connection() as connection:
            await connection.execute(EMPTY_CATALOGUE)
        yield PostgresImporter(pool), PostgresCatalogue(pool)
    finally:
        await pool.close()


async def _all_books(catalogue: Catalogue) -> list[tuple[str, tuple[str, ...]]]:
    hits = await catalogue.books(BookFilter(), after=None, offset=0, limit=10_000)
    return [(hit.book.title, tuple(a.name for a in hit.book.authors)) for hit in hits]


async def test_a_load_writes_books_with_their_authors_and_a_rerun_adds_nothing(
    storage: tuple[CatalogueImporter, Catalogue],
) -> None:
    importer, catalogue = storage
    published: list[DomainEvent] = []

    async def record(events: Any) -> None:
        published.extend(events)

    load = ImportCatalogue(importer, EventBus([record]))
    document = generate_catalogue(books=400, authors=12, seed=3)
    # Books without an ISBN are identified by title and authors.
    document["books"][0]["book_isbn"] = None
    document["books"][1]["book_isbn"] = None

    report = await load(document)
    assert report.books_added == 400
    books = await _all_books(catalogue)
    assert len(books) == 400
    first = document["books"][0]
    names = tuple(sorted(document["authors"][p - 1]["name"] for p in first["author_ids"]))
    assert (first["title"], tuple(sorted(books[0][1]))) == (first["title"], names)
    assert published == [CatalogueImported()]

    again = await load(copy.deepcopy(document))
    assert again.books_added == 0
    assert await _all_books(catalogue) == books


async def test_an_invalid_record_refuses_the_load_and_writes_nothing(
    storage: tuple[CatalogueImporter, Catalogue],
) -> None:
    importer, catalogue = storage
    document = generate_catalogue(books=20, authors=3, seed=4)
    document["books"][5]["year"] = 0
    document["books"][9]["title"] = "   "
    with pytest.raises(ImportRefused) as refused:
        await ImportCatalogue(importer, EventBus())(document)
    assert [e.position for e in refused.value.errors] == ["books[5]", "books[9]"]
    assert "year" in refused.value.errors[0].reason
    assert await _all_books(catalogue) == []


async def test_skip_invalid_loads_the_rest_and_reports_what_it_skipped(
    storage: tuple[CatalogueImporter, Catalogue],
) -> None:
    importer, catalogue = storage
    document = generate_catalogue(books=20, authors=3, seed=5)
    document["books"][2]["author_ids"] = [99]
    document["books"][3] = "not a book"
    report = await ImportCatalogue(importer, EventBus())(document, skip_invalid=True)
    assert [e.position for e in report.skipped] == ["books[2]", "books[3]"]
    assert report.books_added == 18
    assert len(await _all_books(catalogue)) == 18


async def test_a_bad_author_refuses_even_with_skip_invalid(
    storage: tuple[CatalogueImporter, Catalogue],
) -> None:
    importer, catalogue = storage
    document = generate_catalogue(books=5, authors=3, seed=6)
    document["authors"][1]["email"] = "not-an-email"
    with pytest.raises(ImportRefused) as refused:
        await ImportCatalogue(importer, EventBus())(document, skip_invalid=True)
    assert refused.value.errors[0].position == "authors[1]"
    assert await _all_books(catalogue) == []


def test_the_cli_loads_a_generated_file_into_postgres(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    path = tmp_path / "data_feeding.txt"
    assert main(["seed", "generate", "--books", "50", "--authors", "5", "--out", str(path)]) == 0
    monkeypatch.setenv("LIBRARY_DATABASE_URL", postgres_url)
    assert main(["seed", "load", str(path)]) == 0
    assert main(["seed", "load", str(path)]) == 0
    out = capsys.readouterr().out
    assert "50 new of 50 books" in out
    assert "0 new of 50 books" in out


def test_the_cli_refuses_a_load_without_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LIBRARY_DATABASE_URL", "DATABASE_URL", "POSTGRES_DB", "DB_HOST"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "x.json"
    path.write_text('{"authors": [], "books": []}')
    assert main(["seed", "load", str(path)]) == 2
