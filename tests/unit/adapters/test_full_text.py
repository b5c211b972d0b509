"""The full-text approximation against PostgreSQL, where no dictionary is involved.

The expected values were read from PostgreSQL 15 with the `simple` configuration (no
stemming, no stop words, which is what the approximation models):
`setweight(to_tsvector('simple', unaccent(lower(title))), 'A') || ... genre 'B' ||
... description 'C'` against `websearch_to_tsquery('simple', unaccent(lower(q)))`, giving
`@@` and `ts_rank` (a float4, hence the tolerance).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.memory.full_text import Document, Term, Weight, parse_websearch

# ((title, genre, description), q, matches, ts_rank)
FULL_TEXT_CASES = [
    (("A b c", None, "x"), '"a c"', False, 0.98500854),
    (("A b c", None, "x"), '"b c"', True, 0.9910322),
    (("A b c", None, "x"), '"c a"', False, 0.98500854),
    (("A b c", None, "x"), 'x -"a b"', False, 0.99716717),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "dune",
        True,
        0.6079271,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "desert planet",
        True,
        0.19820644,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        '"desert planet"',
        True,
        0.19820644,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "dune -children",
        True,
        1e-20,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "fantasy or science fiction",
        True,
        0.16211389,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "-dune",
        False,
        0.6079271,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "planet -desert",
        False,
        0.19820644,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "a b or c d",
        False,
        0.030396355,
    ),
    (
        (
            "Dune",
            "Science Fiction",
            "A noble family takes control of the desert planet Arrakis and its spice",
        ),
        "!!!",
        False,
        0.0,
    ),
    (
        (
            "Children of Dune",
            "Science Fiction",
            "The twins of Paul Atreides inherit a universe shaped by their father",
        ),
        "dune",
        True,
        0.6079271,
    ),
    (
        (
            "Children of Dune",
            "Science Fiction",
            "The twins of Paul Atreides inherit a universe shaped by their father",
        ),
        "dune -children",
        False,
        0.98500854,
    ),
    (
        (
            "Children of Dune",
            "Science Fiction",
            "The twins of Paul Atreides inherit a universe shaped by their father",
        ),
        "dune or fantasy",
        True,
        0.30396354,
    ),
    (("The Dune Dune Dune book", None, "dune sand dune desert planet"), "dune", True, 0.839919),
    (
        ("The Dune Dune Dune book", None, "dune sand dune desert planet"),
        "dune desert",
        True,
        0.8443898,
    ),
    (
        ("The Dune Dune Dune book", None, "dune sand dune desert planet"),
        "planet or desert or dune",
        True,
        0.36102995,
    ),
    (
        (
            "Cien años de soledad",
            "Magical Realism",
            "Seven generations of the Buendía family in the town of Macondo",
        ),
        "soledad años",
        True,
        0.98500854,
    ),
    (
        (
            "Cien años de soledad",
            "Magical Realism",
            "Seven generations of the Buendía family in the town of Macondo",
        ),
        "anos",
        True,
        0.6079271,
    ),
    (
        (
            "Cien años de soledad",
            "Magical Realism",
            "Seven generations of the Buendía family in the town of Macondo",
        ),
        "buendia",
        True,
        0.12158542,
    ),
    (
        (
            "Cien años de soledad",
            "Magical Realism",
            "Seven generations of the Buendía family in the town of Macondo",
        ),
        "magical realism macondo",
        True,
        0.48104736,
    ),
    (("Planet of the apes", "science", None), "planet", True, 0.6079271),
    (("Planet of the apes", "science", None), "science fiction", False, 1e-20),
    (("Planet of the apes", "science", None), "- planet", False, 0.6079271),
    (("Planet of the apes", "science", None), "--planet", True, 0.6079271),
]


def _document(fields: tuple[str, str | None, str | None]) -> Document:
    title, genre, description = fields
    return Document.of((title, Weight.A), (genre, Weight.B), (description, Weight.C))


@pytest.mark.parametrize(("fields", "q", "matches", "rank"), FULL_TEXT_CASES)
def test_match_and_rank_are_postgresql_s(
    fields: tuple[str, str | None, str | None], q: str, matches: bool, rank: float
) -> None:
    query = parse_websearch(q)
    document = _document(fields)
    assert query.matches(document) is matches
    assert query.rank(document) == pytest.approx(rank, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    ("q", "clauses"),
    [
        ("a b or c d", [[("a",), ("b",)], [("c",), ("d",)]]),
        ("a or", [[("a",), ("or",)]]),
        ("or a", [[("or",), ("a",)]]),
        ("a or or b", [[("a",)], [("or",), ("b",)]]),
        ("a OR b", [[("a",)], [("b",)]]),
        ('a "b c" d or e', [[("a",), ("b", "c"), ("d",)], [("e",)]]),
        ('x"y z"w', [[("x",), ("y", "z"), ("w",)]]),
        ("e-mail", [[("e", "mail")]]),
    ],
)
def test_websearch_syntax_is_parsed_as_postgresql_does(
    q: str, clauses: list[list[tuple[str, ...]]]
) -> None:
    parsed = parse_websearch(q)
    assert [[term.lexemes for term in clause] for clause in parsed.clauses] == clauses
    assert not any(term.negated for clause in parsed.clauses for term in clause)


@pytest.mark.parametrize(
    ("q", "negated"),
    [("a -b", True), ("a - b", True), ("a --b", False), ('a -"b c"', True), ("-or", True)],
)
def test_a_dash_negates_the_next_term(q: str, negated: bool) -> None:
    last = parse_websearch(q).clauses[-1][-1]
    assert last.negated is negated
    assert isinstance(last, Term)


@pytest.mark.parametrize("q", ["", "!!!", '"', "-", "- -", '""', "&|!()"])
def test_a_query_without_words_matches_nothing(q: str) -> None:
    query = parse_websearch(q)
    assert query.is_empty
    assert not query.matches(_document(("anything at all", None, None)))


@given(st.text(), st.text())
def test_any_input_parses_and_ranks_between_0_and_1(q: str, title: str) -> None:
    query = parse_websearch(q)
    document = _document((title, None, None))
    query.matches(document)
    assert 0.0 <= query.rank(document) <= 1.0
