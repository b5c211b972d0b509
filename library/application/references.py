"""Checks shared by the use cases that take lists of ids in a body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from library.domain.errors import UnknownReferences
from library.domain.ids import MAX_ID, is_valid_id
from library.domain.validation import Fields


def check_ids(fields: Fields, field: str, ids: Sequence[int]) -> None:
    """Record a field error for every id that is not a positive bigint."""
    for index, value in enumerate(ids):
        if not is_valid_id(value):
            fields.add(f"{field}[{index}]", f"must be an integer from 1 to {MAX_ID}")


async def require_existing(
    entity: str,
    field: str,
    ids: Sequence[int],
    existing: Callable[[Collection[int]], Awaitable[set[int]]],
) -> None:
    """Raise UnknownReferences naming each id of `ids` that does not exist."""
    if not ids:
        return
    found = await existing(set(ids))
    missing: list[tuple[int, int]] = []
    reported: set[int] = set()
    for index, value in enumerate(ids):
        if value not in found and value not in reported:
            reported.add(value)  # one entry per missing id, at its first position
            missing.append((index, value))
    if missing:
        raise UnknownReferences(entity, field, missing)
