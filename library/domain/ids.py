"""Identity rules shared by every aggregate."""

from __future__ import annotations

from library.domain.errors import InvalidValue

MAX_ID = 2**63 - 1  # PostgreSQL bigint


def is_valid_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def check_id(value: object) -> int:
    """Return `value` if it is a positive integer in the bigint range.

    Raises:
        InvalidValue: otherwise.
    """
    if not is_valid_id(value):
        raise InvalidValue(f"must be an integer from 1 to {MAX_ID}")
    assert isinstance(value, int)
    return value


def unique_ids(ids: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """Drop repeated ids and order the rest ascending (lists are shown ordered by id)."""
    return tuple(sorted(set(ids)))
