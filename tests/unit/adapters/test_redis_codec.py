"""Cached values: every read model survives the round trip, and garbage is a ValueError."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.redis_cache.codec import decode, encode
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
)

ids = st.integers(1, 2**63 - 1)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
optional_texts = st.none() | texts
years = st.none() | st.integers(1, 9999)
floats = st.floats(allow_nan=False, allow_infinity=False)

authors = st.builds(AuthorView, ids, texts, optional_texts)
reviews = st.builds(ReviewView, ids, texts, st.integers(1, 5), optional_texts)
author_tuples = st.lists(authors, max_size=3).map(tuple)
book_views = st.builds(
    BookView, ids, texts, years, optional_texts, optional_texts, optional_texts, author_tuples
)
book_details = st.builds(
    BookDetail,
    ids,
    texts,
    years,
    optional_texts,
    optional_texts,
    optional_texts,
    author_tuples,
    st.lists(reviews, max_size=4).map(tuple),
    st.integers(0, 10**6),
    st.none() | floats,
)
summaries = st.builds(BookSummary, ids, texts, years)
hits = st.builds(BookHit, book_views, st.none() | floats)

# What CachedCatalogue stores for each kind of read, with the type it decodes it as.
MODELS: list[tuple[str, Any, st.SearchStrategy[Any]]] = [
    ("book", BookDetail, book_details),
    ("book_reviews", list[ReviewView], st.lists(reviews, max_size=5)),
    ("author", AuthorView, authors),
    ("author_books", list[BookSummary], st.lists(summaries, max_size=5)),
    ("book_list", list[BookHit], st.lists(hits, max_size=5)),
    ("author_list", list[AuthorView], st.lists(authors, max_size=5)),
]


@pytest.mark.parametrize(("kind", "model", "values"), MODELS, ids=[m[0] for m in MODELS])
def test_every_read_model_round_trips(
    kind: str, model: Any, values: st.SearchStrategy[Any]
) -> None:
    @given(values)
    def round_trip(value: Any) -> None:
        data = encode(value)
        assert isinstance(data, bytes)
        assert decode(data, model) == value

    round_trip()


def test_a_detail_encodes_to_the_wire_names() -> None:
    detail = BookDetail(
        1, "Dune", 1965, None, "SF", None, (AuthorView(2, "Frank", None),), (), 0, None
    )
    assert encode(detail).startswith(b'{"id":1,"title":"Dune","year":1965,"book_isbn":null')


GARBAGE = [
    b"",
    b"junk",
    b"\xff\xfe",
    b"{}",
    b"[]",
    b"null",
    b'{"id": "one"}',
    b'{"id":1,"title":"Dune"',  # cut short
    b'[{"id":1}]',
]


@pytest.mark.parametrize("data", GARBAGE)
@pytest.mark.parametrize("model", [BookDetail, AuthorView])
def test_garbage_is_a_value_error(data: bytes, model: Any) -> None:
    with pytest.raises(ValueError, match="cached value"):
        decode(data, model)


@pytest.mark.parametrize("data", [b"{}", b'{"id":1}', b"[1]", b'[{"id":"x"}]', b'"text"'])
def test_garbage_in_a_list_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="cached value"):
        decode(data, list[BookHit])


@given(book_details, st.integers(1, 40))
def test_a_truncated_detail_is_a_value_error(detail: BookDetail, cut: int) -> None:
    data = encode(detail)
    with pytest.raises(ValueError, match="cached value"):
        decode(data[: max(0, len(data) - cut)], BookDetail)
