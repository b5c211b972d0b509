"""Errors and the Fields collector: every fault reported, each under its field."""

from __future__ import annotations

import pytest

from library.domain.books import Title, Year
from library.domain.errors import (
    DomainError,
    DuplicateReview,
    FieldError,
    InvalidValue,
    NotFound,
    UnknownReferences,
    ValidationFailed,
)
from library.domain.ids import MAX_ID, is_valid_id, unique_ids
from library.domain.reviews import Rating
from library.domain.validation import Fields


class TestFields:
    def test_values_are_returned_when_all_is_well(self) -> None:
        fields = Fields()
        title = fields.check("title", lambda: Title(" Dune "))
        year = fields.check("year", lambda: Year(1965))
        fields.raise_if_any()
        assert (title, year) == (Title("Dune"), Year(1965))
        assert fields.errors == []

    def test_every_fault_is_reported_together_in_order(self) -> None:
        fields = Fields()
        fields.check("title", lambda: Title(""))
        fields.check("year", lambda: Year(0))
        fields.check("fine", lambda: Rating(3))
        fields.check("rating", lambda: Rating(9))
        fields.add("author_ids[1]", "must be an integer")
        with pytest.raises(ValidationFailed) as caught:
            fields.raise_if_any()
        assert caught.value.errors == (
            FieldError("title", "must not be empty"),
            FieldError("year", "must be an integer from 1 to 9999"),
            FieldError("rating", "must be between 1 and 5"),
            FieldError("author_ids[1]", "must be an integer"),
        )
        assert str(caught.value).startswith("title: must not be empty; year: ")

    def test_other_exceptions_are_not_swallowed(self) -> None:
        fields = Fields()

        def broken() -> None:
            raise KeyError("bug")

        with pytest.raises(KeyError):
            fields.check("x", broken)


class TestErrors:
    def test_every_error_is_a_domain_error(self) -> None:
        for error in (
            InvalidValue("m"),
            ValidationFailed.single("f", "m"),
            NotFound("book", 1),
            UnknownReferences("author", "author_ids", [(0, 1)]),
            DuplicateReview(1, "Rita"),
        ):
            assert isinstance(error, DomainError)

    def test_validation_failed_single(self) -> None:
        error = ValidationFailed.single("limit", "must be an integer")
        assert error.errors == (FieldError("limit", "must be an integer"),)
        assert str(error) == "limit: must be an integer"

    def test_not_found_names_the_resource(self) -> None:
        error = NotFound("book", 42)
        assert (error.entity, error.entity_id, str(error)) == ("book", 42, "book 42 does not exist")

    def test_unknown_references_has_one_entry_per_missing_id(self) -> None:
        error = UnknownReferences("author", "author_ids", [(0, 11), (2, 13), (5, 99)])
        assert error.errors == (
            FieldError("author_ids[0]", "author 11 does not exist"),
            FieldError("author_ids[2]", "author 13 does not exist"),
            FieldError("author_ids[5]", "author 99 does not exist"),
        )
        assert str(error) == "unknown author ids: 11, 13, 99"

    def test_duplicate_review_names_reviewer_and_book(self) -> None:
        error = DuplicateReview(3, "Rita")
        assert "'Rita'" in str(error)
        assert "book 3" in str(error)


class TestIds:
    @pytest.mark.parametrize("value", [1, 2, MAX_ID])
    def test_positive_bigints_are_ids(self, value: int) -> None:
        assert is_valid_id(value)

    @pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, True, 1.0, "1", None])
    def test_anything_else_is_not(self, value: object) -> None:
        assert not is_valid_id(value)

    def test_unique_ids_sorts_and_dedupes(self) -> None:
        assert unique_ids([3, 1, 3, 2, 1]) == (1, 2, 3)
        assert unique_ids(()) == ()
