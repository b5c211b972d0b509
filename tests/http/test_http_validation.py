"""Bodies: strict JSON types, unknown fields, required fields and value rules (422)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.http.http_api import Api, assert_problem


@pytest.mark.parametrize("rating", ["5", 5.0, True, None, [5], {"value": 5}])
def test_rating_is_never_converted(api: Api, rating: Any) -> None:
    book = api.book()
    result = api.post(f"/books/{book['id']}/reviews", {"reviewer_name": "R", "rating": rating})
    body = assert_problem(result, 422, "validation-error", fields=["rating"])
    assert body["title"] == "Invalid request"
    assert api.get(f"/books/{book['id']}/reviews").json == []


@pytest.mark.parametrize("title", [5, 5.5, True, ["T"], {"t": 1}])
def test_a_number_or_other_value_is_not_a_string(api: Api, title: Any) -> None:
    body = assert_problem(
        api.post("/books", {"title": title}), 422, "validation-error", fields=["title"]
    )
    assert body["errors"][0]["message"] == "must be a string"


@pytest.mark.parametrize("year", ["1968", 1968.0, False])
def test_year_must_be_an_integer(api: Api, year: Any) -> None:
    assert_problem(
        api.post("/books", {"title": "T", "year": year}), 422, "validation-error", fields=["year"]
    )


@pytest.mark.parametrize(
    ("author_ids", "fields"),
    [
        ("1", ["author_ids"]),
        ({"0": 1}, ["author_ids"]),
        (None, ["author_ids"]),
        ([1, "2", 3.0, True], ["author_ids[1]", "author_ids[2]", "author_ids[3]"]),
        ([0, -5], ["author_ids[0]", "author_ids[1]"]),
        ([2**63], ["author_ids[0]"]),
        ([2**70], ["author_ids[0]"]),
    ],
)
def test_ids_in_bodies_are_positive_bigints(api: Api, author_ids: Any, fields: list[str]) -> None:
    result = api.post("/books", {"title": "T", "author_ids": author_ids})
    assert_problem(result, 422, "validation-error", fields=fields)


def test_the_largest_bigint_is_an_id(api: Api) -> None:
    result = api.post("/books", {"title": "T", "author_ids": [2**63 - 1]})
    assert_problem(result, 400, "unknown-reference", fields=["author_ids[0]"])


def test_unknown_fields_are_each_named(api: Api) -> None:
    result = api.post("/authors", {"name": "A", "mail": "a@b.example", "books": []})
    body = assert_problem(result, 422, "validation-error", fields=["books", "mail"])
    assert {e["message"] for e in body["errors"]} == {"unknown field"}


def test_missing_required_fields_are_named(api: Api) -> None:
    result = api.post(f"/books/{api.book()['id']}/reviews", {})
    body = assert_problem(result, 422, "validation-error", fields=["reviewer_name", "rating"])
    assert {e["message"] for e in body["errors"]} == {"field required"}


def test_every_field_at_fault_is_listed_at_once(api: Api) -> None:
    result = api.post("/books", {"year": "1968", "book_isbn": 9, "extra": True})
    assert_problem(result, 422, "validation-error", fields=["title", "year", "book_isbn", "extra"])
    result = api.post(
        "/books",
        {"title": " ", "year": 0, "book_isbn": "123", "genre_name": "g" * 128},
    )
    assert_problem(
        result, 422, "validation-error", fields=["title", "year", "book_isbn", "genre_name"]
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "t" * 501}, "title"),
        ({"title": "T", "year": 10000}, "year"),
        ({"title": "T", "book_isbn": "12345678901"}, "book_isbn"),
        ({"title": "T", "description": "d" * 20_001}, "description"),
        ({"title": "T\x00"}, "title"),
    ],
)
def test_value_rules_of_books(api: Api, body: dict[str, Any], field: str) -> None:
    assert_problem(api.post("/books", body), 422, "validation-error", fields=[field])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": "N", "email": "a@b"}, "email"),
        ({"name": "N", "email": "a" * 250 + "@b.cd"}, "email"),
    ],
)
def test_value_rules_of_authors(api: Api, body: dict[str, Any], field: str) -> None:
    assert_problem(api.post("/authors", body), 422, "validation-error", fields=[field])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reviewer_name": "", "rating": 3}, "reviewer_name"),
        ({"reviewer_name": "r" * 51, "rating": 3}, "reviewer_name"),
        ({"reviewer_name": "R", "rating": 3, "comment": "c" * 5001}, "comment"),
    ],
)
def test_value_rules_of_reviews(api: Api, body: dict[str, Any], field: str) -> None:
    result = api.post(f"/books/{api.book()['id']}/reviews", body)
    assert_problem(result, 422, "validation-error", fields=[field])


@pytest.mark.parametrize("raw", [b"[]", b"null", b"42", b'"text"', b"true", b"", b"  \n"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/books"),
        ("PUT", "/books/{book}"),
        ("PATCH", "/books/{book}"),
        ("POST", "/books/{book}/reviews"),
        ("PATCH", "/reviews/{review}"),
        ("POST", "/authors"),
        ("PUT", "/authors/{author}"),
        ("PATCH", "/authors/{author}"),
    ],
)
def test_a_body_that_is_not_an_object_is_422(api: Api, method: str, path: str, raw: bytes) -> None:
    book = api.book()
    ids = {"book": book["id"], "review": api.review(book["id"])["id"], "author": api.author()["id"]}
    result = api.send(method, path.format(**ids), raw, "application/json")
    assert_problem(result, 422, "validation-error")


@pytest.mark.parametrize("raw", [b"{}", b"null", b"", b"1"])
def test_the_authors_of_a_book_must_be_an_array(api: Api, raw: bytes) -> None:
    book = api.book()
    result = api.send("PUT", f"/books/{book['id']}/authors", raw, "application/json")
    assert_problem(result, 422, "validation-error")
