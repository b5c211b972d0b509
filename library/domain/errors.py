"""Errors the domain raises; the HTTP edge maps each to one problem type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen


class DomainError(Exception):
    """Base of every error a rule of the catalogue raises."""


@frozen
class FieldError:
    """One field (or query parameter) at fault, with a sentence saying why."""

    field: str
    message: str


class InvalidValue(DomainError):
    """A single value breaks a rule (length, range, form).

    Value objects raise it without knowing which field they fill; `validation.Fields.check`
    attaches the field name.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """One or more fields break a rule; every field at fault is listed."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class NotFound(DomainError):
    """The resource named in the request does not exist."""

    def __init__(self, entity: str, entity_id: int) -> None:
        super().__init__(f"{entity} {entity_id} does not exist")
        self.entity = entity
        self.entity_id = entity_id


class UnknownReferences(DomainError):
    """A request body refers to ids that do not exist."""

    def __init__(self, entity: str, field: str, positions: Iterable[tuple[int, int]]) -> None:
        """Name the missing ids.

        Args:
            entity: what the ids name ("author", "book").
            field: the body field that holds them ("author_ids").
            positions: (index in the field, missing id) pairs.
        """
        self.entity = entity
        self.field = field
        self.positions = tuple(positions)
        ids = ", ".join(str(i) for _, i in self.positions)
        super().__init__(f"unknown {entity} ids: {ids}")

    @property
    def errors(self) -> tuple[FieldError, ...]:
        return tuple(
            FieldError(f"{self.field}[{index}]", f"{self.entity} {missing} does not exist")
            for index, missing in self.positions
        )


class DuplicateReview(DomainError):
    """A reviewer tries to review the same book twice."""

    def __init__(self, book_id: int, reviewer_name: str) -> None:
        super().__init__(f"{reviewer_name!r} has already reviewed book {book_id}")
        self.book_id = book_id
        self.reviewer_name = reviewer_name
