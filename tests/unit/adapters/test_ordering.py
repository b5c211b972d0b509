"""The memory adapter's sort keys: one ascending key per book that encodes every sort rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from library.adapters.memory.ordering import SortKeys
from library.adapters.memory.postgres_search import lower
from library.application.ports import BookPosition, SortOrder

# Any code point but NUL, surrogates included: titles are compared by code point.
texts = st.text(st.characters(min_codepoint=1, max_codepoint=0x10FFFF, exclude_categories=()))
years = st.none() | st.integers(1, 9999)


@given(st.lists(texts, max_size=12))
def test_title_descending_is_code_point_order_reversed(titles: list[str]) -> None:
    keys = SortKeys((SortOrder("title", descending=True),))
    books = list(enumerate(titles))
    by_key = sorted(books, key=lambda book: keys.of(book[0], book[1], None, None))
    # Expected: lower-cased (as PostgreSQL does) titles, highest code points first; equal
    # titles by id.
    expected = sorted(books, key=lambda book: book[0])
    expected.sort(key=lambda book: lower(book[1]), reverse=True)
    assert [book[0] for book in by_key] == [book[0] for book in expected]


@given(st.lists(years, max_size=12), st.booleans())
def test_books_without_a_year_come_last_either_way(values: list[int | None], desc: bool) -> None:
    keys = SortKeys((SortOrder("year", descending=desc),))
    ordered = sorted(range(len(values)), key=lambda i: keys.of(i, "", values[i], None))
    dated = [values[i] for i in ordered if values[i] is not None]
    assert dated == sorted(dated, reverse=desc)  # type: ignore[type-var]
    assert all(values[i] is None for i in ordered[len(dated) :])


@given(texts, years, st.floats(0, 1), st.integers(1, 2**63 - 1), st.data())
def test_a_position_has_the_key_of_the_book_it_names(
    title: str, year: int | None, relevance: float, book_id: int, data: st.DataObject
) -> None:
    fields = data.draw(st.permutations(["title", "year", "similarity"]))
    sort = tuple(SortOrder(field, data.draw(st.booleans())) for field in fields)  # type: ignore[arg-type]
    keys = SortKeys(sort)
    values = tuple({"title": title, "year": year, "similarity": relevance}[f] for f in fields)
    assert keys.of_position(BookPosition(values, book_id)) == keys.of(
        book_id, title, year, relevance
    )


def test_a_title_sorts_after_longer_titles_it_begins_when_descending() -> None:
    keys = SortKeys((SortOrder("title", descending=True),))
    titles = ["ab", "abc", "b", "ab\U0001f600", "Ab c"]
    ordered = sorted(range(len(titles)), key=lambda i: keys.of(i, titles[i], None, None))
    assert [titles[i] for i in ordered] == ["b", "ab\U0001f600", "abc", "Ab c", "ab"]
