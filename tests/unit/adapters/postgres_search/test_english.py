"""The `english` configuration as the emulation applies it, against PostgreSQL's answers.

Expected lexemes were read from PostgreSQL 15 with `ts_lexize('english_stem', word)` and
`to_tsvector('english', text)`; the stop words are PostgreSQL 15's `english.stop`.
"""

from __future__ import annotations

import pytest

from library.adapters.memory.postgres_search.english import lexeme, parse
from library.adapters.memory.postgres_search.english_stop_words import ENGLISH_STOP_WORDS

# (word, ts_lexize('english_stem', word)[1])
STEMS = [
    ("running", "run"),
    ("runs", "run"),
    ("ran", "ran"),
    ("runner", "runner"),
    ("libraries", "librari"),
    ("library", "librari"),
    ("librarian", "librarian"),
    ("generously", "generous"),
    ("generation", "generat"),
    ("connections", "connect"),
    ("dying", "die"),
    ("skies", "sky"),
    ("news", "news"),
    ("happily", "happili"),
    ("happiness", "happi"),
    ("wolves", "wolv"),
    ("geese", "gees"),
    ("caresses", "caress"),
    ("ponies", "poni"),
    ("argued", "argu"),
    ("agreement", "agreement"),
    ("quickly", "quick"),
    ("cafes", "cafe"),
    ("москва", "москва"),
    ("βιβλια", "βιβλια"),
]
# Words Snowball 3 (snowballstemmer 3.x) stems differently from PostgreSQL 15's Snowball 2.2.
SNOWBALL_2_STEMS = [
    ("adding", "ad"),
    ("universities", "univers"),
    ("organization", "organ"),
    ("internal", "intern"),
    ("pasted", "past"),
]
# (folded text, to_tsvector('english', text) as (position, lexeme), in position order)
PARSES = [
    ("the cats of the library ran", [(2, "cat"), (5, "librari"), (6, "ran")]),
    ("1984 r2d2 runs2 running", [(1, "1984"), (2, "r2d2"), (3, "runs2"), (4, "run")]),
    ("the cat's toy", [(2, "cat"), (4, "toy")]),
    ("don't", []),
    ("the of and", []),
    ("", []),
]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_a_word_s_lexeme_is_its_english_stem(word: str, expected: str) -> None:
    assert lexeme(word) == expected


@pytest.mark.parametrize(("word", "expected"), SNOWBALL_2_STEMS)
def test_the_stemmer_is_postgresql_15_s_snowball_2(word: str, expected: str) -> None:
    assert lexeme(word) == expected, (
        "snowballstemmer 3 changed the English stemmer; PostgreSQL 15 compiles in Snowball"
        " 2.2, so the service needs snowballstemmer 2.2"
    )


@pytest.mark.parametrize("word", ["the", "a", "or", "not", "s", "t", "don", "because"])
def test_a_stop_word_has_no_lexeme(word: str) -> None:
    assert lexeme(word) is None


def test_the_stop_words_are_those_of_english_stop() -> None:
    assert len(ENGLISH_STOP_WORDS) == 127
    assert {"i", "me", "ourselves", "against", "nor", "should", "now"} <= ENGLISH_STOP_WORDS
    assert all(word.isalpha() and word == word.lower() for word in ENGLISH_STOP_WORDS)


def test_words_holding_digits_are_kept_whole() -> None:
    assert lexeme("runs2") == "runs2"
    assert lexeme("2nd") == "2nd"


@pytest.mark.parametrize(("text", "expected"), PARSES)
def test_stop_words_keep_their_positions(text: str, expected: list[tuple[int, str]]) -> None:
    assert parse(text) == expected


def test_long_words_are_kept_unstemmed_then_left_out() -> None:
    # Over 1000 bytes the stemmer is not called; over 2047 the word takes no position.
    stemmed, kept, dropped = "a" * 996 + "ings", "b" * 1001 + "s", "c" * 2048
    assert parse(f"dog {stemmed} cats") == [(1, "dog"), (2, "a" * 996), (3, "cat")]
    assert parse(f"dog {kept} cats") == [(1, "dog"), (2, kept), (3, "cat")]
    assert parse(f"dog {dropped} cats") == [(1, "dog"), (2, "cat")]
