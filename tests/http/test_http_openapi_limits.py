"""The limits /openapi.json states are the ones the service enforces, at both edges."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from library.domain.books import Isbn
from library.domain.errors import InvalidValue
from tests.http.http_api import Api, make_api

# Each creating route, the component of its body, and a valid body to vary one field of.
BODIES = {
    "BookInput": ("/books", {"title": "A title"}),
    "AuthorInput": ("/authors", {"name": "A name"}),
    "ReviewInput": ("/books/1/reviews", {"reviewer_name": "Rita", "rating": 3}),
}
_names = itertools.count()


def _document() -> dict[str, Any]:
    body = make_api().get("/openapi.json").json
    assert isinstance(body, dict)
    return body


def _text(field: str, length: int) -> str:
    if field == "email":  # the longest address of that length
        domain = "@example.org"
        return "a" * (length - len(domain)) + domain
    return "a" * length


DOCUMENT = _document()


def _cases() -> Iterator[Any]:
    schemas = DOCUMENT["components"]["schemas"]
    for component, (path, base) in BODIES.items():
        for field, schema in schemas[component]["properties"].items():
            if "maxLength" in schema:
                limit = schema["maxLength"]
                yield pytest.param(
                    path, base, field, _text(field, limit), _text(field, limit + 1), field,
                    id=f"{component}.{field}.maxLength",
                )  # fmt: skip
            if "minLength" in schema:
                limit = schema["minLength"]
                yield pytest.param(
                    path, base, field, "a" * limit, "", field, id=f"{component}.{field}.minLength"
                )
            for keyword, step in (("minimum", -1), ("maximum", 1)):
                if keyword in schema:
                    limit = schema[keyword]
                    yield pytest.param(
                        path, base, field, limit, limit + step, field,
                        id=f"{component}.{field}.{keyword}",
                    )  # fmt: skip
            items = schema.get("items", {})
            for keyword, step in (("minimum", -1), ("maximum", 1)):
                if keyword in items:
                    limit = items[keyword]
                    yield pytest.param(
                        path, base, field, [limit], [limit + step], f"{field}[0]",
                        id=f"{component}.{field}.items.{keyword}",
                    )  # fmt: skip


@pytest.mark.parametrize(("path", "base", "field", "inside", "outside", "fault"), list(_cases()))
def test_documented_limits_are_enforced(
    api: Api, path: str, base: dict[str, Any], field: str, inside: Any, outside: Any, fault: str
) -> None:
    api.book()  # book 1, for reviews
    if "reviewer_name" in base:
        base = {**base, "reviewer_name": f"Reviewer {next(_names)}"}
    accepted = api.post(path, {**base, field: inside})
    assert accepted.status_code != 422, accepted.text  # 201, or 400 for an unknown id
    refused = api.post(path, {**base, field: outside})
    assert refused.status_code == 422, refused.text
    assert [error["field"] for error in refused.json["errors"]] == [fault]


def test_every_limit_of_a_body_is_checked() -> None:
    assert len(list(_cases())) >= 14


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_isbn_the_documented_pattern_allows_is_accepted(data: st.DataObject) -> None:
    schemas = DOCUMENT["components"]["schemas"]
    pattern = schemas["BookInput"]["properties"]["book_isbn"]["pattern"]
    isbn = data.draw(st.from_regex(pattern, alphabet=st.characters(codec="utf-8")))
    try:
        parsed = Isbn.parse(isbn)
    except InvalidValue as error:
        raise AssertionError(f"{isbn!r} matches {pattern} but is refused") from error
    assert parsed is None or re.fullmatch(r"[0-9]{9}[0-9X]|[0-9]{13}", parsed.value)
    parameters = DOCUMENT["paths"]["/books"]["get"]["parameters"]
    (query,) = [p for p in parameters if p["name"] == "isbn"]
    assert query["schema"]["pattern"] == pattern
