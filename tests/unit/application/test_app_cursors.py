"""Keyset cursors: round trips for every sort, and any bad cursor is an InvalidQuery."""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library.application.cursors import decode_cursor, encode_cursor, fingerprint, position_of
from library.application.errors import InvalidQuery
from library.application.ports import BookFilter, BookPosition, SortOrder
from library.application.read_models import BookView, book_hit

T: Literal["title"] = "title"
Y: Literal["year"] = "year"
S: Literal["similarity"] = "similarity"

SORTS: list[tuple[SortOrder, ...]] = [
    (),
    (SortOrder(T, False),),
    (SortOrder(T, True),),
    (SortOrder(Y, False),),
    (SortOrder(Y, True),),
    (SortOrder(S, True),),
    (SortOrder(S, False),),
    (SortOrder(Y, True), SortOrder(T, False)),
    (SortOrder(S, True), SortOrder(Y, False), SortOrder(T, True)),
]


def _filter(sort: tuple[SortOrder, ...], **kwargs: object) -> BookFilter:
    q = "dune" if any(order.field == S for order in sort) else None
    return BookFilter(**{"q": q, "sort": sort, **kwargs})  # type: ignore[arg-type]


def _book(book_id: int, title: str, year: int | None) -> BookView:
    return BookView(book_id, title, year, None, None, None, ())


def _sort_id(sort: tuple[SortOrder, ...]) -> str:
    return ",".join(f"{o.field}:{'desc' if o.descending else 'asc'}" for o in sort) or "id"


def _forge(payload: object) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize("sort", SORTS, ids=_sort_id)
@pytest.mark.parametrize(
    ("title", "year", "relevance"),
    [
        ("Dune", 1965, 0.731),
        ('Cien años de soledad — ☃ "quoted" \\', None, 0.0),
        ("", 9999, 1e-300),
    ],
)
def test_round_trip(
    sort: tuple[SortOrder, ...], title: str, year: int | None, relevance: float
) -> None:
    query = _filter(sort, title="Dune", isbn="9780441172719", author_id=3, before=2000, after=1)
    position = position_of(book_hit(_book(42, title, year), relevance), sort)
    cursor = encode_cursor(query, position)
    assert cursor.isascii()
    assert "=" not in cursor
    assert decode_cursor(cursor, query) == position
    assert position.book_id == 42
    assert len(position.values) == len(sort)


@given(
    title=st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"])),
    year=st.none() | st.integers(1, 9999),
    relevance=st.floats(allow_nan=False, allow_infinity=False),
    book_id=st.integers(1, 2**63 - 1),
    sort=st.sampled_from(SORTS),
)
def test_round_trip_of_any_position(
    title: str, year: int | None, relevance: float, book_id: int, sort: tuple[SortOrder, ...]
) -> None:
    query = _filter(sort)
    position = position_of(book_hit(_book(book_id, title, year), relevance), sort)
    assert decode_cursor(encode_cursor(query, position), query) == position


def test_the_title_filter_is_compared_case_insensitively() -> None:
    sort = (SortOrder(T, False),)
    position = BookPosition(("Dune",), 1)
    cursor = encode_cursor(_filter(sort, title="Dune"), position)
    assert decode_cursor(cursor, _filter(sort, title="DUNE")) == position


@pytest.mark.parametrize(
    "other",
    [
        _filter((SortOrder(T, True),)),  # another direction
        _filter((SortOrder(Y, False),)),  # another field
        _filter((SortOrder(T, False), SortOrder(Y, False))),  # more fields
        _filter((SortOrder(T, False),), title="Dune"),
        _filter((SortOrder(T, False),), q="dune"),
        _filter((SortOrder(T, False),), isbn="9780441172719"),
        _filter((SortOrder(T, False),), author_id=1),
        _filter((SortOrder(T, False),), before=1999),
        _filter((SortOrder(T, False),), after=1999),
    ],
)
def test_a_cursor_for_another_query_is_refused(other: BookFilter) -> None:
    query = _filter((SortOrder(T, False),))
    cursor = encode_cursor(query, BookPosition(("Dune",), 1))
    with pytest.raises(InvalidQuery) as caught:
        decode_cursor(cursor, other)
    assert caught.value.field == "cursor"


def test_fingerprints_differ_between_sorts_and_filters() -> None:
    prints = {fingerprint(_filter(sort)) for sort in SORTS}
    assert len(prints) == len(SORTS)


TITLE_SORT = _filter((SortOrder(T, False),))
YEAR_SORT = _filter((SortOrder(Y, False),))
SIMILARITY_SORT = _filter((SortOrder(S, True),))
ID_ORDER = _filter(())


def _cursor_for(query: BookFilter, *rest: object) -> str:
    return _forge([fingerprint(query), *rest])


@pytest.mark.parametrize(
    ("cursor", "query"),
    [
        ("", ID_ORDER),
        ("garbage", ID_ORDER),
        ("!!!!", ID_ORDER),
        ("a", ID_ORDER),  # impossible base64 length
        ("é", ID_ORDER),  # not ASCII
        ("\x00", ID_ORDER),
        ("eyJ" * 100_000, ID_ORDER),  # huge
        (base64.urlsafe_b64encode(b"\xff\xfe\xfa").decode(), ID_ORDER),  # not UTF-8 JSON
        (_forge({"a": 1}), ID_ORDER),  # not a list
        (_forge("text"), ID_ORDER),
        (_forge(None), ID_ORDER),
        (_forge(17), ID_ORDER),
        (_forge([]), ID_ORDER),
        (_cursor_for(ID_ORDER), ID_ORDER),  # too short
        (_cursor_for(ID_ORDER, 1, 2), ID_ORDER),  # too long
        (_cursor_for(TITLE_SORT, 1), TITLE_SORT),  # too short for the sort
        (_cursor_for(ID_ORDER, 0), ID_ORDER),  # ids are positive
        (_cursor_for(ID_ORDER, -5), ID_ORDER),
        (_cursor_for(ID_ORDER, 2**63), ID_ORDER),
        (_cursor_for(ID_ORDER, True), ID_ORDER),
        (_cursor_for(ID_ORDER, 1.0), ID_ORDER),
        (_cursor_for(ID_ORDER, "1"), ID_ORDER),
        (_cursor_for(ID_ORDER, None), ID_ORDER),
        (_cursor_for(TITLE_SORT, 5, 1), TITLE_SORT),  # title not text
        (_cursor_for(TITLE_SORT, None, 1), TITLE_SORT),
        (_cursor_for(YEAR_SORT, "1965", 1), YEAR_SORT),
        (_cursor_for(YEAR_SORT, 0, 1), YEAR_SORT),
        (_cursor_for(YEAR_SORT, 10_000, 1), YEAR_SORT),
        (_cursor_for(YEAR_SORT, 1965.0, 1), YEAR_SORT),
        (_cursor_for(YEAR_SORT, False, 1), YEAR_SORT),
        (_cursor_for(SIMILARITY_SORT, None, 1), SIMILARITY_SORT),
        (_cursor_for(SIMILARITY_SORT, "0.5", 1), SIMILARITY_SORT),
        (_cursor_for(SIMILARITY_SORT, True, 1), SIMILARITY_SORT),
        (_cursor_for(SIMILARITY_SORT, [0.5], 1), SIMILARITY_SORT),
        (_forge(["x" * 16, 1]), ID_ORDER),  # wrong fingerprint
        (_forge([["not", "hashable"], 1]), ID_ORDER),
        (base64.urlsafe_b64encode(b'["a", NaN, 1]').decode(), SIMILARITY_SORT),
        (base64.urlsafe_b64encode(b"[" * 100_000).decode(), ID_ORDER),  # deep nesting
        (base64.urlsafe_b64encode(b"1" * 5_000).decode(), ID_ORDER),  # huge integer
    ],
)
def test_a_bad_cursor_is_an_invalid_query(cursor: str, query: BookFilter) -> None:
    with pytest.raises(InvalidQuery) as caught:
        decode_cursor(cursor, query)
    assert caught.value.field == "cursor"


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor_for(SIMILARITY_SORT, 1.0, 1),
        _cursor_for(SIMILARITY_SORT, 1, 1),  # a relevance may be written as an integer
        _cursor_for(SIMILARITY_SORT, -0.5, 1),
    ],
)
def test_a_forged_cursor_of_the_right_shape_is_accepted(cursor: str) -> None:
    assert decode_cursor(cursor, SIMILARITY_SORT).book_id == 1


def test_a_similarity_too_large_for_a_float_is_an_invalid_query() -> None:
    cursor = _cursor_for(SIMILARITY_SORT, 10**400, 1)
    with pytest.raises(InvalidQuery):
        decode_cursor(cursor, SIMILARITY_SORT)


@pytest.mark.parametrize("title", ["a\x00b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_a_title_postgresql_cannot_store_is_an_invalid_query(title: str) -> None:
    raw = json.dumps([fingerprint(TITLE_SORT), title, 1]).encode()  # ensure_ascii escapes
    cursor = base64.urlsafe_b64encode(raw).decode()
    with pytest.raises(InvalidQuery):
        decode_cursor(cursor, TITLE_SORT)


@settings(max_examples=300)
@given(
    cursor=st.one_of(
        st.text(),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="),
        st.binary().map(lambda b: base64.urlsafe_b64encode(b).decode()),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
            lambda inner: st.lists(inner, max_size=4),
        ).map(lambda payload: _forge(payload)),
    ),
    query=st.sampled_from([ID_ORDER, TITLE_SORT, YEAR_SORT, SIMILARITY_SORT]),
)
def test_decoding_arbitrary_text_raises_nothing_but_invalid_query(
    cursor: str, query: BookFilter
) -> None:
    with contextlib.suppress(InvalidQuery):
        decode_cursor(cursor, query)


@settings(max_examples=300)
@given(
    values=st.lists(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        min_size=2,
        max_size=2,
    ),
    query=st.sampled_from([TITLE_SORT, YEAR_SORT, SIMILARITY_SORT]),
)
def test_decoding_a_cursor_with_the_right_fingerprint_raises_only_invalid_query(
    values: list[object], query: BookFilter
) -> None:
    try:
        position = decode_cursor(_cursor_for(query, *values), query)
    except InvalidQuery:
        return
    assert position.book_id == values[-1]
