"""Collect value errors field by field, so a client learns every fault at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from library.domain.errors import FieldError, InvalidValue, ValidationFailed

T = TypeVar("T")


class Fields:
    """Build several values, remembering which fields failed and why.

    Example:
        fields = Fields()
        title = fields.check("title", lambda: Title(raw_title))
        fields.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, field: str, build: Callable[[], T]) -> T:
        """Return `build()`, or record its InvalidValue under `field` and return None."""
        try:
            return build()
        except InvalidValue as error:
            self.errors.append(FieldError(field, error.message))
            return None  # type: ignore[return-value]  # never used: raise_if_any follows

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
