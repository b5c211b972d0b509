"""Partial updates: telling a field left out from a field set to null."""

from __future__ import annotations

import enum
from typing import Final, TypeVar

T = TypeVar("T")


class Unset(enum.Enum):
    """The marker of a field absent from a partial update."""

    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def given(current: T, value: T | Unset) -> T:
    """The new value when one was given, else the current one."""
    if isinstance(value, Unset):
        return current
    return value
