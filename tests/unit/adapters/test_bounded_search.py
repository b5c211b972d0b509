"""The bounded search's reading of a query and its choice of candidates, without a database."""

from __future__ import annotations

import math

import pytest

from library.adapters.postgres.bounded_search import (
    Author,
    Facts,
    WordBounds,
    first_choice,
    plain_words,
    widened_choice,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ()),
        ("'river'", ("river",)),
        ("'silent' & 'river'", ("silent", "river")),
        ("'river' & 'river'", ("river",)),
        ("'o''brien'", ("o'brien",)),
        ("'a\\\\b'", ("a\\b",)),
        ("'x.com/a''b' & 'c'", ("x.com/a'b", "c")),
    ],
)
def test_an_and_of_plain_words_is_read_into_its_words(text: str, words: tuple[str, ...]) -> None:
    assert plain_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "'silent' <-> 'river'",  # a phrase
        "'silent' | 'river'",
        "'silent' & !'river'",
        "'a' & 'b' & 'c'",
        "'river':*",
        "'river':A",
    ],
)
def test_other_forms_are_left_to_the_full_plan(text: str) -> None:
    assert plain_words(text) is None


def _facts(**changes: object) -> Facts:
    values: dict[str, object] = {
        "lexemes": ("river",),
        "words": (WordBounds(3, 0.2, 3, 0.17),),
        "authors": (Author(1, 0.5), Author(2, 0.5), Author(3, 0.4)),
        "other_authors": 0.2,
        "every_author": True,
        "threshold": 0.3,
        "books": 100_000.0,
        "books_per_author": 800.0,
        "titles_from": 0.6,
        "titled": 21,
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def test_the_first_try_takes_the_best_titles_and_the_most_similar_authors_whole() -> None:
    choice = first_choice(_facts(), 21, None)
    assert (choice.titles_from, choice.authors, choice.similar_from) == (0.6, 2, None)
    # Below the cut, a title scores at most the cut, plus the best author left out.
    assert choice.bound == pytest.approx(0.6 + 0.15 * 0.4, abs=1e-5)


def test_a_first_try_whose_titles_cannot_fill_the_page_takes_similar_titles() -> None:
    choice = first_choice(_facts(titles_from=None, titled=3), 21, 0.1)
    assert choice.titles_from == -math.inf  # every title of the word
    assert choice.similar_from == 0.5
    assert choice.every_match_from == 0.1


def test_a_widened_try_proves_any_score_some_set_can_reach() -> None:
    facts = _facts()
    for score in (0.2, 0.35, 0.5, 0.64, 0.9):
        choice = widened_choice(facts, score)
        assert choice is not None
        assert choice.bound < score


def test_every_author_is_taken_only_once_every_one_was_read() -> None:
    facts = _facts(every_author=False, other_authors=0.35)
    choice = widened_choice(facts, 0.12)
    # Books of the unread authors may score 0.25 x 0.3 + 0.15 x 0.35 = 0.13: no set proves.
    assert choice is None
