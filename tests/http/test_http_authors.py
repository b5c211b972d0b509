"""Authors over HTTP: /authors, /authors/{id} and the author's books."""

from __future__ import annotations

from tests.http.http_api import Api, assert_problem


def test_add_author_answers_201_with_location(api: Api) -> None:
    result = api.post("/authors", {"name": " Frank Herbert ", "email": "frank@arrakis.example"})
    assert result.status_code == 201
    author = result.json
    assert author == {"id": author["id"], "name": "Frank Herbert", "email": "frank@arrakis.example"}
    assert result.headers["location"] == f"/authors/{author['id']}"
    assert api.get(f"/authors/{author['id']}").json == author


def test_add_author_with_books_links_them(api: Api) -> None:
    book = api.book("Dune", year=1965)
    author = api.author(book_ids=[book["id"]])
    assert api.get(f"/authors/{author['id']}/books").json == [
        {"id": book["id"], "title": "Dune", "year": 1965}
    ]
    assert api.get(f"/books/{book['id']}").json["authors"] == [author]


def test_add_author_with_unknown_books_is_400(api: Api) -> None:
    result = api.post("/authors", {"name": "A", "book_ids": [8]})
    assert_problem(result, 400, "unknown-reference", fields=["book_ids[0]"])


def test_empty_email_is_null_and_a_bad_one_is_422(api: Api) -> None:
    assert api.author(email="  ")["email"] is None
    result = api.post("/authors", {"name": "A", "email": "not an address"})
    assert_problem(result, 422, "validation-error", fields=["email"])


def test_list_authors_is_a_bare_array_by_id(api: Api) -> None:
    first, second = api.author("Frank Herbert"), api.author("Isaac Asimov", email="i@a.example")
    result = api.get("/authors")
    assert result.status_code == 200
    assert result.json == [first, second]
    assert api.get("/authors", params={"limit": "1", "offset": "1"}).json == [second]
    assert api.get("/authors", params={"name": " isaac asimov"}).json == [second]
    assert api.get("/authors", params={"email": "I@A.example"}).json == [second]
    assert api.get("/authors", params={"q": "herbert"}).json[0] == first


def test_list_authors_checks_its_parameters(api: Api) -> None:
    result = api.get("/authors", params={"limit": "0", "offset": "x"})
    assert_problem(result, 422, "validation-error", fields=["limit", "offset"])


def test_show_missing_author_is_404(api: Api) -> None:
    assert_problem(api.get("/authors/3"), 404, "not-found")
    assert_problem(api.get("/authors/3/books"), 404, "not-found")


def test_replace_author_replaces_name_email_and_books(api: Api) -> None:
    book = api.book()
    author = api.author(email="a@b.example", book_ids=[book["id"]])
    result = api.put(f"/authors/{author['id']}", {"name": "New"})
    assert result.status_code == 200
    assert result.json == {"id": author["id"], "name": "New", "email": None}
    assert api.get(f"/authors/{author['id']}/books").json == []


def test_revise_author_changes_only_the_fields_given(api: Api) -> None:
    first, second = api.book("First"), api.book("Second")
    author = api.author(email="a@b.example", book_ids=[first["id"]])
    result = api.patch(f"/authors/{author['id']}", {"name": "Renamed"})
    assert result.json == {**author, "name": "Renamed"}
    assert [b["id"] for b in api.get(f"/authors/{author['id']}/books").json] == [first["id"]]
    api.patch(f"/authors/{author['id']}", {"book_ids": [second["id"]], "email": None})
    assert api.get(f"/authors/{author['id']}").json["email"] is None
    assert [b["id"] for b in api.get(f"/authors/{author['id']}/books").json] == [second["id"]]
    api.patch(f"/authors/{author['id']}", {"book_ids": []})
    assert api.get(f"/authors/{author['id']}/books").json == []


def test_revise_author_refuses_null_name_and_null_book_ids(api: Api) -> None:
    author = api.author()
    result = api.patch(f"/authors/{author['id']}", {"name": None, "book_ids": None})
    assert_problem(result, 422, "validation-error", fields=["name", "book_ids"])


def test_replace_and_revise_missing_author_are_404(api: Api) -> None:
    assert_problem(api.put("/authors/4", {"name": "A"}), 404, "not-found")
    assert_problem(api.patch("/authors/4", {"name": "A"}), 404, "not-found")


def test_remove_author_keeps_their_books(api: Api) -> None:
    author = api.author()
    book = api.book(author_ids=[author["id"]])
    result = api.delete(f"/authors/{author['id']}")
    assert result.status_code == 204
    assert result.content == b""
    assert_problem(api.get(f"/authors/{author['id']}"), 404, "not-found")
    assert api.get(f"/books/{book['id']}").json["authors"] == []
    assert_problem(api.delete(f"/authors/{author['id']}"), 404, "not-found")
