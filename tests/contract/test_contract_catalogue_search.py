"""Contract of search: which books and authors `q` finds, and in which order.

The cases are chosen to hold for PostgreSQL's english dictionary as well as for the memory
adapter's dictionary-free approximation: no stemming or stop word decides an outcome here.
"""

from __future__ import annotations

import pytest

from library.application.ports import AuthorFilter, BookFilter, BookPosition, SortOrder
from tests.contract.contract_backends import Backend

BY_RELEVANCE = (SortOrder("similarity", descending=True),)


@pytest.fixture
async def shelf(backend: Backend) -> dict[str, int]:
    """A small catalogue; book ids by title, author ids by name."""
    ids: dict[str, int] = {}
    for name, email in [
        ("Frank Herbert", "frank@arrakis.example"),
        ("Ursula K. Le Guin", "ursula@earthsea.example"),
        ("Gabriel García Márquez", None),
        ("Neil Gaiman", "neil@sandman.example"),
    ]:
        ids[name] = await backend.add_author(name, email)
    for title, year, genre, description, authors in [
        (
            "Dune",
            1965,
            "Science Fiction",
            "Politics and spice on the desert planet.",
            ["Frank Herbert"],
        ),
        (
            "Children of Dune",
            1976,
            "Science Fiction",
            "The twins inherit the empire.",
            ["Frank Herbert"],
        ),
        (
            "A Wizard of Earthsea",
            1968,
            "Fantasy",
            "A young mage hunts a shadow.",
            ["Ursula K. Le Guin"],
        ),
        (
            "Cien años de soledad",
            1967,
            "Magical Realism",
            "Macondo and its family.",
            ["Gabriel García Márquez"],
        ),
        ("American Gods", 2001, "Fantasy", "Old gods and new ones.", ["Neil Gaiman"]),
        ("Foundation", 1951, "Science Fiction", None, []),
        ("Untitled", None, None, None, []),
    ]:
        ids[title] = await backend.add_book(
            title,
            year=year,
            genre=genre,
            description=description,
            author_ids=[ids[name] for name in authors],
        )
    return ids


async def _search(
    backend: Backend, q: str, *, after: int | None = None, author_id: int | None = None
) -> list[int]:
    query = BookFilter(q=q, after=after, author_id=author_id, sort=BY_RELEVANCE)
    return await backend.book_ids(query)


class TestMatching:
    async def test_a_word_of_the_description_finds_the_book(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        assert await _search(backend, "spice") == [shelf["Dune"]]

    async def test_a_word_of_the_genre_finds_the_books(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        found = await _search(backend, "fantasy")
        assert sorted(found) == sorted([shelf["A Wizard of Earthsea"], shelf["American Gods"]])

    async def test_a_misspelt_title_is_found_by_similarity(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        assert await _search(backend, "Foundaton") == [shelf["Foundation"]]

    async def test_an_author_s_name_finds_their_books(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        found = await _search(backend, "Herbert")
        assert sorted(found) == sorted([shelf["Dune"], shelf["Children of Dune"]])

    async def test_accents_and_case_do_not_matter(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        assert await _search(backend, "GARCIA MARQUEZ") == [shelf["Cien años de soledad"]]
        assert await _search(backend, "Anos soledad") == [shelf["Cien años de soledad"]]

    async def test_text_that_matches_nothing_finds_nothing(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        assert await _search(backend, "xylophone quartz") == []
        assert await _search(backend, "!!! ???") == []

    async def test_search_combines_with_the_other_filters(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        assert await _search(backend, "dune", after=1970) == [shelf["Children of Dune"]]
        herbert = shelf["Frank Herbert"]
        assert await _search(backend, "fantasy", author_id=herbert) == []


class TestRelevance:
    async def test_hits_carry_a_relevance_in_descending_order(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        hits = await backend.list_books(BookFilter(q="dune", sort=BY_RELEVANCE))
        assert [hit.book.id for hit in hits] == [shelf["Dune"], shelf["Children of Dune"]]
        relevances = [hit.relevance for hit in hits]
        assert all(isinstance(value, float) and 0 < value <= 1 for value in relevances)
        assert relevances == sorted(relevances, reverse=True)  # type: ignore[type-var]

    async def test_an_exact_title_outranks_an_author_match(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        biography = await backend.add_book("Frank Herbert: A Life")
        found = await _search(backend, "frank herbert")
        assert found[0] == biography  # title words and title similarity beat the author's
        assert sorted(found[1:]) == sorted([shelf["Dune"], shelf["Children of Dune"]])

    async def test_similarity_ascending_reverses_the_order(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        query = BookFilter(q="dune", sort=(SortOrder("similarity", descending=False),))
        assert await backend.book_ids(query) == [shelf["Children of Dune"], shelf["Dune"]]

    async def test_search_may_sort_by_other_fields(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        query = BookFilter(q="fantasy", sort=(SortOrder("year", descending=True),))
        hits = await backend.list_books(query)
        assert [hit.book.id for hit in hits] == [
            shelf["American Gods"],
            shelf["A Wizard of Earthsea"],
        ]
        assert all(hit.relevance is not None for hit in hits)

    async def test_keyset_pages_by_relevance(self, backend: Backend, shelf: dict[str, int]) -> None:
        for n in range(5):
            await backend.add_book(f"Dune {'x' * n}")
        query = BookFilter(q="dune", sort=BY_RELEVANCE)
        everything = await backend.book_ids(query)
        walked: list[int] = []
        position = None
        while True:
            page = await backend.list_books(query, after=position, limit=2)
            walked.extend(hit.book.id for hit in page)
            if len(page) < 2:
                break
            position = BookPosition((page[-1].relevance,), page[-1].book.id)
        assert walked == everything
        assert len(everything) == 7


class TestAuthors:
    async def test_without_q_authors_are_listed_by_id(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        names = [author.name for author in await backend.catalogue.authors(AuthorFilter())]
        assert names == [
            "Frank Herbert",
            "Ursula K. Le Guin",
            "Gabriel García Márquez",
            "Neil Gaiman",
        ]

    async def test_offset_and_limit(self, backend: Backend, shelf: dict[str, int]) -> None:
        page = await backend.catalogue.authors(AuthorFilter(offset=1, limit=2))
        assert [author.id for author in page] == [
            shelf["Ursula K. Le Guin"],
            shelf["Gabriel García Márquez"],
        ]

    async def test_name_and_email_are_exact_and_case_insensitive(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        by_name = await backend.catalogue.authors(AuthorFilter(name="neil GAIMAN"))
        assert [author.id for author in by_name] == [shelf["Neil Gaiman"]]
        assert list(await backend.catalogue.authors(AuthorFilter(name="Neil"))) == []
        by_email = await backend.catalogue.authors(AuthorFilter(email="FRANK@arrakis.example"))
        assert [author.id for author in by_email] == [shelf["Frank Herbert"]]

    async def test_q_finds_similar_names_accent_insensitively(
        self, backend: Backend, shelf: dict[str, int]
    ) -> None:
        found = await backend.catalogue.authors(AuthorFilter(q="garcia marquez"))
        assert [author.id for author in found] == [shelf["Gabriel García Márquez"]]
        found = await backend.catalogue.authors(AuthorFilter(q="Gaiman"))
        assert [author.id for author in found] == [shelf["Neil Gaiman"]]

    async def test_q_finds_similar_emails(self, backend: Backend, shelf: dict[str, int]) -> None:
        found = await backend.catalogue.authors(AuthorFilter(q="sandman"))
        assert [author.id for author in found] == [shelf["Neil Gaiman"]]

    async def test_q_orders_by_weighted_name_and_email_similarity(self, backend: Backend) -> None:
        by_email = await backend.add_author("Someone Else", "neil@neil.example")
        by_name = await backend.add_author("Neil")
        both = await backend.add_author("Neil", "neil@neil.example")
        tie = await backend.add_author("NEIL")
        found = await backend.catalogue.authors(AuthorFilter(q="neil"))
        assert [author.id for author in found] == [both, by_name, tie, by_email]
