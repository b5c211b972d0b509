"""Identity rules shared by every aggregate."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # PostgreSQL bigint


def is_valid_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def unique_ids(ids: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """Drop repeated ids and order the rest ascending (lists are shown ordered by id)."""
    return tuple(sorted(set(ids)))
