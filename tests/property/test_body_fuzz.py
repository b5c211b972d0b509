"""Arbitrary bodies to every write route: always a documented 2xx or 4xx, never a 5xx.

Bodies are arbitrary JSON values (biased towards objects with the real field names, so some
get past the shape checks), arbitrary byte strings, and arbitrary media types.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from falcon import testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app

ROUTES = [
    ("POST", "/books"),
    ("PUT", "/books/{book}"),
    ("PATCH", "/books/{book}"),
    ("PUT", "/books/{book}/authors"),
    ("POST", "/books/{book}/reviews"),
    ("PATCH", "/reviews/{review}"),
    ("POST", "/authors"),
    ("PUT", "/authors/{author}"),
    ("PATCH", "/authors/{author}"),
]
DOCUMENTED = {200, 201, 400, 404, 413, 415, 422}
PROBLEM_TYPES = {
    400: {"malformed-json", "unknown-reference", "duplicate-review"},
    404: {"not-found"},
    413: {"payload-too-large"},
    415: {"unsupported-media-type"},
    422: {"validation-error"},
}
FIELDS = [
    "title",
    "year",
    "book_isbn",
    "genre_name",
    "description",
    "author_ids",
    "name",
    "email",
    "book_ids",
    "reviewer_name",
    "rating",
    "comment",
]
MEDIA_TYPES = st.sampled_from(
    [None, "application/json", "application/json; charset=utf-8", "application/x+json"]
) | st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=20,
)
plausible_objects = st.dictionaries(
    st.sampled_from(FIELDS),
    scalars | st.lists(st.integers(min_value=-3, max_value=5) | scalars, max_size=4),
    max_size=6,
)


def seeded_client() -> tuple[testing.TestClient, dict[str, int]]:
    """A fresh catalogue with one author, one book and one review."""
    client = testing.TestClient(
        create_app(create_container(Settings(max_body_bytes=4096).drop_in()))
    )
    author = client.simulate_post("/authors", json={"name": "Ursula"}).json["id"]
    book = client.simulate_post("/books", json={"title": "Earthsea", "author_ids": [author]})
    review = client.simulate_post(
        f"/books/{book.json['id']}/reviews", json={"reviewer_name": "Rita", "rating": 5}
    )
    return client, {"author": author, "book": book.json["id"], "review": review.json["id"]}


def check(result: testing.Result) -> None:
    assert result.status_code in DOCUMENTED, result.text
    if result.status_code >= 400:
        assert result.headers["content-type"] == "application/problem+json"
        problem = result.json
        assert problem["status"] == result.status_code
        assert problem["type"].removeprefix("/problems/") in PROBLEM_TYPES[result.status_code]
        assert isinstance(problem["title"], str)
        assert isinstance(problem["detail"], str)
        for error in problem.get("errors", []):
            assert isinstance(error["field"], str)
            assert isinstance(error["message"], str)
    else:
        assert result.headers["content-type"] == "application/json"


def send(route: tuple[str, str], body: bytes, media_type: str | None) -> testing.Result:
    client, ids = seeded_client()
    method, path = route
    headers = {} if media_type is None else {"Content-Type": media_type}
    return client.simulate_request(method, path.format(**ids), body=body, headers=headers)


def encode(value: Any) -> bytes:
    return json.dumps(value, allow_nan=False).encode()


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(route=st.sampled_from(ROUTES), value=json_values | plausible_objects)
def test_any_json_value(route: tuple[str, str], value: Any) -> None:
    check(send(route, encode(value), "application/json"))


@FAST
@given(route=st.sampled_from(ROUTES), body=st.binary(max_size=200), media_type=MEDIA_TYPES)
def test_any_bytes_with_any_media_type(
    route: tuple[str, str], body: bytes, media_type: str | None
) -> None:
    check(send(route, body, media_type))


@FAST
@given(route=st.sampled_from(ROUTES), body=st.binary(min_size=4000, max_size=5000))
def test_bodies_near_the_size_limit(route: tuple[str, str], body: bytes) -> None:
    check(send(route, body, None))


@pytest.mark.slow
@SLOW
@given(
    route=st.sampled_from(ROUTES),
    value=json_values | plausible_objects,
    media_type=MEDIA_TYPES,
)
def test_any_json_value_at_length(
    route: tuple[str, str], value: Any, media_type: str | None
) -> None:
    check(send(route, encode(value), media_type))


@pytest.mark.slow
@SLOW
@given(route=st.sampled_from(ROUTES), body=st.binary(max_size=2000), media_type=MEDIA_TYPES)
def test_any_bytes_at_length(route: tuple[str, str], body: bytes, media_type: str | None) -> None:
    check(send(route, body, media_type))
