"""Cached values: kept as the JSON clients are sent, handed back as it, garbage a ValueError."""

from __future__ import annotations

import zlib
from typing import Any

import cattrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.redis_cache.codec import seal, seal_hits, unseal, unseal_hits
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
    book_hit,
)
from library.application.rendered import Rendered, render
from library.application.rendering import rendered_hit

ids = st.integers(1, 2**63 - 1)
texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
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
hits = st.builds(book_hit, book_views, st.none() | floats)

# What CachedCatalogue stores for each kind of read, with the type it names it as.
MODELS: list[tuple[str, Any, st.SearchStrategy[Any]]] = [
    ("book", BookDetail, book_details),
    ("book_reviews", list[ReviewView], st.lists(reviews, max_size=5)),
    ("author", AuthorView, authors),
    ("author_books", list[BookSummary], st.lists(summaries, max_size=5)),
    ("author_list", list[AuthorView], st.lists(authors, max_size=5)),
]


@pytest.mark.parametrize(("kind", "model", "values"), MODELS, ids=[m[0] for m in MODELS])
def test_every_read_model_comes_back_as_the_json_it_is_sent_as(
    kind: str, model: Any, values: st.SearchStrategy[Any]
) -> None:
    @given(values)
    def round_trip(value: Any) -> None:
        rendered = render(value)
        assert unseal(seal(rendered)) == rendered
        assert orjson.loads(rendered.json) == cattrs.unstructure(value)

    round_trip()


@given(st.lists(hits, max_size=5))
def test_book_list_hits_keep_their_cursor_values_next_to_each_book(
    listed: list[BookHit[BookView]],
) -> None:
    rendered = [rendered_hit(hit) for hit in listed]
    found = unseal_hits(seal_hits(rendered))
    assert [(h.id, h.title, h.year, h.relevance) for h in found] == [
        (h.id, h.title, h.year, h.relevance) for h in listed
    ]
    assert [h.book for h in found] == [render(h.book) for h in listed]


def test_a_detail_is_kept_with_the_wire_names() -> None:
    detail = BookDetail(
        1, "Dune", 1965, None, "SF", None, (AuthorView(2, "Frank", None),), (), 0, None
    )
    assert seal(render(detail))[8:].startswith(
        b'{"id":1,"title":"Dune","year":1965,"book_isbn":null'
    )


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
    b"00000000{}",  # a checksum that does not match
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="cached"):
        unseal(data)


def _sealed(body: bytes) -> bytes:
    return b"%08x" % zlib.crc32(body) + body


@pytest.mark.parametrize(
    "data",
    [
        *GARBAGE,
        _sealed(b"[]"),  # no header line
        _sealed(b"{}\n"),
        _sealed(b'[[1,"a",null,null]]\n{}'),  # a row without its length
        _sealed(b'[[1,"a",null,null,5]]\n{}'),  # a length past the books
        _sealed(b'[[1,"a",null,null,1]]\n{}'),  # books left over
        _sealed(b'[[1,"a",null,null,"2"]]\n{}'),
    ],
)
def test_garbage_in_a_list_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="cached"):
        unseal_hits(data)


@given(book_details, st.integers(1, 40))
def test_a_truncated_detail_is_a_value_error(detail: BookDetail, cut: int) -> None:
    data = seal(render(detail))
    with pytest.raises(ValueError, match="cached"):
        unseal(data[: max(0, len(data) - cut)])


def test_rendered_values_are_what_the_edge_sends() -> None:
    assert Rendered(b"[]") == render([])
