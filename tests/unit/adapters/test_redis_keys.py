"""Cache keys share one hash slot, and every event names the generations of what it changed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.crc import key_slot

from library.adapters.redis_cache import CacheKeys
from library.adapters.redis_cache.invalidation import stale_generations
from library.adapters.redis_cache.keys import canonical, entry_version
from library.application.ports import AuthorFilter, BookFilter
from library.domain.events import (
    AuthorChanged,
    AuthorRemoved,
    BookChanged,
    BookRemoved,
    CatalogueImported,
    DomainEvent,
    ReviewChanged,
)


def every_key(keys: CacheKeys) -> list[str]:
    return [
        keys.book(1),
        keys.book(2**63 - 1),
        keys.book_reviews(7),
        keys.author(3),
        keys.author_books(3),
        keys.book_list(canonical(BookFilter(q="dune"), None, 0, 20)),
        keys.author_list(canonical(AuthorFilter(name="x"))),
        keys.clock,
        keys.epoch,
        keys.all_books,
        keys.all_authors,
        keys.book_generation(1),
        keys.author_generation(99),
    ]


namespaces = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="{}"), min_size=1
)


@given(namespaces)
def test_every_key_of_a_namespace_lands_in_one_cluster_slot(namespace: str) -> None:
    keys = every_key(CacheKeys(namespace=namespace))
    slots = {key_slot(key.encode()) for key in keys}
    assert len(slots) == 1
    assert all(key.startswith(f"{{{namespace}}}:") for key in keys)


def test_the_default_namespace_and_its_slot() -> None:
    keys = CacheKeys()
    assert keys.book(5) == f"{{library}}:v{entry_version()}:book:5"
    assert keys.book_generation(5) == "{library}:g:book:5"  # generations carry no version
    assert {key_slot(key.encode()) for key in every_key(keys)} == {key_slot(b"library")}


def test_namespaces_do_not_share_keys() -> None:
    assert not set(every_key(CacheKeys("a"))) & set(every_key(CacheKeys("b")))


@pytest.mark.parametrize("namespace", ["", "}", "a}b", "{a", "x{y}"])
def test_a_namespace_that_would_break_the_hash_tag_is_refused(namespace: str) -> None:
    # "" or a brace would make Redis hash part of each key instead of the namespace, so the
    # keys of one entry would scatter over slots (CROSSSLOT on a cluster).
    with pytest.raises(ValueError, match="namespace"):
        CacheKeys(namespace=namespace)


def test_list_keys_differ_by_query_and_do_not_grow_with_it() -> None:
    keys = CacheKeys("n")
    one = keys.book_list(canonical(BookFilter(q="dune")))
    other = keys.book_list(canonical(BookFilter(q="dune messiah")))
    long = keys.book_list(canonical(BookFilter(q="x" * 500)))
    assert one != other
    assert len(long) == len(one)
    assert keys.author_list("same") != keys.book_list("same")


K = CacheKeys("ns")


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            BookChanged(1, frozenset({7, 8})),
            {K.book_generation(1), K.all_books, K.author_generation(7), K.author_generation(8)},
        ),
        (BookChanged(2), {K.book_generation(2), K.all_books}),
        (
            BookRemoved(3, frozenset({9})),
            {K.book_generation(3), K.all_books, K.author_generation(9)},
        ),
        (
            AuthorChanged(4, frozenset({1, 2})),
            {K.author_generation(4), K.all_authors, K.book_generation(1), K.book_generation(2)},
        ),
        (AuthorChanged(5), {K.author_generation(5), K.all_authors}),
        (
            AuthorRemoved(6, frozenset({3})),
            {K.author_generation(6), K.all_authors, K.book_generation(3)},
        ),
        (ReviewChanged(book_id=10, review_id=20), {K.book_generation(10)}),
        (CatalogueImported(), {K.epoch}),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, set) else "",
)
def test_stale_generations_of_each_event_kind(event: DomainEvent, expected: set[str]) -> None:
    stale = stale_generations(K, [event])
    assert set(stale) == expected
    assert len(stale) == len(set(stale))


def test_stale_generations_of_several_events_are_listed_once_in_order() -> None:
    events: list[DomainEvent] = [
        ReviewChanged(1, 5),
        BookChanged(1, frozenset({2})),
        AuthorChanged(2, frozenset({1})),
    ]
    assert stale_generations(K, events) == [
        K.book_generation(1),
        K.all_books,
        K.author_generation(2),
        K.all_authors,
    ]
    assert stale_generations(K, []) == []


# What each cached read depends on (CachedCatalogue; every lookup adds the epoch), and which
# events must reach it.
READS = {
    "book 1": [K.epoch, K.book_generation(1), K.all_authors],
    "reviews of book 1": [K.epoch, K.book_generation(1)],
    "author 7": [K.epoch, K.author_generation(7)],
    "books of author 7": [K.epoch, K.author_generation(7), K.all_books],
    "book lists": [K.epoch, K.all_books, K.all_authors],
    "author lists": [K.epoch, K.all_authors],
}
AFFECTS: list[tuple[DomainEvent, list[str]]] = [
    # a new or changed book: its page, lists, and the book lists of its authors
    (
        BookChanged(1, frozenset({7})),
        ["book 1", "reviews of book 1", "books of author 7", "book lists"],
    ),
    (
        BookRemoved(1, frozenset({7})),
        ["book 1", "reviews of book 1", "books of author 7", "book lists"],
    ),
    # a renamed author: every page that shows the name
    (
        AuthorChanged(7, frozenset({1})),
        ["book 1", "author 7", "books of author 7", "book lists", "author lists"],
    ),
    (
        AuthorRemoved(7, frozenset({1})),
        ["book 1", "author 7", "books of author 7", "book lists", "author lists"],
    ),
    # a review: the book's page (rating fields) and its reviews
    (ReviewChanged(1, 3), ["book 1", "reviews of book 1"]),
    # a bulk import: anything
    (CatalogueImported(), list(READS)),
]


@pytest.mark.parametrize(("event", "reads"), AFFECTS)
def test_every_read_an_event_changes_has_a_stale_dependency(
    event: DomainEvent, reads: list[str]
) -> None:
    stale = set(stale_generations(K, [event]))
    for read in reads:
        assert stale & set(READS[read]), f"{event} leaves {read} current"


def test_entries_of_another_version_are_other_keys_but_generations_are_shared() -> None:
    old, new = CacheKeys("n", version="old"), CacheKeys("n", version="new")
    assert old.book(1) != new.book(1)
    assert old.book_list("q") != new.book_list("q")
    assert old.book_generation(1) == new.book_generation(1)
    assert (old.all_books, old.all_authors, old.epoch) == (
        new.all_books,
        new.all_authors,
        new.epoch,
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ((BookFilter(q="1"), None, 0, 20), (BookFilter(q="1"), None, 0, 21)),
        ((BookFilter(before=1), None, 0, 20), (BookFilter(after=1), None, 0, 20)),
        ((BookFilter(), None, 1, 20), (BookFilter(), None, 1.0, 20)),
        ((AuthorFilter(name="a"),), (AuthorFilter(email="a"),)),
        ((AuthorFilter(),), (BookFilter(),)),
    ],
)
def test_canonical_queries_tell_apart_what_differs(
    one: tuple[object, ...], other: tuple[object, ...]
) -> None:
    assert canonical(*one) != canonical(*other)
    assert canonical(*one) == canonical(*one)
