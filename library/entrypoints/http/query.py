"""Query strings: known parameters as text, for the read side to check.

Unknown parameters are ignored and empty ones are dropped by Falcon (see `create_app`'s
`keep_blank_qs_values`), so an empty value counts as absent. A single-valued parameter given
twice is a 422; only `sort` repeats. Commas are never split (`auto_parse_qs_csv` is off).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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


def book_list_params(req: falcon.Request) -> BookListParams:
    """Read the `GET /books` parameters of `req`.

    Raises:
        ValidationFailed: a single-valued parameter is given more than once.
    """
    repeated: list[FieldError] = []
    sort = req.params.get("sort")
    params = BookListParams(
        q=_single(req, "q", repeated),
        title=_single(req, "title", repeated),
        isbn=_single(req, "isbn", repeated),
        author_id=_single(req, "author_id", repeated),
        before=_single(req, "before", repeated),
        after=_single(req, "after", repeated),
        limit=_single(req, "limit", repeated),
        offset=_single(req, "offset", repeated),
        cursor=_single(req, "cursor", repeated),
        sort=() if sort is None else (sort,) if isinstance(sort, str) else tuple(sort),
    )
    return _checked(params, repeated, book_list_query)


def author_list_params(req: falcon.Request) -> AuthorListParams:
    """Read the `GET /authors` parameters of `req` (as `book_list_params`)."""
    repeated: list[FieldError] = []
    params = AuthorListParams(
        q=_single(req, "q", repeated),
        name=_single(req, "name", repeated),
        email=_single(req, "email", repeated),
        limit=_single(req, "limit", repeated),
        offset=_single(req, "offset", repeated),
    )
    return _checked(params, repeated, author_filter)
