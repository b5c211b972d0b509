"""The bounded search's bound on ts_rank holds for what PostgreSQL itself computes.

Random tsvectors of two words (positions and weights as tsvector input writes them) are
ranked by PostgreSQL for the AND of the two words; `and_rank_bound`, from the words' largest
weights and counts, must never be below. Nor may it be far above when the words are next
to each other, or it would prove nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library.adapters.postgres.bounded_search import MISSING_WORD_RANK, and_rank_bound

WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}

positions = st.lists(
    st.tuples(st.integers(1, 60), st.sampled_from(sorted(WEIGHTS))),
    min_size=0,
    max_size=6,
    unique_by=lambda p: p[0],
)


@pytest.fixture(scope="module")
def connection(postgres_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        yield connection


def _entry(word: str, where: list[tuple[int, str]]) -> str:
    return f"{word}:" + ",".join(f"{p}{w}" for p, w in where) if where else ""


def _bound(where: list[tuple[int, str]], other: list[tuple[int, str]]) -> float:
    weight = max((WEIGHTS[w] for _, w in where), default=0.0)
    other_weight = max((WEIGHTS[w] for _, w in other), default=0.0)
    return and_rank_bound(weight, len(where), other_weight, len(other))


@settings(max_examples=300, deadline=None)
@given(positions, positions)
def test_the_and_bound_is_never_below_postgresql_s_ts_rank(
    connection: psycopg.Connection[tuple[object, ...]],
    first: list[tuple[int, str]],
    second: list[tuple[int, str]],
) -> None:
    taken = {p for p, _ in first}
    second = [(p, w) for p, w in second if p not in taken]  # one word a position
    vector = " ".join(e for e in (_entry("first", first), _entry("second", second)) if e)
    row = connection.execute(
        "SELECT ts_rank(%s::tsvector, 'first & second'::tsquery)::float8", (vector,)
    ).fetchone()
    assert row is not None
    rank = row[0]
    assert isinstance(rank, float)
    assert rank <= _bound(first, second)
    if not first or not second:
        assert rank == pytest.approx(MISSING_WORD_RANK)


def test_the_bound_is_tight_for_adjacent_title_words(
    connection: psycopg.Connection[tuple[object, ...]],
) -> None:
    row = connection.execute(
        "SELECT ts_rank('first:1A second:2A'::tsvector, 'first & second'::tsquery)::float8"
    ).fetchone()
    assert row is not None
    assert row[0] == pytest.approx(_bound([(1, "A")], [(2, "A")]), abs=1e-6)
