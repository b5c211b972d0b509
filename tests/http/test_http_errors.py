"""Routing, media type, size, malformed JSON, the problem shape and the order of checks."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import pytest
from dependency_injector import providers
from falcon import testing
from falcon.util import async_to_sync

from library.application.errors import StorageUnavailable
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from tests.http.http_api import PROBLEM, Api, assert_problem

# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/nope",
        "/books/1/nope",
        "/books/abc",
        "/books/0",
        "/books/-1",
        "/books/1.0",
        "/books/+1",
        "/books/1_0",
        "/books/%D9%A1",  # an Arabic-Indic digit one
        "/books/9223372036854775808",
        "/books/99999999999999999999999999",
        "/authors/x/books",
        "/reviews/0",
    ],
)
def test_unknown_routes_and_non_ids_are_404_problems(api: Api, path: str) -> None:
    assert_problem(api.get(path), 404, "not-found")


def test_the_largest_bigint_is_a_routable_id(api: Api) -> None:
    result = api.get("/books/9223372036854775807")
    body = assert_problem(result, 404, "not-found")
    assert "9223372036854775807" in body["detail"]


def test_leading_zeros_still_name_the_id(api: Api) -> None:
    book = api.book()
    assert api.get(f"/books/00{book['id']}").json["id"] == book["id"]


@pytest.mark.parametrize(
    "path", ["/books/", "/authors/", "/books/{book}/", "/books/{book}/reviews/", "/healthz/"]
)
def test_a_trailing_slash_is_the_same_route(api: Api, path: str) -> None:
    book = api.book()
    result = api.get(path.format(book=book["id"]))
    assert result.status_code == 200
    assert "location" not in result.headers


def test_a_trailing_slash_works_for_writes_too(api: Api) -> None:
    result = api.post("/authors/", {"name": "A"})
    assert result.status_code == 201
    assert result.headers["location"] == f"/authors/{result.json['id']}"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/books", {"GET", "POST"}),
        ("POST", "/books/1", {"GET", "PUT", "PATCH", "DELETE"}),
        ("GET", "/books/1/authors", {"PUT"}),
        ("DELETE", "/books/1/reviews", {"GET", "POST"}),
        ("PUT", "/reviews/1", {"GET", "PATCH", "DELETE"}),
        ("PATCH", "/authors", {"GET", "POST"}),
        ("POST", "/authors/1/books", {"GET"}),
        ("POST", "/healthz", {"GET"}),
        ("DELETE", "/readyz", {"GET"}),
    ],
)
def test_a_method_the_route_lacks_is_405_with_allow(
    api: Api, method: str, path: str, allowed: set[str]
) -> None:
    result = api.request(method, path)
    body = assert_problem(result, 405, "method-not-allowed")
    assert {m.strip() for m in result.headers["allow"].split(",")} - {"OPTIONS"} == allowed
    assert method in body["detail"]


# --- media type -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", "json", "text/json"],
)
def test_a_body_of_another_media_type_is_415(api: Api, content_type: str) -> None:
    result = api.send("POST", "/authors", b'{"name": "A"}', content_type)
    assert_problem(result, 415, "unsupported-media-type")
    assert api.get("/authors").json == []


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON;charset=UTF-8",
        "application/merge-patch+json",
        "application/vnd.library+json; version=1",
    ],
)
def test_json_media_types_and_none_at_all_are_accepted(api: Api, content_type: str | None) -> None:
    result = api.send("POST", "/authors", b'{"name": "A"}', content_type)
    assert result.status_code == 201, result.text


# --- size -----------------------------------------------------------------------------------


def small_api(limit: int) -> Api:
    from tests.http.http_api import make_api

    return make_api(Settings(max_body_bytes=limit).drop_in())


def test_a_body_over_the_limit_is_413() -> None:
    api = small_api(64)
    body = orjson.dumps({"name": "A" * 100})
    assert_problem(api.send("POST", "/authors", body, "application/json"), 413, "payload-too-large")
    assert api.get("/authors").json == []


def test_a_body_at_the_limit_is_read() -> None:
    api = small_api(64)
    body = orjson.dumps({"name": "A" * 40}).ljust(64)
    assert len(body) == 64
    assert api.send("POST", "/authors", body, "application/json").status_code == 201


def test_the_default_limit_is_one_mebibyte(api: Api) -> None:
    over = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    assert_problem(api.send("POST", "/authors", over, None), 413, "payload-too-large")
    under = b'{"name": "A", "email": null}' + b" " * (1024 * 1024 - 40)
    assert api.send("POST", "/authors", under, None).status_code == 201


def raw_asgi(
    app: Any, method: str, path: str, chunks: list[bytes], headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Send a body in chunks without Content-Length, as a chunked HTTP/1.1 request does."""
    scope = testing.create_scope(path=path, method=method, headers=headers)
    events = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return events.pop(0) if events else {"type": "http.disconnect"}

    async def send(event: dict[str, Any]) -> None:
        sent.append(event)

    async def call() -> None:
        await app(scope, receive, send)

    async_to_sync(call)
    start = next(e for e in sent if e["type"] == "http.response.start")
    body = b"".join(e.get("body", b"") for e in sent if e["type"] == "http.response.body")
    response_headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], response_headers, body


def test_a_body_without_content_length_is_cut_at_the_limit() -> None:
    app = create_app(create_container(Settings(max_body_bytes=64).drop_in()))
    chunks = [b'{"name": "', b"x" * 40, b"x" * 40, b'"}']
    status, headers, body = raw_asgi(app, "POST", "/authors", chunks, {})
    assert status == 413
    assert headers["content-type"] == PROBLEM
    assert orjson.loads(body)["type"] == "/problems/payload-too-large"
    status, _, body = raw_asgi(app, "POST", "/authors", [b'{"name": ', b'"A"}'], {})
    assert status == 201, body


# --- malformed JSON -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"name": "A",}',
        b"{'name': 'A'}",
        b'{"name": NaN}',
        b'{"name": Infinity}',
        b'{"name": "\\ud800"}',
        b'{"name": "\xff"}',
        b"\xef\xbb\xbf{}",
        b"[" * 5000 + b"]" * 5000,
        b'{"name": "A"} trailing',
    ],
)
def test_json_that_does_not_parse_is_400(api: Api, raw: bytes) -> None:
    result = api.send("POST", "/authors", raw, "application/json")
    assert_problem(result, 400, "malformed-json")


def test_integers_beyond_64_bits_parse_and_fail_validation(api: Api) -> None:
    raw = b'{"title": "T", "year": 123456789012345678901234567890}'
    assert_problem(api.send("POST", "/books", raw, None), 422, "validation-error", fields=["year"])


# --- the problem document -------------------------------------------------------------------


def test_problems_stay_json_whatever_the_client_accepts(api: Api) -> None:
    for accept in ("application/xml", "text/html", "*/*"):
        result = api.get("/books/1", headers={"Accept": accept})
        assert_problem(result, 404, "not-found")
        assert set(result.json) == {"type", "title", "status", "detail"}


def test_validation_problem_has_the_documented_shape(api: Api) -> None:
    result = api.post(f"/books/{api.book()['id']}/reviews", {"reviewer_name": "R", "rating": 9})
    assert result.json == {
        "type": "/problems/validation-error",
        "title": "Invalid request",
        "status": 422,
        "detail": result.json["detail"],
        "errors": [{"field": "rating", "message": "must be between 1 and 5"}],
    }


def test_titles_are_fixed_per_type(api: Api) -> None:
    first = api.get("/books/1").json
    second = api.get("/nowhere").json
    assert first["title"] == second["title"]
    assert first["detail"] != second["detail"]


class Failing:
    """A use case that fails the way a broken adapter would."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def __call__(self, *args: object) -> None:
        raise self.error


def api_with(use_case: str, replacement: object) -> Api:
    container = create_container(Settings().drop_in())
    getattr(container, use_case).override(providers.Object(replacement))
    return Api(testing.TestClient(create_app(container)))


def test_an_unexpected_error_is_a_500_problem_without_internals(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = api_with("show_book", Failing(RuntimeError("SELECT secret FROM books")))
    with caplog.at_level(logging.ERROR):
        result = api.get("/books/1")
    body = assert_problem(result, 500, "internal-error")
    assert "secret" not in result.text
    assert "Traceback" not in result.text
    assert set(body) == {"type", "title", "status", "detail"}
    assert any(r.exc_info and "SELECT secret" in str(r.exc_info[1]) for r in caplog.records)


def test_unavailable_storage_is_503_with_retry_after() -> None:
    api = api_with("add_author", Failing(StorageUnavailable(retry_after=7)))
    result = api.post("/authors", {"name": "A"})
    assert_problem(result, 503, "service-unavailable")
    assert result.headers["retry-after"] == "7"


# --- order of checks ------------------------------------------------------------------------


def test_routing_comes_before_the_media_type(api: Api) -> None:
    assert_problem(api.send("POST", "/nope", b"x", "text/plain"), 404, "not-found")
    assert_problem(api.send("POST", "/books/x", b"x", "text/plain"), 404, "not-found")
    assert_problem(api.send("DELETE", "/books", b"x", "text/plain"), 405, "method-not-allowed")


def test_media_type_comes_before_size() -> None:
    api = small_api(8)
    result = api.send("POST", "/authors", b"x" * 100, "text/plain")
    assert_problem(result, 415, "unsupported-media-type")


def test_size_comes_before_parsing() -> None:
    api = small_api(8)
    assert_problem(api.send("POST", "/authors", b"{" * 100, None), 413, "payload-too-large")


def test_parsing_comes_before_validation(api: Api) -> None:
    assert_problem(api.send("PUT", "/books/99", b'{"title": 5,', None), 400, "malformed-json")


def test_validation_comes_before_the_lookup_of_the_path_resource(api: Api) -> None:
    assert_problem(api.put("/books/99", {"title": ""}), 422, "validation-error")
    assert_problem(api.patch("/books/99", {"year": "x"}), 422, "validation-error")
    assert_problem(api.put("/books/99/authors", [0]), 422, "validation-error")
    assert_problem(
        api.post("/books/99/reviews", {"reviewer_name": "R", "rating": 0}),
        422,
        "validation-error",
    )
    assert_problem(api.patch("/reviews/99", {"rating": 6}), 422, "validation-error")
    assert_problem(api.put("/authors/99", {"name": ""}), 422, "validation-error")
    assert_problem(api.patch("/authors/99", {"zz": 1}), 422, "validation-error")


def test_validation_comes_before_unknown_ids(api: Api) -> None:
    result = api.post("/books", {"title": "", "author_ids": [99]})
    assert_problem(result, 422, "validation-error", fields=["title"])


def test_validation_comes_before_combination_rules(api: Api) -> None:
    result = api.get("/books?cursor=x&offset=0&limit=0")
    assert_problem(result, 422, "validation-error", fields=["limit"])


def test_the_path_resource_comes_before_unknown_ids(api: Api) -> None:
    assert_problem(api.put("/books/99", {"title": "T", "author_ids": [98]}), 404, "not-found")
    assert_problem(api.put("/books/99/authors", [98]), 404, "not-found")
    assert_problem(api.put("/authors/99", {"name": "N", "book_ids": [98]}), 404, "not-found")
    assert_problem(api.patch("/authors/99", {"book_ids": [98]}), 404, "not-found")


def test_unknown_ids_come_before_nothing_is_changed(api: Api) -> None:
    book = api.book("Kept")
    result = api.put(f"/books/{book['id']}", {"title": "Changed", "author_ids": [98]})
    assert_problem(result, 400, "unknown-reference")
    assert api.get(f"/books/{book['id']}").json["title"] == "Kept"


def test_the_path_resource_comes_before_the_duplicate_reviewer(api: Api) -> None:
    body = {"reviewer_name": "Rita", "rating": 3}
    assert_problem(api.post("/books/99/reviews", body), 404, "not-found")
