"""The bounded search answers exactly as scoring every match does.

`PostgresCatalogue(bounded=True)` is compared with `PostgresCatalogue(bounded=False)`, the
full plan that scores every match (the reference), on the same database: every page must
hold the same ids with the same relevance values in the same order, and a keyset walk must
visit the same pages. Two kinds of catalogue:

- one of 3,000 books whose titles and descriptions come from twelve words and whose authors
  share a few surnames, built once per run and then changed (titles rewritten, books
  removed and added) so that what the triggers keep up to date is what gets searched: its
  queries match thousands of books, with ranks and similarities tied by the hundred;
- small random ones, one per example, for the edges (few matches, empty pages, one book).

Queries take every form: one word, two words, a word with a stop word, only stop words,
misspelled surnames, and forms the bounded search leaves to the full plan (phrases, `or`,
`-word`). A last test checks that the bounded search does answer the plain forms itself,
so that the comparison is not between the full plan and itself.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from attrs import frozen
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from library.adapters.postgres import Pool, PostgresCatalogue, create_pool, migrations
from library.adapters.postgres import catalogue as postgres_catalogue
from library.adapters.postgres.bounded_search import Fallback, bounded_page
from library.application.ports import BookFilter, BookPosition, SortOrder
from library.application.read_models import BookHit, BookView
from tests.postgres.pg_support import EMPTY_CATALOGUE, throwaway_database

BY_RELEVANCE = (SortOrder("similarity", descending=True),)
WORDS = (
    "silent",
    "river",
    "garden",
    "night",
    "storm",
    "empire",
    "golden",
    "harbor",
    "winter",
    "letter",
    "shadow",
    "stone",
)
# Words mostly in descriptions: their best books may have them in no title at all.
UNTITLED = ("lantern", "compass", "falcon")
STOP = ("the", "of", "and", "a")
SURNAMES = ("Fernández", "Fernandes", "Hernández", "Kowalski", "Kowalska", "Zimmermann")
FIRST_NAMES = ("Ana", "Bruno", "Clara", "Dmitri", "Elena", "Felix", "Greta", "Hugo")
TYPOS = ("fernandes", "hernandes", "kowalsky", "zimmerman", "fernandz", "kowalskii")
LANGUAGES = (None, "en", "en", "fr")
MAX_PAGES = 8  # pages of a walk compared (the first ones, where the work is)

# --- catalogues --------------------------------------------------------------------------


@frozen
class Book:
    title: str
    description: str | None
    genre: str | None
    year: int | None
    language: str | None
    authors: tuple[int, ...]  # 1-based positions in the catalogue's author list


@frozen
class CatalogueSpec:
    authors: tuple[str, ...]
    books: tuple[Book, ...]


def _title(rng: random.Random, words: Sequence[str]) -> str:
    picked = [rng.choice(words).capitalize() for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.02:
        picked.append(rng.choice(UNTITLED).capitalize())
    if rng.random() < 0.05:  # a title naming a surname: the author similarity then counts
        picked.append(rng.choice(SURNAMES))
    if rng.random() < 0.3:
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(STOP))
    if rng.random() < 0.1:
        picked.append(picked[0].lower())  # a word twice in a title: a higher rank
    return " ".join(picked)


def _description(rng: random.Random, words: Sequence[str]) -> str | None:
    if rng.random() < 0.15:
        return None
    return " ".join(rng.choice((*words, *UNTITLED, *STOP)) for _ in range(rng.randint(1, 12)))


def large_catalogue(seed: int = 13) -> CatalogueSpec:
    rng = random.Random(seed)
    authors = tuple(
        f"{first} {last}" + (f" {n}" if n else "")
        for n in range(3)
        for first in FIRST_NAMES
        for last in SURNAMES
    )
    books = tuple(
        Book(
            title=_title(rng, WORDS),
            description=_description(rng, WORDS),
            genre=rng.choice((None, "Mystery", "Garden Fiction", "Night Stories")),
            year=rng.choice((None, *range(1990, 2000))),
            language=rng.choice(LANGUAGES),
            authors=tuple(rng.sample(range(1, len(authors) + 1), rng.randint(0, 3))),
        )
        for _ in range(3000)
    )
    return CatalogueSpec(authors, books)


@st.composite
def small_catalogues(draw: st.DrawFn) -> CatalogueSpec:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True))
    author_count = draw(st.integers(0, 6))
    authors = tuple(
        f"{draw(st.sampled_from(FIRST_NAMES))} {draw(st.sampled_from(SURNAMES))}"
        for _ in range(author_count)
    )
    rng = random.Random(draw(st.integers(0, 2**32)))
    count = draw(st.integers(0, 60))
    books = tuple(
        Book(
            title=_title(rng, words),
            description=_description(rng, words),
            genre=None,
            year=rng.choice((None, 1990, 1991)),
            language=rng.choice(LANGUAGES),
            authors=tuple(rng.sample(range(1, author_count + 1), min(author_count, 2))),
        )
        for _ in range(count)
    )
    return CatalogueSpec(authors, books)


def load(connection: psycopg.Connection[Any], spec: CatalogueSpec) -> None:
    """Replace the catalogue by `spec` (ids from 1, in order)."""
    connection.execute(EMPTY_CATALOGUE)
    with connection.cursor() as cursor:
        with cursor.copy("COPY authors (name) FROM STDIN") as copy:
            for name in spec.authors:
                copy.write_row((name,))
        with cursor.copy(
            "COPY books (title, description, genre_name, year, language) FROM STDIN"
        ) as copy:
            for book in spec.books:
                copy.write_row((book.title, book.description, book.genre, book.year, book.language))
        with cursor.copy("COPY book_authors (book_id, author_id) FROM STDIN") as copy:
            for book_id, book in enumerate(spec.books, start=1):
                for author_id in book.authors:
                    copy.write_row((book_id, author_id))


def churn(connection: psycopg.Connection[Any], seed: int = 7) -> None:
    """Rewrite some titles, remove some books, add some: the triggers' work to keep up."""
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        for book_id in rng.sample(range(1, 3001), 300):
            cursor.execute(
                "UPDATE books SET title = %s, description = %s WHERE id = %s",
                (_title(rng, WORDS), _description(rng, WORDS), book_id),
            )
        cursor.execute("DELETE FROM books WHERE id = ANY(%s)", (rng.sample(range(1, 3001), 200),))
        cursor.execute(
            "UPDATE books SET title = title || ' ' || %s WHERE id %% 17 = 0", (rng.choice(WORDS),)
        )
        cursor.executemany(
            "INSERT INTO books (title, description) VALUES (%s, %s)",
            [(_title(rng, WORDS), _description(rng, WORDS)) for _ in range(150)],
        )


# --- the comparison ----------------------------------------------------------------------


@frozen
class Search:
    q: str
    limit: int
    offset: int
    language: str | None
    walk: bool  # follow next cursors (from offset 0) rather than read one offset page


def queries() -> st.SearchStrategy[str]:
    word = st.sampled_from((*WORDS, *UNTITLED))
    inflected = st.sampled_from(("rivers", "gardens", "storms", "silently", "empires"))
    return st.one_of(
        word,
        inflected,
        st.builds(lambda a, b: f"{a} {b}", word, word),
        st.builds(lambda a, s: f"{s} {a}", word, st.sampled_from(STOP)),
        st.sampled_from(STOP),
        st.sampled_from(TYPOS),
        st.sampled_from(SURNAMES),
        st.builds(lambda a, t: f"{a} {t}", word, st.sampled_from(TYPOS)),
        st.builds(lambda a, b: f'"{a} {b}"', word, word),
        st.builds(lambda a, b: f"{a} or {b}", word, word),
        st.builds(lambda a, b: f"{a} -{b}", word, word),
        st.builds(lambda a, b, c: f"{a} {b} {c}", word, word, word),
        st.sampled_from(("Riv", "silent  RIVER", "émpire", "zzz", "ri")),
    )


def searches() -> st.SearchStrategy[Search]:
    return st.builds(
        Search,
        q=queries(),
        limit=st.sampled_from((1, 2, 5, 20, 21, 50)),
        offset=st.sampled_from((0, 0, 1, 7, 40, 300)),
        language=st.sampled_from((None, None, None, "fr")),
        walk=st.booleans(),
    )


def _page(hits: Sequence[BookHit[BookView]]) -> list[tuple[int, float | None]]:
    return [(hit.book.id, hit.relevance) for hit in hits]


async def _pages(catalogue: PostgresCatalogue, search: Search) -> list[list[Any]]:
    query = BookFilter(q=search.q, sort=BY_RELEVANCE, language=search.language)
    if not search.walk:
        hits = await catalogue.books(query, after=None, offset=search.offset, limit=search.limit)
        return [_page(hits)]
    pages, after = [], None
    for _ in range(MAX_PAGES):
        hits = await catalogue.books(query, after=after, offset=0, limit=search.limit)
        pages.append(_page(hits))
        if len(hits) < search.limit:
            break
        last = hits[-1]
        after = BookPosition(values=(last.relevance,), book_id=last.book.id)
    return pages


async def compare(pool: Pool, search: Search) -> None:
    expected = await _pages(PostgresCatalogue(pool, bounded=False), search)
    found = await _pages(PostgresCatalogue(pool, bounded=True), search)
    assert found == expected, search
    event("a walk of several pages" if len(expected) > 1 else "one page")
    if any(len(page) >= search.limit for page in expected):
        event("full pages")


# --- fixtures and tests ------------------------------------------------------------------


@frozen
class SearchDatabase:
    runner: asyncio.Runner
    pool: Pool
    url: str


@contextmanager
def search_database(name: str) -> Iterator[SearchDatabase]:
    """A database of its own (other tests empty theirs), migrated, on one event loop."""
    with throwaway_database(name) as url, asyncio.Runner() as runner:
        migrations.apply(url)
        pool = create_pool(url, min_size=1, max_size=2)
        runner.run(pool.open(wait=True))
        try:
            yield SearchDatabase(runner, pool, url)
        finally:
            runner.run(pool.close())


@pytest.fixture(scope="module")
def large() -> Iterator[SearchDatabase]:
    with search_database("search_large") as database:
        with psycopg.connect(database.url, autocommit=True) as connection:
            load(connection, large_catalogue())
            churn(connection)
            connection.execute("VACUUM ANALYZE")
        yield database


@pytest.fixture(scope="module")
def small() -> Iterator[SearchDatabase]:
    with search_database("search_small") as database:
        yield database


_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_SETTINGS
@given(searches())
def test_searching_thousands_of_tied_books_finds_what_scoring_them_all_finds(
    large: SearchDatabase, search: Search
) -> None:
    large.runner.run(compare(large.pool, search))


@settings(_SETTINGS, max_examples=25)
@given(small_catalogues(), st.lists(searches(), min_size=1, max_size=4))
def test_searching_small_random_catalogues_finds_what_scoring_them_all_finds(
    small: SearchDatabase, spec: CatalogueSpec, all_searches: list[Search]
) -> None:
    with psycopg.connect(small.url, autocommit=True) as connection:
        load(connection, spec)
    for search in all_searches:
        small.runner.run(compare(small.pool, search))


@pytest.mark.slow
@settings(_SETTINGS, max_examples=300)
@given(searches())
def test_many_more_searches_of_the_large_catalogue(large: SearchDatabase, search: Search) -> None:
    large.runner.run(compare(large.pool, search))


PLAIN = (
    "river",
    "silent river",
    "the garden",
    "storms",
    "fernandes",
    "kowalsky",
    "night",
    "lantern",
    "lantern compass",
    "Kowalski",
)


def test_the_bounded_search_answers_plain_queries_itself(
    large: SearchDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[str] = []

    async def spy(connection: Any, query: BookFilter, **page: Any) -> Any:
        rows = await bounded_page(connection, query, **page)
        if not isinstance(rows, Fallback):
            answered.append(query.q or "")
        return rows

    monkeypatch.setattr(postgres_catalogue, "bounded_page", spy)
    catalogue = PostgresCatalogue(large.pool, bounded=True)

    async def search_all() -> None:
        for q in PLAIN:
            query = BookFilter(q=q, sort=BY_RELEVANCE)
            await catalogue.books(query, after=None, offset=0, limit=21)

    large.runner.run(search_all())
    assert sorted(set(answered)) == sorted(PLAIN)
