"""pg_trgm as the emulation computes it, against PostgreSQL's answers.

Every expected value below was read from PostgreSQL 15 (Debian 12, locale C.UTF-8) with
pg_trgm and unaccent installed: `show_trgm(s)` and
`similarity(unaccent(lower(a)), unaccent(lower(b)))` (which returns a float4, hence the
tolerance).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.adapters.memory.postgres_search.trigrams import similarity, trigrams
from library.adapters.memory.postgres_search.unaccent import fold
from library.adapters.memory.postgres_search.words import words

# (text, number of elements of show_trgm(text))
TRIGRAM_COUNTS = [
    ("Hello, World! a 1", 16),
    ("cat", 4),
    ("a", 2),
    ("x y z", 6),
    ("hello_world", 12),
    ("R2-D2", 6),
    ("!!!", 0),
    ("", 0),
    ("²³", 0),
    ("हिन्दी", 7),
    ("Ⓐⓑⓒ", 4),
    ("foo.bar@example.com", 20),
]
# (a, b, similarity(unaccent(lower(a)), unaccent(lower(b))))
SIMILARITY_CASES = [
    ("word", "two words", 0.36363637),
    ("dune", "Dune", 1.0),
    ("dune", "Children of Dune", 0.29411766),
    ("herbert frank", "Frank Herbert", 1.0),
    ("gaimen", "Neil Gaiman", 0.26666668),
    ("gaiman", "neil@sandman.example", 0.07692308),
    ("garcia marquez", "Gabriel García Márquez", 0.71428573),
    ("earthsea", "A Wizard of Earthsea", 0.42857143),
    ("lord rings", "The Lord of the Rings", 0.6111111),
    ("a", "a", 1.0),
    ("a", "ab", 0.25),
    ("ab", "abc", 0.4),
    ("1984", "Nineteen Eighty-Four 1984", 0.1923077),
    ("", "", 0.0),
    ("", "x", 0.0),
    ("!!!", "???", 0.0),
    ("C++", "C", 1.0),
    ("foundation", "Foundation and Empire", 0.5),
    ("Москва", "москва река", 0.5833333),
    ("東京", "東京都", 0.4),
    ("naïve café", "naive cafe", 1.0),
    ("Straße", "strasse", 1.0),
    ("Łódź", "lodz", 1.0),
    ("ΟΔΟΣ", "οδος", 0.42857143),
    ("hello_world", "hello world", 1.0),
    ("R2-D2", "r2d2", 0.375),
    ("हिन्दी", "हिन्दी भाषा", 0.5833333),
    ("ursula", "ursula@earthsea.example", 0.3043478),
    ("guards", "Guards! Guards!", 1.0),
    ("omens", "Good Omens", 0.54545456),
]


@pytest.mark.parametrize(("text", "expected"), TRIGRAM_COUNTS)
def test_trigrams_are_those_of_show_trgm(text: str, expected: int) -> None:
    assert len(trigrams(text)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), SIMILARITY_CASES)
def test_similarity_is_pg_trgm_similarity(a: str, b: str, expected: float) -> None:
    assert similarity(fold(a), fold(b)) == pytest.approx(expected, abs=1e-6)


def test_trigrams_pad_words_with_two_spaces_before_and_one_after() -> None:
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert trigrams("a") == {"  a", " a "}


def test_words_split_on_underscore_and_punctuation() -> None:
    assert words("hello_world, R2-D2!") == ["hello", "world", "r2", "d2"]


@given(st.text(), st.text())
def test_similarity_is_symmetric_and_between_0_and_1(a: str, b: str) -> None:
    value = similarity(a, b)
    assert 0.0 <= value <= 1.0
    assert value == similarity(b, a)


@given(st.text(min_size=1).filter(lambda text: bool(words(text))))
def test_a_text_with_words_is_fully_similar_to_itself(text: str) -> None:
    assert similarity(text, text) == 1.0
