"""Reviews over HTTP: adding one under its book, /reviews/{id}."""

from __future__ import annotations

from tests.http.http_api import Api, assert_problem


def test_add_review_answers_201_with_location(api: Api) -> None:
    book = api.book()
    result = api.post(
        f"/books/{book['id']}/reviews", {"reviewer_name": " Rita ", "rating": 4, "comment": ""}
    )
    assert result.status_code == 201
    review = result.json
    assert review == {"id": review["id"], "reviewer_name": "Rita", "rating": 4, "comment": None}
    assert result.headers["location"] == f"/reviews/{review['id']}"
    assert api.get(f"/reviews/{review['id']}").json == review


def test_a_reviewer_reviews_a_book_once_whatever_the_case(api: Api) -> None:
    book, other = api.book("One"), api.book("Two")
    api.review(book["id"], "Rita")
    result = api.post(f"/books/{book['id']}/reviews", {"reviewer_name": "RITA", "rating": 3})
    assert_problem(result, 400, "duplicate-review")
    api.review(other["id"], "rita")  # another book is another matter
    assert len(api.get(f"/books/{book['id']}/reviews").json) == 1


def test_add_review_to_missing_book_is_404(api: Api) -> None:
    result = api.post("/books/7/reviews", {"reviewer_name": "Rita", "rating": 3})
    assert_problem(result, 404, "not-found")


def test_rating_must_be_from_1_to_5(api: Api) -> None:
    book = api.book()
    for rating in (0, 6, -1):
        result = api.post(f"/books/{book['id']}/reviews", {"reviewer_name": "R", "rating": rating})
        body = assert_problem(result, 422, "validation-error", fields=["rating"])
        assert body["errors"][0]["message"] == "must be between 1 and 5"


def test_revise_review_changes_rating_and_comment(api: Api) -> None:
    book = api.book()
    review = api.review(book["id"], comment="Great")
    result = api.patch(f"/reviews/{review['id']}", {"rating": 2})
    assert result.status_code == 200
    assert result.json == {**review, "rating": 2}
    cleared = api.patch(f"/reviews/{review['id']}", {"comment": None}).json
    assert cleared == {**review, "rating": 2, "comment": None}
    assert api.get(f"/books/{book['id']}").json["rating_avg"] == 2.0


def test_revise_review_cannot_change_the_reviewer(api: Api) -> None:
    review = api.review(api.book()["id"])
    result = api.patch(f"/reviews/{review['id']}", {"reviewer_name": "Other"})
    body = assert_problem(result, 422, "validation-error", fields=["reviewer_name"])
    assert body["errors"][0]["message"] == "unknown field"
    assert_problem(
        api.patch(f"/reviews/{review['id']}", {"rating": None}),
        422,
        "validation-error",
        fields=["rating"],
    )


def test_missing_review_is_404(api: Api) -> None:
    assert_problem(api.get("/reviews/1"), 404, "not-found")
    assert_problem(api.patch("/reviews/1", {"rating": 3}), 404, "not-found")
    assert_problem(api.delete("/reviews/1"), 404, "not-found")


def test_remove_review(api: Api) -> None:
    book = api.book()
    review = api.review(book["id"])
    result = api.delete(f"/reviews/{review['id']}")
    assert result.status_code == 204
    assert result.content == b""
    assert_problem(api.get(f"/reviews/{review['id']}"), 404, "not-found")
    assert api.get(f"/books/{book['id']}").json["review_count"] == 0
    api.review(book["id"])  # the reviewer may review the book again
