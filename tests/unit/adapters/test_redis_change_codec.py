"""Domain events as NOTIFY payloads: split under PostgreSQL's limit, garbage means everything."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.postgres.change_codec import (
    ANONYMOUS,
    EVERYTHING,
    MAX_PAYLOAD,
    events_of,
    origin_of,
    payloads,
)
from library.domain.events import (
    AuthorChanged,
    AuthorRemoved,
    BookChanged,
    BookRemoved,
    CatalogueImported,
    DomainEvent,
    ReviewChanged,
)

ids = st.integers(1, 2**63 - 1)
id_sets = st.frozensets(ids, max_size=5)
events = st.one_of(
    st.builds(BookChanged, ids, id_sets),
    st.builds(BookRemoved, ids, id_sets),
    st.builds(AuthorChanged, ids, id_sets),
    st.builds(AuthorRemoved, ids, id_sets),
    st.builds(ReviewChanged, ids, ids),
    st.just(CatalogueImported()),
)

EVERY_KIND: list[DomainEvent] = [
    BookChanged(1, frozenset({2, 3})),
    BookChanged(4),
    BookRemoved(5, frozenset({6})),
    AuthorChanged(7, frozenset({8, 9})),
    AuthorRemoved(10),
    ReviewChanged(11, 12),
    CatalogueImported(),
]


def decoded(payload_list: list[bytes]) -> list[DomainEvent] | None:
    found: list[DomainEvent] = []
    for payload in payload_list:
        assert len(payload) <= MAX_PAYLOAD
        events_in = events_of(payload.decode())
        if events_in is None:
            return None
        found.extend(events_in)
    return found


@pytest.mark.parametrize("event", EVERY_KIND, ids=lambda e: type(e).__name__)
def test_each_event_kind_round_trips(event: DomainEvent) -> None:
    (payload,) = payloads([event])
    assert events_of(payload.decode()) == [event]


def test_several_events_share_one_payload() -> None:
    (payload,) = payloads(EVERY_KIND)
    assert events_of(payload.decode()) == EVERY_KIND


def test_no_events_no_payload() -> None:
    assert list(payloads([])) == []


def test_many_events_are_split_into_payloads_under_the_limit() -> None:
    many: list[DomainEvent] = [
        BookChanged(2**62 + n, frozenset(range(2**62, 2**62 + 20))) for n in range(200)
    ]
    found = list(payloads(many))
    assert len(found) > 1
    assert all(len(payload) <= MAX_PAYLOAD for payload in found)
    assert all(len(payload) > MAX_PAYLOAD // 2 for payload in found[:-1])  # packed, not one each
    assert decoded(found) == many


def test_an_event_too_big_for_any_payload_says_everything() -> None:
    huge = BookChanged(1, frozenset(range(10**9, 10**9 + 2000)))
    assert len(orjson.dumps(sorted(huge.author_ids))) > MAX_PAYLOAD
    found = list(payloads([ReviewChanged(1, 2), huge, AuthorChanged(3)]))
    assert b"- " + EVERYTHING in found
    assert all(len(payload) <= MAX_PAYLOAD for payload in found)
    assert events_of("- " + EVERYTHING.decode()) is None
    assert decoded(found) is None


@given(st.lists(events, max_size=300))
def test_any_events_fit_and_come_back_in_order(some: list[DomainEvent]) -> None:
    assert decoded(list(payloads(some))) == some


@given(st.lists(st.builds(BookChanged, ids, st.frozensets(ids, max_size=800)), max_size=12))
def test_big_events_fit_or_say_everything(some: list[DomainEvent]) -> None:
    found = list(payloads(some))
    assert all(len(payload) <= MAX_PAYLOAD for payload in found)
    result = decoded(found)
    assert result is None or result == some


GARBAGE = [
    "",
    "junk",
    '"*"',
    "{}",
    "null",
    "5",
    "[1]",
    '[["book"]]',
    '[["book", 1]]',
    '[["book", 1, [2], 3]]',
    '[["chapter", 1, []]]',
    '[["book", "x", []]]',
    '[["book", 1, 5]]',
    '[["book", 1, ["x"]]]',
    '[["review", 1, null]]',
    '[["review", 1, "2"]]',
    '[["book", 1.5, []]]',
    '[["book", "1", []]]',
    '[["book", true, []]]',
    '[["author", 1, [2.0]]]',
    '[["review", 1, 99999999999999999999999]]',
    '[["book", 1, []]',  # cut short
]


@pytest.mark.parametrize("payload", GARBAGE)
def test_garbage_means_everything(payload: str) -> None:
    # A payload that cannot be read exactly may have named anything: resynchronise.
    assert events_of(f"{ANONYMOUS} {payload}") is None
    assert events_of(payload) is None  # no origin: not even read


@given(st.text())
def test_no_text_makes_decoding_raise(payload: str) -> None:
    result = events_of(payload)
    assert result is None or isinstance(result, list)


def test_an_empty_list_is_no_change() -> None:
    assert events_of("- []") == []


def test_a_payload_names_its_origin() -> None:
    (payload,) = payloads([ReviewChanged(1, 2)], "0123abcd")
    assert origin_of(payload.decode()) == "0123abcd"
    assert events_of(payload.decode()) == [ReviewChanged(1, 2)]
    assert origin_of('[["review",1,2]]') == ANONYMOUS  # an older writer's: nobody's own
