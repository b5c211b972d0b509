"""Year (1..9999) and Rating (1..5): integers only, bool is not an integer here."""

from __future__ import annotations

import pytest

from library.domain.books import Year
from library.domain.errors import InvalidValue
from library.domain.reviews import Rating


@pytest.mark.parametrize("value", [1, 2, 1965, 9998, 9999])
def test_year_in_range_is_accepted(value: int) -> None:
    assert Year(value).value == value


@pytest.mark.parametrize("value", [0, -1, 10_000, 2**63, -(2**63)])
def test_year_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(InvalidValue, match="from 1 to 9999"):
        Year(value)


@pytest.mark.parametrize("value", [True, False, 1965.0, "1965", None, 1.5])
def test_year_must_be_a_plain_integer(value: object) -> None:
    with pytest.raises(InvalidValue):
        Year(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_rating_in_range_is_accepted(value: int) -> None:
    assert Rating(value).value == value


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_rating_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(InvalidValue, match="between 1 and 5"):
        Rating(value)


@pytest.mark.parametrize("value", [True, False, 5.0, "5", None])
def test_rating_must_be_a_plain_integer(value: object) -> None:
    with pytest.raises(InvalidValue, match="between 1 and 5"):
        Rating(value)  # type: ignore[arg-type]
