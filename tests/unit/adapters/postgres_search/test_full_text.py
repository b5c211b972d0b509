"""Full-text search as the emulation computes it, against PostgreSQL's answers.

The expected values were read from PostgreSQL 15 with the service's own expressions
(migration 0001, the PostgreSQL adapter's `book_list`):
`setweight(to_tsvector('english', unaccent(lower(title))), 'A') || ... genre 'B' ||
... description 'C'` against `websearch_to_tsquery('english', unaccent(lower(q)))`, giving
`@@` and `ts_rank` (a float4, hence the tolerance). tests/postgres/test_pg_search_emulation.py
asks PostgreSQL itself.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.memory.postgres_search.ts_rank import ts_rank
from library.adapters.memory.postgres_search.tsquery import websearch_to_tsquery
from library.adapters.memory.postgres_search.tsvector import TsVector, Weight

Fields = tuple[str, str | None, str | None]

DUNE: Fields = (
    "Dune",
    "Science Fiction",
    "A noble family takes control of the desert planet Arrakis and its spice",
)
CHILDREN: Fields = (
    "Children of Dune",
    "Science Fiction",
    "The twins of Paul Atreides inherit a universe shaped by their father",
)
CIEN: Fields = (
    "Cien años de soledad",
    "Magical Realism",
    "Seven generations of the Buendía family in the town of Macondo",
)
CAT: Fields = ("The cat sat on the mat", None, None)
RUN: Fields = (
    "Running with the Wolves",
    "Fiction",
    "The libraries of the city ran out of running shoes",
)
DUNES: Fields = ("The Dune Dune Dune book", None, "dune sand dune desert planet")
APES: Fields = ("Planet of the apes", "science", None)

# (fields, q, matches, ts_rank)
FULL_TEXT_CASES = [
    (("A b c", None, "x"), '"a c"', True, 0.6079271),  # `a` is a stop word
    (("Cats dogs mice", None, "x"), '"cats mice"', False, 0.98500854),
    (("Cats dogs mice", None, "x"), '"dogs mice"', True, 0.9910322),
    (("Cats dogs mice", None, "x"), '"mice cats"', False, 0.98500854),
    (("Cats dogs mice", None, "x"), 'x -"cats dogs"', False, 0.99716717),
    (DUNE, "dune", True, 0.6079271),
    (DUNE, "desert planet", True, 0.19820644),
    (DUNE, '"desert planet"', True, 0.19820644),
    (DUNE, '"the desert planet"', True, 0.19820644),
    (DUNE, '"control the desert"', False, 0.19471696),  # `of the` between them: <3>
    (DUNE, '"control desert"', False, 0.19471696),
    (DUNE, "dune -children", True, 1e-20),
    (DUNE, "fantasy or science fiction", True, 0.16211389),
    (DUNE, "-dune", False, 0.6079271),
    (DUNE, "planet -desert", False, 0.19820644),
    (DUNE, "a b or c d", False, 0.0),  # `b`, `c` and `d` are words; `a` is not
    (DUNE, "!!!", False, 0.0),
    (DUNE, "takes controlling families", True, 0.48377416),
    (DUNE, "planets", True, 0.12158542),
    (CHILDREN, "dune", True, 0.6079271),
    (CHILDREN, "dune -children", False, 0.98500854),
    (CHILDREN, "dune or fantasy", True, 0.30396354),
    (CHILDREN, '"children of dune"', True, 0.98500854),
    (CHILDREN, '"children dune"', False, 0.98500854),
    (CHILDREN, '"child dune"', False, 1e-20),  # `children` stems to `children`
    (CHILDREN, "universes shaping", True, 0.19820644),
    (DUNES, "dune", True, 0.839919),
    (DUNES, "dune desert", True, 0.8443898),
    (DUNES, "planet or desert or dune", True, 0.36102995),
    (CIEN, "soledad años", True, 0.98500854),
    (CIEN, "anos", True, 0.6079271),
    (CIEN, "buendia", True, 0.12158542),
    (CIEN, "magical realism macondo", True, 0.48104736),
    (CIEN, "generation", True, 0.12158542),
    (APES, "planet", True, 0.6079271),
    (APES, "science fiction", False, 1e-20),
    (APES, "- planet", False, 0.6079271),
    (APES, "--planet", True, 0.6079271),
    (APES, '"planet apes"', False, 0.9735848),
    (APES, '"apes science"', True, 0.6267838),  # the genre's positions follow the title's
    (CAT, "the", False, 0.0),
    (CAT, "the or a", False, 0.0),
    (CAT, "cat or the", True, 0.6079271),
    (CAT, "-the cat", True, 0.6079271),
    (CAT, "cats", True, 0.6079271),
    (CAT, '"cat sat"', True, 0.9910322),
    (CAT, '"sat the mat"', False, 0.9735848),  # `on the` between them: <3>, not <2>
    (CAT, '"sat mat"', False, 0.9735848),
    (CAT, '"the cat"', True, 0.6079271),
    (CAT, "cat or or mat", True, 0.6079271),
    (CAT, "cat or the dog", True, 0.30396354),
    (RUN, "run", True, 0.6383234),
    (RUN, "runs", True, 0.6383234),
    (RUN, "ran", True, 0.12158542),
    (RUN, "library", True, 0.12158542),
    (RUN, "wolf", False, 0.0),  # `wolves` stems to `wolv`
    (RUN, '"running shoe"', True, 0.23893005),
    (RUN, '"wolves fiction"', True, 0.6267838),
    (RUN, '"library city"', False, 0.19471696),
    (RUN, '"libraries of the city"', True, 0.19471696),
    (RUN, "runner", False, 0.0),
    (("the of", None, None), "the", False, 0.0),
    (("The of", "Fiction", "dogs"), '"fiction dogs"', True, 0.28030625),
    (("The of", None, None), "cat dog", False, 0.0),  # an empty tsvector ranks 0
]


def _vector(fields: Fields) -> TsVector:
    title, genre, description = fields
    return TsVector.of((title, Weight.A), (genre, Weight.B), (description, Weight.C))


@pytest.mark.parametrize(("fields", "q", "matches", "rank"), FULL_TEXT_CASES)
def test_match_and_rank_are_postgresql_s(
    fields: Fields, q: str, matches: bool, rank: float
) -> None:
    query = websearch_to_tsquery(q)
    vector = _vector(fields)
    assert query.matches(vector) is matches
    assert ts_rank(vector, query) == pytest.approx(rank, rel=1e-6, abs=1e-9)


def test_positions_continue_after_the_last_lexeme_of_the_previous_text() -> None:
    # setweight(to_tsvector('english', 'cats of the'), 'A') || ... 'the the' 'B' || 'dogs' 'C'
    # is 'cat':1A 'dog':2C: trailing stop words leave no position to continue from.
    vector = TsVector.of(("cats of the", Weight.A), ("the the", Weight.B), ("dogs", Weight.C))
    assert vector.lexemes == {"cat": (1 << 2 | Weight.A,), "dog": (2 << 2 | Weight.C,)}


def test_a_lexeme_keeps_255_positions_per_text_and_256_in_all() -> None:
    assert len(_vector(("cat " * 300, None, None)).lexemes["cat"]) == 255
    assert len(_vector(("cat " * 10, None, "cat " * 300)).lexemes["cat"]) == 256


@pytest.mark.parametrize(
    ("q", "clauses"),
    [
        ("cat dog or mouse rat", [[("cat",), ("dog",)], [("mous",), ("rat",)]]),
        ("cat or", [[("cat",)]]),  # `or` at the end is a word, and a stop word
        ("or cat", [[("cat",)]]),
        ("cat or or dog", [[("cat",)], [("dog",)]]),
        ("cat OR dog", [[("cat",)], [("dog",)]]),
        ("cat or the dog", [[("cat",)], [("dog",)]]),
        ("cat or the", [[("cat",)]]),
        ('cat "big dogs" mice or rats', [[("cat",), ("big", "dog"), ("mice",)], [("rat",)]]),
        ('x"y z"w', [[("x",), ("y", "z"), ("w",)]]),
        ("e-mail", [[("e", "mail")]]),
        ("don't stop", [[("stop",)]]),
    ],
)
def test_websearch_syntax_is_parsed_as_postgresql_does(
    q: str, clauses: list[list[tuple[str, ...]]]
) -> None:
    parsed = websearch_to_tsquery(q)
    assert [[term.lexemes for term in clause] for clause in parsed.clauses] == clauses
    assert not any(term.negated for clause in parsed.clauses for term in clause)


@pytest.mark.parametrize(
    ("q", "offsets"),
    [('"cat dog"', (0, 1)), ('"cat the dog"', (0, 2)), ('"the cat of the dog the"', (0, 3))],
)
def test_stop_words_inside_a_phrase_widen_its_distances(q: str, offsets: tuple[int, ...]) -> None:
    (clause,) = websearch_to_tsquery(q).clauses
    assert [(term.lexemes, term.offsets) for term in clause] == [(("cat", "dog"), offsets)]


@pytest.mark.parametrize(
    ("q", "negated"),
    [("cat -dog", True), ("cat - dog", True), ("cat --dog", False), ('cat -"big dog"', True)],
)
def test_a_dash_negates_the_next_term(q: str, negated: bool) -> None:
    last = websearch_to_tsquery(q).clauses[-1][-1]
    assert last.negated is negated


@pytest.mark.parametrize(
    "q", ["", "!!!", '"', "-", "- -", '""', "&|!()", "the", "-or", '"of the"', "the or a"]
)
def test_a_query_without_lexemes_matches_nothing(q: str) -> None:
    query = websearch_to_tsquery(q)
    assert query.is_empty
    assert not query.matches(_vector(("anything at all", None, None)))


@given(st.text(), st.text())
def test_any_input_parses_and_ranks_between_0_and_1(q: str, title: str) -> None:
    query = websearch_to_tsquery(q)
    vector = _vector((title, None, None))
    query.matches(vector)
    assert 0.0 <= ts_rank(vector, query) <= 1.0
