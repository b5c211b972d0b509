"""Free-text value objects: trimmed, bounded, no NUL; required ones refuse empty text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from library.domain.authors import AuthorName
from library.domain.books import Description, Genre, Title
from library.domain.errors import InvalidValue
from library.domain.reviews import Comment, ReviewerName

REQUIRED: list[tuple[Callable[[str], object], int]] = [
    (Title, 500),
    (AuthorName, 200),
    (ReviewerName, 50),
]
OPTIONAL: list[tuple[Callable[[str | None], object], int]] = [
    (Genre.parse, 127),
    (Description.parse, 20_000),
    (Comment.parse, 5_000),
]
REQUIRED_IDS = ["title", "author-name", "reviewer-name"]
OPTIONAL_IDS = ["genre", "description", "comment"]


@pytest.mark.parametrize(("build", "limit"), REQUIRED, ids=REQUIRED_IDS)
class TestRequiredText:
    def test_surrounding_white_space_is_trimmed(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        assert build("  \t Rita Hayworth \n").value == "Rita Hayworth"  # type: ignore[attr-defined]

    def test_inner_white_space_is_kept(self, build: Callable[[str], object], limit: int) -> None:
        assert build("a  b\tc").value == "a  b\tc"  # type: ignore[attr-defined]

    def test_one_character_is_the_lower_bound(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        assert build("x").value == "x"  # type: ignore[attr-defined]

    @pytest.mark.parametrize("raw", ["", " ", "\t\n\r ", "\u00a0\u2003"])
    def test_empty_after_trimming_is_refused(
        self, build: Callable[[str], object], limit: int, raw: str
    ) -> None:
        with pytest.raises(InvalidValue, match="must not be empty"):
            build(raw)

    def test_exactly_the_limit_is_accepted(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        assert len(build("é" * limit).value) == limit  # type: ignore[attr-defined]

    def test_the_limit_counts_after_trimming(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        assert build("   " + "a" * limit + "   ").value == "a" * limit  # type: ignore[attr-defined]

    def test_one_over_the_limit_is_refused(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        with pytest.raises(InvalidValue, match=f"at most {limit} characters"):
            build("a" * (limit + 1))

    @pytest.mark.parametrize("raw", ["\x00", "a\x00b", "abc\x00", " \x00 "])
    def test_nul_is_refused(self, build: Callable[[str], object], limit: int, raw: str) -> None:
        with pytest.raises(InvalidValue, match="NUL"):
            build(raw)

    @pytest.mark.parametrize("raw", [None, 5, b"bytes", ["a"]])
    def test_a_non_string_is_refused(
        self, build: Callable[[object], object], limit: int, raw: object
    ) -> None:
        with pytest.raises(InvalidValue, match="must be a string"):
            build(raw)

    def test_equal_after_trimming_means_equal(
        self, build: Callable[[str], object], limit: int
    ) -> None:
        assert build(" Dune ") == build("Dune")


@pytest.mark.parametrize(("parse", "limit"), OPTIONAL, ids=OPTIONAL_IDS)
class TestOptionalText:
    def test_none_is_none(self, parse: Callable[[str | None], object], limit: int) -> None:
        assert parse(None) is None

    @pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
    def test_empty_after_trimming_is_none(
        self, parse: Callable[[str | None], object], limit: int, raw: str
    ) -> None:
        assert parse(raw) is None

    def test_trimmed(self, parse: Callable[[str | None], object], limit: int) -> None:
        assert parse("  Science Fiction ").value == "Science Fiction"  # type: ignore[attr-defined]

    def test_exactly_the_limit_is_accepted(
        self, parse: Callable[[str | None], object], limit: int
    ) -> None:
        assert parse(" " + "a" * limit + " ").value == "a" * limit  # type: ignore[attr-defined]

    def test_one_over_the_limit_is_refused(
        self, parse: Callable[[str | None], object], limit: int
    ) -> None:
        with pytest.raises(InvalidValue, match=f"at most {limit} characters"):
            parse("a" * (limit + 1))

    def test_nul_is_refused(self, parse: Callable[[str | None], object], limit: int) -> None:
        with pytest.raises(InvalidValue, match="NUL"):
            parse("fan\x00tasy")

    def test_a_non_string_is_refused(self, parse: Callable[[object], object], limit: int) -> None:
        with pytest.raises(InvalidValue, match="must be a string"):
            parse(42)
