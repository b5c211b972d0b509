"""The memory adapters and the PostgreSQL adapters answer every book list alike.

Random small catalogues are built through the write ports of both, in the same order on
empty stores (PostgreSQL truncated with RESTART IDENTITY), so the ids line up; then random
queries (filters, sort lists, page sizes, offsets and keyset walks) must return the same
book ids in the same order from both.

Search is compared on real English words (tests/english_words.py): each catalogue draws a
few families of inflected forms (run, runs, running, ran; library, libraries) and some stop
words, so that the English stemmer and the stop words decide what matches; the memory
adapter's emulation of PostgreSQL's `english` configuration must match the same books.
The words are alphabetic: PostgreSQL's parser reads words holding digits or punctuation in
ways the emulation does not follow (see library/adapters/memory/postgres_search). Relevance
is not compared here: PostgreSQL computes `ts_rank` in single precision, so near-ties could
order differently; pages with `q` are sorted by title, year or id instead
(tests/postgres/test_pg_search_emulation.py compares `ts_rank` itself).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence

import pytest
from attrs import frozen
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.adapters.postgres import Pool, PostgresCatalogue, PostgresUnitOfWork, create_pool
from library.application.cursors import position_of
from library.application.events import EventBus
from library.application.ports import BookFilter, Catalogue, SortOrder, UnitOfWorkFactory
from library.domain.authors import AuthorData, AuthorName, Email
from library.domain.books import BookData, Description, Genre, Isbn, Title, Year
from tests.english_words import FAMILIES, STOP_WORDS
from tests.postgres.pg_support import EMPTY_CATALOGUE

MAX_PAGES = 60  # a walk longer than this is going round in circles

# --- catalogues --------------------------------------------------------------------------


@st.composite
def vocabularies(draw: st.DrawFn) -> tuple[str, ...]:
    """Two to six words of one to three families of related words, and up to three stop words."""
    families = draw(st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=3, unique=True))
    words = [word for family in families for word in family]
    chosen = draw(st.lists(st.sampled_from(words), min_size=2, max_size=6, unique=True))
    return (*chosen, *draw(st.lists(st.sampled_from(STOP_WORDS), max_size=3, unique=True)))


# Titles that put the title order to work: prefixes of each other, equal up to case,
# accented capitals (lower() of both stores must agree on them).
TIE_TITLES = ["ab", "Ab", "abc", "b", "ba", "cab", "Émile", "émile", "Zoë", "zoe"]
YEARS = [None, 1, 1990, 1991, 9999]
ISBNS = [None, "0306406152", "9780306406157"]


@frozen
class AuthorSpec:
    name: str
    email: str | None


@frozen
class BookSpec:
    title: str
    year: int | None
    isbn: str | None
    genre: str | None
    description: str | None
    author_ids: tuple[int, ...]


@frozen
class CatalogueSpec:
    vocabulary: tuple[str, ...]
    authors: tuple[AuthorSpec, ...]
    books: tuple[BookSpec, ...]
    removed: frozenset[int]  # book ids deleted after the adds (gaps in the ids)
    relinked: tuple[tuple[int, tuple[int, ...]], ...]  # (book id, new author ids)

    @property
    def titles(self) -> list[str]:
        return [book.title for book in self.books]


def phrases(vocabulary: Sequence[str], most: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(vocabulary), min_size=1, max_size=most).map(" ".join)


@st.composite
def catalogues(draw: st.DrawFn) -> CatalogueSpec:
    vocabulary = draw(vocabularies())
    words = phrases(vocabulary, 3)
    authors = tuple(
        AuthorSpec(draw(words).title(), draw(st.none() | st.just("someone@example.org")))
        for _ in range(draw(st.integers(0, 4)))
    )
    author_lists = st.lists(st.integers(1, len(authors)), max_size=3, unique=True).map(tuple)
    if not authors:
        author_lists = st.just(())
    titles = st.sampled_from(TIE_TITLES) | words | words.map(str.title)
    books = tuple(
        BookSpec(
            title=draw(titles),
            year=draw(st.sampled_from(YEARS)),
            isbn=draw(st.sampled_from(ISBNS)),
            genre=draw(st.none() | words),
            description=draw(st.none() | phrases(vocabulary, 6)),
            author_ids=draw(author_lists),
        )
        for _ in range(draw(st.integers(0, 12) | st.integers(6, 14)))
    )
    ids = st.integers(1, max(1, len(books)))
    removed = frozenset(draw(st.sets(ids, max_size=2))) if books else frozenset()
    relinked = tuple(draw(st.lists(st.tuples(ids, author_lists), max_size=2))) if books else ()
    return CatalogueSpec(vocabulary, authors, books, removed, relinked)


async def fill(uow: UnitOfWorkFactory, spec: CatalogueSpec) -> None:
    """Write the catalogue through the ports, one use-case-sized transaction per change."""
    for author in spec.authors:
        async with uow() as work:
            await work.authors.add(
                AuthorData(AuthorName(author.name), Email.parse(author.email)), ()
            )
            await work.commit()
    for book in spec.books:
        data = BookData(
            title=Title(book.title),
            year=None if book.year is None else Year(book.year),
            isbn=Isbn.parse(book.isbn),
            genre=Genre.parse(book.genre),
            description=Description.parse(book.description),
        )
        async with uow() as work:
            await work.books.add(data, book.author_ids)
            await work.commit()
    for book_id, author_ids in spec.relinked:
        async with uow() as work:
            found = await work.books.get(book_id)
            if found is not None:
                found.replace_authors(author_ids)
                await work.books.save(found)
            await work.commit()
    for book_id in sorted(spec.removed):
        async with uow() as work:
            found = await work.books.get(book_id)
            if found is not None:
                await work.books.remove(found)
            await work.commit()


# --- queries -----------------------------------------------------------------------------


@frozen
class ListQuery:
    query: BookFilter
    offset: int
    limits: tuple[int, ...]  # the page size of each page of the walk, the last one repeated


def typo(word: str, position: int) -> str:
    """`word` with one letter dropped: still trigram-similar, no longer the same word."""
    index = position % len(word)
    return word[:index] + word[index + 1 :]


@st.composite
def search_texts(draw: st.DrawFn, spec: CatalogueSpec) -> str:
    vocabulary = spec.vocabulary
    word = st.sampled_from(vocabulary)
    shapes = st.sampled_from(["word", "words", "typo", "phrase", "or", "not", "name", "title"])
    shape = draw(shapes)
    if shape == "word":
        return draw(word)
    if shape == "words":
        return f"{draw(word)} {draw(word)}"
    if shape == "typo":
        # Long enough to stay trigram-similar (and never empty) without its letter.
        long = [w for w in vocabulary if len(w) > 3]
        if long:
            return typo(draw(st.sampled_from(long)), draw(st.integers(0, 7)))
        return draw(word)
    if shape == "phrase":
        return f'"{draw(word)} {draw(word)}"'
    if shape == "or":
        return f"{draw(word)} or {draw(word)}"
    if shape == "not":
        return f"{draw(word)} -{draw(word)}"
    if shape == "name" and spec.authors:
        return draw(st.sampled_from([a.name for a in spec.authors]))
    return draw(st.sampled_from(spec.titles)) if spec.books else draw(word)


@st.composite
def list_queries(draw: st.DrawFn, spec: CatalogueSpec) -> ListQuery:
    """A search (`q`, seldom with another filter) or a list with a filter or two."""
    search = draw(st.booleans())
    odds = 6 if search else 4

    def maybe(strategy: st.SearchStrategy[object]) -> object:
        return draw(st.integers(0, odds - 1).flatmap(lambda n: strategy if n == 0 else st.none()))

    title = None
    if spec.books and draw(st.integers(0, odds)) == 0:
        chosen = draw(st.sampled_from(spec.titles))
        title = draw(st.sampled_from([chosen, chosen.upper(), chosen.lower()]))
    fields = draw(st.lists(st.sampled_from(["title", "year"]), max_size=2, unique=True))
    sort = tuple(SortOrder(field, draw(st.booleans())) for field in fields)  # type: ignore[arg-type]
    query = BookFilter(
        q=draw(search_texts(spec)) if search else None,
        title=title,
        isbn=maybe(st.sampled_from([i for i in ISBNS if i])),  # type: ignore[arg-type]
        author_id=maybe(st.integers(1, len(spec.authors) + 1)),  # type: ignore[arg-type]
        before=maybe(st.sampled_from([1, 1990, 1991, 9999])),  # type: ignore[arg-type]
        after=maybe(st.sampled_from([1, 1990, 1991, 9999])),  # type: ignore[arg-type]
        sort=sort,
    )
    offset = draw(st.sampled_from([0, 0, 0, 1, 2, 5]))
    limits = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    return ListQuery(query, offset, limits)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CatalogueSpec, list[ListQuery]]:
    spec = draw(catalogues())
    return spec, draw(st.lists(list_queries(spec), min_size=1, max_size=4))


# --- the two stores ----------------------------------------------------------------------


@frozen
class Postgres:
    runner: asyncio.Runner
    pool: Pool
    url: str


@pytest.fixture(scope="module")
def postgres(postgres_url: str) -> Iterator[Postgres]:
    """The PostgreSQL adapters' pool, on an event loop kept for every example."""
    with asyncio.Runner() as runner:
        pool = create_pool(postgres_url, min_size=1, max_size=2)
        runner.run(pool.open(wait=True))
        try:
            yield Postgres(runner, pool, postgres_url)
        finally:
            runner.run(pool.close())


async def walk(catalogue: Catalogue, plan: ListQuery) -> list[list[int]]:
    """The pages of a walk: the first at `offset`, each next one after the previous page."""
    pages: list[list[int]] = []
    after = None
    while len(pages) < MAX_PAGES:
        limit = plan.limits[min(len(pages), len(plan.limits) - 1)]
        offset = plan.offset if after is None else 0
        hits = await catalogue.books(plan.query, after=after, offset=offset, limit=limit)
        pages.append([hit.book.id for hit in hits])
        if len(hits) < limit:
            return pages
        after = position_of(hits[-1], plan.query.sort)
    raise AssertionError(f"the walk did not end after {MAX_PAGES} pages")


async def compare(postgres: Postgres, spec: CatalogueSpec, plans: list[ListQuery]) -> None:
    async with postgres.pool.connection() as connection:
        await connection.execute(EMPTY_CATALOGUE)
    bus = EventBus()
    store = MemoryStore()
    memory_catalogue = MemoryCatalogue(store)
    postgres_catalogue = PostgresCatalogue(postgres.pool)
    await fill(lambda: MemoryUnitOfWork(store, bus), spec)
    await fill(lambda: PostgresUnitOfWork(postgres.pool, bus), spec)
    for plan in plans:
        expected = await walk(memory_catalogue, plan)
        assert await walk(postgres_catalogue, plan) == expected, plan
        found = sum(len(page) for page in expected)
        event(f"{'search' if plan.query.q else 'list'}: {'some' if found else 'no'} books")
        if len(expected) > 2:
            event("a walk of three pages or more")


_QUICK = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_LONG = settings(_QUICK, max_examples=400)


@_QUICK
@given(scenarios())
def test_memory_and_postgres_list_the_same_books_in_the_same_order(
    postgres: Postgres, scenario: tuple[CatalogueSpec, list[ListQuery]]
) -> None:
    postgres.runner.run(compare(postgres, *scenario))


@pytest.mark.slow
@_LONG
@given(scenarios())
def test_memory_and_postgres_agree_on_many_more_catalogues(
    postgres: Postgres, scenario: tuple[CatalogueSpec, list[ListQuery]]
) -> None:
    postgres.runner.run(compare(postgres, *scenario))
