"""Query strings: known parameters as text, for the read side to check.

Unknown parameters are ignored and empty ones are dropped by Falcon (see `create_app`'s
`keep_blank_qs_values`), so an empty value counts as absent. A single-valued parameter given
twice is a 422; only `sort` repeats. Commas are never split (`auto_parse_qs_csv` is off).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import TypeVar

import attrs
import falcon

from library.application.catalogue import author_filter, book_list_query
from library.application.errors import InvalidQuery
from library.application.list_params import AuthorListParams, BookListParams
from library.domain.errors import FieldError, ValidationFailed

P = TypeVar("P")


def _single(req: falcon.Request, name: str, repeated: list[FieldError]) -> str | None:
    value = req.params.get(name)
    if isinstance(value, list):
        repeated.append(FieldError(name, "must be given at most once"))
        return None
    return value


def _checked(params: P, repeated: list[FieldError], check: Callable[[P], object]) -> P:
    """Refuse repeated parameters, listing the other parameters' faults with them."""
    if not repeated:
        return params
    try:
        check(params)  # a pure check of the rest, so one answer names every fault
    except ValidationFailed as error:
        raise ValidationFailed([*repeated, *error.errors]) from error
    except InvalidQuery:
        pass  # combination rules come after the 422 checks
    raise ValidationFailed(repeated)


@functools.cache
def _repeatable(params: type) -> frozenset[str]:
    """The parameters of `params` that may repeat: those read into tuples (`sort`)."""
    hints = typing.get_type_hints(params)
    return frozenset(name for name, hint in hints.items() if typing.get_origin(hint) is tuple)


def _read(req: falcon.Request, params: Callable[..., P], repeated: list[FieldError]) -> P:
    """Each field of the parameter class `params`, from the query string by its name."""
    values: dict[str, object] = {}
    repeatable = _repeatable(params)
    for field in attrs.fields(typing.cast(type[attrs.AttrsInstance], params)):
        if field.name in repeatable:
            value = req.params.get(field.name)
            values[field.name] = (
                () if value is None else (value,) if isinstance(value, str) else tuple(value)
            )
        else:
            values[field.name] = _single(req, field.name, repeated)
    return params(**values)


def book_list_params(req: falcon.Request) -> BookListParams:
    """Read the `GET /books` parameters of `req`.

    Raises:
        ValidationFailed: a single-valued parameter is given more than once.
    """
    repeated: list[FieldError] = []
    params = _read(req, BookListParams, repeated)
    return _checked(params, repeated, book_list_query)


def author_list_params(req: falcon.Request) -> AuthorListParams:
    """Read the `GET /authors` parameters of `req` (as `book_list_params`)."""
    repeated: list[FieldError] = []
    params = _read(req, AuthorListParams, repeated)
    return _checked(params, repeated, author_filter)
