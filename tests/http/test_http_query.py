"""Query strings: ignored unknowns, empty as absent, repeats, values and combinations."""

from __future__ import annotations

import pytest

from library.config import Settings
from tests.http.http_api import Api, assert_problem, make_api


def test_unknown_parameters_are_ignored(api: Api) -> None:
    book = api.book()
    assert [b["id"] for b in api.get("/books?colour=red&page=3").json["items"]] == [book["id"]]
    assert api.get("/authors?colour=red").status_code == 200


def test_empty_parameters_count_as_absent(api: Api) -> None:
    book = api.book()
    query = "q=&title=&isbn=&author_id=&before=&after=&limit=&offset=&cursor=&sort="
    page = api.get(f"/books?{query}").json
    assert ([b["id"] for b in page["items"]], page["next_cursor"]) == ([book["id"]], None)
    assert api.get("/books?q=&q=").status_code == 200
    assert api.get("/authors?q=&name=&email=&limit=&offset=").status_code == 200


@pytest.mark.parametrize("name", ["q", "title", "isbn", "author_id", "limit", "offset", "cursor"])
def test_a_single_valued_book_parameter_given_twice_is_422(api: Api, name: str) -> None:
    result = api.get(f"/books?{name}=1&{name}=2")
    assert_problem(result, 422, "validation-error", fields=[name])


@pytest.mark.parametrize("name", ["q", "name", "email", "limit", "offset"])
def test_a_single_valued_author_parameter_given_twice_is_422(api: Api, name: str) -> None:
    result = api.get(f"/authors?{name}=1&{name}=2")
    assert_problem(result, 422, "validation-error", fields=[name])


def test_repeats_are_listed_with_the_other_faults(api: Api) -> None:
    result = api.get("/books?limit=1&limit=2&offset=-1&before=x")
    assert_problem(result, 422, "validation-error", fields=["limit", "before", "offset"])


def test_sort_repeats(api: Api) -> None:
    api.book("B", year=2000)
    api.book("A", year=2000)
    api.book("C", year=1990)
    result = api.get("/books?sort=year:desc&sort=TITLE")
    assert [b["title"] for b in result.json["items"]] == ["A", "B", "C"]
    assert_problem(api.get("/books?sort=year&sort=year:desc"), 422, "validation-error")


def test_commas_are_not_split(api: Api) -> None:
    book = api.book("Guards, Guards")
    api.book("Guards")
    assert [b["id"] for b in api.get("/books?title=guards,%20guards").json["items"]] == [book["id"]]
    assert_problem(api.get("/books?sort=title,year"), 422, "validation-error", fields=["sort"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("author_id=0", "author_id"),
        ("author_id=9223372036854775808", "author_id"),
        ("before=1.5", "before"),
        ("after=x", "after"),
        ("isbn=123", "isbn"),
        ("sort=rating", "sort"),
        ("sort=title:up", "sort"),
    ],
)
def test_bad_values_are_422(api: Api, query: str, field: str) -> None:
    assert_problem(api.get(f"/books?{query}"), 422, "validation-error", fields=[field])


def test_each_parameter_is_checked_on_its_own(api: Api) -> None:
    result = api.get("/books?limit=0&offset=x&sort=nope")
    assert_problem(result, 422, "validation-error", fields=["limit", "offset", "sort"])


def test_cursor_with_offset_is_400(api: Api) -> None:
    for n in range(3):
        api.book(f"B{n}")
    cursor = api.get("/books?limit=1").json["next_cursor"]
    assert cursor is not None
    assert_problem(api.get(f"/books?cursor={cursor}&offset=0"), 400, "invalid-query")


def test_similarity_without_q_is_400(api: Api) -> None:
    assert_problem(api.get("/books?sort=similarity"), 400, "invalid-query")
    assert api.get("/books?sort=similarity&q=dune").status_code == 200


def test_malformed_and_foreign_cursors_are_400(api: Api) -> None:
    for n in range(3):
        api.book(f"B{n}")
    assert_problem(api.get("/books?cursor=not-a-cursor"), 400, "invalid-query")
    cursor = api.get("/books?limit=1&sort=title").json["next_cursor"]
    assert_problem(api.get(f"/books?cursor={cursor}&sort=year"), 400, "invalid-query")
    assert api.get(f"/books?cursor={cursor}&sort=title&limit=5").status_code == 200


def test_offset_pages_also_return_a_cursor(api: Api) -> None:
    ids = [api.book(f"B{n}")["id"] for n in range(4)]
    page = api.get("/books?offset=1&limit=2").json
    assert [b["id"] for b in page["items"]] == ids[1:3]
    rest = api.get(f"/books?cursor={page['next_cursor']}").json
    assert [b["id"] for b in rest["items"]] == ids[3:]
    assert rest["next_cursor"] is None


def test_a_deployment_may_refuse_deep_offsets_pointing_to_the_cursor() -> None:
    api = make_api(Settings(max_offset=2).drop_in())
    books = [api.book(title=f"Book {n}")["id"] for n in range(4)]
    assert [b["id"] for b in api.get("/books?offset=2").json["items"]] == books[2:]
    result = api.get("/books?offset=3")
    assert_problem(result, 422, "validation-error", fields=["offset"])
    assert "cursor" in result.json["errors"][0]["message"]
    # Before the combination rules, as every parameter check is.
    assert_problem(api.get("/books?offset=3&sort=similarity"), 422, "validation-error")
    # The cursor reaches the same books at any depth.
    first = api.get("/books?limit=3").json
    assert [b["id"] for b in api.get(f"/books?cursor={first['next_cursor']}").json["items"]] == [
        books[3]
    ]
    assert api.get("/authors?offset=3").status_code == 200  # authors have no cursor


def test_offsets_have_no_limit_by_default(api: Api) -> None:
    assert api.get("/books?offset=1000000").json["items"] == []
