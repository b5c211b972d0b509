"""Books over HTTP: /books, /books/{id}, its authors and reviews."""

from __future__ import annotations

from tests.http.http_api import Api, assert_problem


def test_add_book_answers_201_with_location_and_detail(api: Api) -> None:
    author = api.author()
    result = api.post(
        "/books",
        {
            "title": "  A Wizard of Earthsea ",
            "year": 1968,
            "book_isbn": "978-0-547 77374-2",
            "genre_name": " ",
            "description": "A mage.",
            "author_ids": [author["id"], author["id"]],
        },
    )
    assert result.status_code == 201
    assert result.headers["content-type"] == "application/json"
    book = result.json
    assert result.headers["location"] == f"/books/{book['id']}"
    assert book == {
        "id": book["id"],
        "title": "A Wizard of Earthsea",
        "year": 1968,
        "book_isbn": "9780547773742",
        "genre_name": None,
        "description": "A mage.",
        "authors": [author],
        "language": None,  # an extension: the book's language, none given
        "reviews": [],
        "review_count": 0,
        "rating_avg": None,
    }
    assert api.get(result.headers["location"]).json == book


def test_add_book_with_only_a_title_leaves_the_rest_null(api: Api) -> None:
    book = api.book("Dune")
    assert (book["year"], book["book_isbn"], book["authors"]) == (None, None, [])


def test_isbn_loses_separators_and_upper_cases_a_final_x(api: Api) -> None:
    assert api.book(book_isbn="0-06-051275-x")["book_isbn"] == "006051275X"


def test_authors_of_a_book_are_ordered_by_id(api: Api) -> None:
    first, second = api.author("B"), api.author("A")
    book = api.book(author_ids=[second["id"], first["id"]])
    assert [a["id"] for a in book["authors"]] == [first["id"], second["id"]]


def test_unknown_author_ids_are_each_named(api: Api) -> None:
    author = api.author()
    result = api.post("/books", {"title": "T", "author_ids": [author["id"], 77, 78, 77]})
    body = assert_problem(
        result, 400, "unknown-reference", fields=["author_ids[1]", "author_ids[2]"]
    )
    assert "77" in body["errors"][0]["message"]
    assert "78" in body["errors"][1]["message"]
    assert api.get("/books").json["items"] == []


def test_show_missing_book_is_404(api: Api) -> None:
    assert_problem(api.get("/books/42"), 404, "not-found")


def test_list_books_pages_with_a_cursor(api: Api) -> None:
    ids = [api.book(f"Book {n}")["id"] for n in range(5)]
    first = api.get("/books", params={"limit": "2"})
    assert first.status_code == 200
    page = first.json
    assert set(page) == {"items", "next_cursor"}
    seen = [item["id"] for item in page["items"]]
    while page["next_cursor"] is not None:
        page = api.get("/books", params={"limit": "2", "cursor": page["next_cursor"]}).json
        seen += [item["id"] for item in page["items"]]
    assert seen == ids


def test_list_books_items_have_the_list_shape(api: Api) -> None:
    author = api.author()
    book = api.book(author_ids=[author["id"]])
    api.review(book["id"])
    [item] = api.get("/books").json["items"]
    assert set(item) == {
        "id",
        "title",
        "year",
        "book_isbn",
        "genre_name",
        "description",
        "authors",
        "language",
    }
    assert item["authors"] == [author]


def test_list_books_filters_and_sorts(api: Api) -> None:
    author = api.author()
    old = api.book("Old", year=1900, author_ids=[author["id"]])
    new = api.book("New", year=2000)
    api.book("Undated")
    by_year = api.get("/books", params={"sort": "year:desc"}).json["items"]
    assert [b["title"] for b in by_year] == ["New", "Old", "Undated"]
    assert [b["id"] for b in api.get(f"/books?author_id={author['id']}").json["items"]] == [
        old["id"]
    ]
    assert [b["id"] for b in api.get("/books?after=1950").json["items"]] == [new["id"]]
    assert [b["id"] for b in api.get("/books?title=%20old%20").json["items"]] == [old["id"]]
    assert api.get("/books?q=old").json["items"][0]["id"] == old["id"]


def test_replace_book_sets_every_field_and_nulls_absent_ones(api: Api) -> None:
    first, second = api.author("A"), api.author("B")
    book = api.book(year=1968, genre_name="Fantasy", author_ids=[first["id"]])
    result = api.put(f"/books/{book['id']}", {"title": "New", "author_ids": [second["id"]]})
    assert result.status_code == 200
    assert result.json["title"] == "New"
    assert result.json["year"] is None
    assert result.json["genre_name"] is None
    assert result.json["authors"] == [second]


def test_replace_missing_book_is_404(api: Api) -> None:
    assert_problem(api.put("/books/9", {"title": "T"}), 404, "not-found")


def test_revise_book_changes_only_the_fields_given(api: Api) -> None:
    book = api.book(year=1968, genre_name="Fantasy", description="D")
    result = api.patch(f"/books/{book['id']}", {"year": 1969, "genre_name": None})
    assert result.status_code == 200
    assert result.json == {**book, "year": 1969, "genre_name": None}


def test_revise_book_with_an_empty_object_changes_nothing(api: Api) -> None:
    book = api.book(year=1968)
    assert api.patch(f"/books/{book['id']}", {}).json == book


def test_revise_book_refuses_a_null_title(api: Api) -> None:
    book = api.book()
    assert_problem(api.patch(f"/books/{book['id']}", {"title": None}), 422, "validation-error")


def test_revise_book_refuses_author_ids_and_unknown_fields(api: Api) -> None:
    book = api.book()
    result = api.patch(f"/books/{book['id']}", {"author_ids": [], "nope": 1})
    assert_problem(result, 422, "validation-error", fields=["author_ids", "nope"])


def test_revise_missing_book_is_404(api: Api) -> None:
    assert_problem(api.patch("/books/9", {"year": 2000}), 404, "not-found")


def test_replace_book_authors_takes_a_bare_array(api: Api) -> None:
    first, second = api.author("A"), api.author("B")
    book = api.book(author_ids=[first["id"]])
    result = api.put(f"/books/{book['id']}/authors", [second["id"], second["id"]])
    assert result.status_code == 200
    assert result.json["authors"] == [second]
    assert api.put(f"/books/{book['id']}/authors", []).json["authors"] == []


def test_replace_book_authors_checks_the_array(api: Api) -> None:
    book = api.book()
    assert_problem(
        api.put(f"/books/{book['id']}/authors", {"author_ids": [1]}), 422, "validation-error"
    )
    assert_problem(
        api.put(f"/books/{book['id']}/authors", [1, "2", 0]),
        422,
        "validation-error",
        fields=["author_ids[1]"],
    )
    assert_problem(
        api.put(f"/books/{book['id']}/authors", [0, -1]),
        422,
        "validation-error",
        fields=["author_ids[0]", "author_ids[1]"],
    )
    assert_problem(
        api.put(f"/books/{book['id']}/authors", [5]),
        400,
        "unknown-reference",
        fields=["author_ids[0]"],
    )
    assert_problem(api.put("/books/99/authors", [5]), 404, "not-found")


def test_remove_book_takes_its_reviews_and_keeps_its_authors(api: Api) -> None:
    author = api.author()
    book = api.book(author_ids=[author["id"]])
    review = api.review(book["id"])
    result = api.delete(f"/books/{book['id']}")
    assert result.status_code == 204
    assert result.content == b""
    assert_problem(api.get(f"/books/{book['id']}"), 404, "not-found")
    assert_problem(api.get(f"/reviews/{review['id']}"), 404, "not-found")
    assert api.get(f"/authors/{author['id']}").status_code == 200
    assert api.get(f"/authors/{author['id']}/books").json == []
    assert_problem(api.delete(f"/books/{book['id']}"), 404, "not-found")


def test_book_reviews_are_a_bare_array_by_id(api: Api) -> None:
    book = api.book()
    first = api.review(book["id"], "Rita", 5)
    second = api.review(book["id"], "Tom", 2, comment=" so-so ")
    result = api.get(f"/books/{book['id']}/reviews")
    assert result.status_code == 200
    assert result.json == [first, second]
    assert second["comment"] == "so-so"
    detail = api.get(f"/books/{book['id']}").json
    assert detail["reviews"] == [first, second]
    assert detail["review_count"] == 2
    assert detail["rating_avg"] == 3.5


def test_reviews_of_a_missing_book_are_404(api: Api) -> None:
    assert_problem(api.get("/books/5/reviews"), 404, "not-found")


def test_a_book_has_an_optional_language_lower_cased_and_filtered_on(api: Api) -> None:
    english = api.book("Dune", language=" EN ")
    assert english["language"] == "en"
    french = api.book("Vendredi", language="fr")
    api.book("Untold")
    page = api.get("/books", params={"language": "fr"}).json
    assert [b["id"] for b in page["items"]] == [french["id"]]
    assert [b["id"] for b in api.get("/books", params={"language": "EN"}).json["items"]] == [
        english["id"]
    ]
    assert api.get("/books", params={"language": "xx"}).status_code == 422
    result = api.post("/books", {"title": "Bad", "language": "english"})
    assert result.status_code == 422
    assert result.json["errors"][0]["field"] == "language"
    assert api.post("/books", {"title": "Bad", "language": 1}).status_code == 422


def test_put_clears_the_language_and_patch_changes_it(api: Api) -> None:
    book = api.book("Dune", language="en")
    assert api.patch(f"/books/{book['id']}", {"language": "de"}).json["language"] == "de"
    assert api.patch(f"/books/{book['id']}", {"year": 1965}).json["language"] == "de"
    assert api.put(f"/books/{book['id']}", {"title": "Dune"}).json["language"] is None


def test_cursors_of_queries_without_language_do_not_change(api: Api) -> None:
    from library.application.cursors import fingerprint
    from library.application.ports import BookFilter, SortOrder

    # The fingerprints of queries without the new filter are what they were before it existed
    # (values taken from the code before books had a language), so their cursors stay valid.
    assert fingerprint(BookFilter(q="dune")) == "7b9b9d00749d321f"
    assert fingerprint(BookFilter(title="A", sort=(SortOrder("year", True),))) == (
        "106032d31eb1c715"
    )
    assert fingerprint(BookFilter(language="en")) != fingerprint(BookFilter())
