"""The HTTP API against a plain model of the catalogue (dicts), one random history at a time.

Every rule sends a request, predicts its status from the model (422, then 404 for the path
resource, then 400 for unknown ids, then 400 for a duplicate reviewer, else success), checks
the answer and updates the model; the invariant then compares every page with the model.
No answer may ever be a 5xx. Rules are synchronous (Hypothesis cannot run `async def`
rules), so the ASGI app is driven through Falcon's synchronous TestClient.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from falcon import testing
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app

T = TypeVar("T")
NEVER_ISSUED = 10**12  # a valid id no entity will get in a short history
ABSENT = object()


class Value:
    """A field value as sent, what the service should store for it, and whether it is valid."""

    def __init__(self, raw: Any, stored: Any = None, *, valid: bool = True) -> None:
        self.raw = raw
        self.stored = stored
        self.valid = valid

    def __repr__(self) -> str:
        return f"Value({self.raw!r})"


def ok(raw: Any, stored: Any = ABSENT) -> Value:
    return Value(raw, raw if stored is ABSENT else stored)


def bad(raw: Any) -> Value:
    return Value(raw, valid=False)


def rarely(common: st.SearchStrategy[T], rare: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """`rare` one time in ten, so that most requests get far enough to change something."""
    return st.integers(0, 9).flatmap(lambda n: rare if n == 9 else common)


def values(*choices: Value) -> st.SearchStrategy[Value]:
    valid = [c for c in choices if c.valid]
    invalid = [c for c in choices if not c.valid]
    return rarely(st.sampled_from(valid), st.sampled_from(invalid))


TITLES = values(
    ok("Dune"),
    ok(" Dune Messiah ", "Dune Messiah"),
    ok("Cien años de soledad"),
    bad(""),
    bad("   "),
    bad(5),
    bad(None),
    bad("t" * 501),
)
YEARS = values(ok(None), ok(1965), ok(1), ok(9999), bad(0), bad(10000), bad("1965"), bad(1965.0))
ISBNS = values(
    ok(None),
    ok("", None),
    ok("0-06-051275-x", "006051275X"),
    ok("978 0441172719", "9780441172719"),
    bad("123"),
    bad(9780441172719),
)
GENRES = values(ok(None), ok("Fantasy"), ok("  ", None), bad(True), bad("g" * 128))
DESCRIPTIONS = values(ok(None), ok(" A desert planet. ", "A desert planet."), bad(["text"]))
LANGUAGES = values(
    ok(None), ok("en"), ok(" FR ", "fr"), ok("", None), bad("xx"), bad("eng"), bad(1)
)
NAMES = values(
    ok("Ursula K. Le Guin"), ok("  Frank Herbert ", "Frank Herbert"), bad(""), bad(None), bad(7)
)
EMAILS = values(
    ok(None),
    ok("frank@arrakis.example"),
    ok(" ", None),
    ok(" u@earthsea.example ", "u@earthsea.example"),
    bad("not-an-address"),
    bad(1),
)
REVIEWERS = values(
    ok("Rita"), ok("rita"), ok(" Tom ", "Tom"), ok("TOM"), bad(""), bad(None), bad("r" * 51)
)
RATINGS = values(ok(1), ok(3), ok(5), bad(0), bad(6), bad("5"), bad(4.0), bad(True), bad(None))
COMMENTS = values(ok(None), ok("Great."), ok("  ", None), bad(3))

BOOK_FIELDS = {
    "title": TITLES,
    "year": YEARS,
    "book_isbn": ISBNS,
    "genre_name": GENRES,
    "description": DESCRIPTIONS,
    "language": LANGUAGES,
}

# Bodies that can never be valid for any write route.
JUNK_BODIES = st.sampled_from(
    [b"", b"[", b"null", b"[1, 2]", b'"text"', b'{"unknown": 1}', b"{}x", b"NaN"]
)


class Catalogue(RuleBasedStateMachine):
    """Random histories of writes, each answer checked against a model made of dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.client = testing.TestClient(create_app(create_container(Settings().drop_in())))
        self.authors: dict[int, dict[str, Any]] = {}
        self.books: dict[int, dict[str, Any]] = {}
        self.reviews: dict[int, dict[str, Any]] = {}
        self.issued: dict[str, list[int]] = {"author": [], "book": [], "review": []}

    # --- requests ---------------------------------------------------------------------------

    def send(self, method: str, path: str, body: Any = ABSENT, raw: bytes | None = None) -> Any:
        if raw is not None:
            result = self.client.simulate_request(method, path, body=raw)
        elif body is ABSENT:
            result = self.client.simulate_request(method, path)
        else:
            result = self.client.simulate_request(method, path, json=body)
        assert result.status_code < 500, result.text
        if result.status_code >= 400:
            assert result.headers["content-type"] == "application/problem+json"
            problem = result.json
            assert problem["status"] == result.status_code
            assert isinstance(problem["detail"], str)
        return result

    def expect(self, result: Any, status: int, problem: str | None = None) -> None:
        assert result.status_code == status, (status, result.text)
        if problem is not None:
            assert result.json["type"] == f"/problems/{problem}"

    # --- model ------------------------------------------------------------------------------

    def id_of(self, data: st.DataObject, entity: str) -> int:
        """Mostly an id that exists; sometimes one that existed once, or never did."""
        return data.draw(self.some_id(entity), label=entity)

    def some_id(self, entity: str) -> st.SearchStrategy[int]:
        existing = sorted(self.existing(entity))
        gone = st.sampled_from(
            [i for i in self.issued[entity] if i not in existing] + [NEVER_ISSUED]
        )
        return rarely(st.sampled_from(existing), gone) if existing else gone

    def ids(self, data: st.DataObject, entity: str) -> Value:
        """A list of ids: mostly existing ones, rarely an unknown or an invalid one."""
        chosen = data.draw(st.lists(self.some_id(entity), max_size=3), label=f"{entity}_ids")
        junk = data.draw(
            rarely(st.just(ABSENT), st.sampled_from([0, -1, "1", 2**63, 1.5, None])),
            label="junk id",
        )
        if junk is not ABSENT:
            return bad([*chosen, junk])
        return ok(chosen)

    def missing(self, ids: list[int], existing: dict[int, Any]) -> bool:
        return any(i not in existing for i in ids)

    def author_view(self, author_id: int) -> dict[str, Any]:
        return {"id": author_id, **self.authors[author_id]}

    def review_view(self, review_id: int) -> dict[str, Any]:
        review = self.reviews[review_id]
        return {
            "id": review_id,
            "reviewer_name": review["reviewer_name"],
            "rating": review["rating"],
            "comment": review["comment"],
        }

    def book_view(self, book_id: int) -> dict[str, Any]:
        book = self.books[book_id]
        return {
            "id": book_id,
            **{name: book[name] for name in BOOK_FIELDS},
            "authors": [self.author_view(a) for a in sorted(book["author_ids"])],
        }

    def book_detail(self, book_id: int) -> dict[str, Any]:
        review_ids = sorted(r for r, review in self.reviews.items() if review["book_id"] == book_id)
        ratings = [self.reviews[r]["rating"] for r in review_ids]
        return {
            **self.book_view(book_id),
            "reviews": [self.review_view(r) for r in review_ids],
            "review_count": len(ratings),
            "rating_avg": sum(ratings) / len(ratings) if ratings else None,
        }

    def assert_book(self, actual: dict[str, Any], book_id: int) -> None:
        expected = self.book_detail(book_id)
        if expected["rating_avg"] is not None:
            expected["rating_avg"] = pytest.approx(expected["rating_avg"])
        assert actual == expected

    # --- authors ----------------------------------------------------------------------------

    @initialize(authors=st.integers(0, 3), books=st.integers(0, 4))
    def seed(self, authors: int, books: int) -> None:
        """Start from a few authors and books, so that most histories change existing ones."""
        assert self.send("GET", "/authors").json == []
        for n in range(authors):
            author = self.send("POST", "/authors", {"name": f"Author {n}"}).json
            self.issued["author"].append(author["id"])
            self.authors[author["id"]] = {"name": f"Author {n}", "email": None}
        for n in range(books):
            author_ids = sorted(self.authors)[: n % 3]
            book = self.send("POST", "/books", {"title": f"Book {n}", "author_ids": author_ids})
            self.issued["book"].append(book.json["id"])
            self.books[book.json["id"]] = {
                **dict.fromkeys(BOOK_FIELDS),
                "title": f"Book {n}",
                "author_ids": set(author_ids),
            }

    @rule(data=st.data(), name=NAMES, email=EMAILS)
    def add_author(self, data: st.DataObject, name: Value, email: Value) -> None:
        body: dict[str, Any] = {"name": name.raw}
        if data.draw(st.booleans(), label="with email"):
            body["email"] = email.raw
        else:
            email = ok(None)
        book_ids = self.ids(data, "book")
        body["book_ids"] = book_ids.raw
        result = self.send("POST", "/authors", body)
        if not (name.valid and email.valid and book_ids.valid):
            self.expect(result, 422, "validation-error")
        elif self.missing(book_ids.raw, self.books):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 201)
            author_id = result.json["id"]
            assert result.headers["location"] == f"/authors/{author_id}"
            self.issued["author"].append(author_id)
            self.authors[author_id] = {"name": name.stored, "email": email.stored}
            for book_id in book_ids.raw:
                self.books[book_id]["author_ids"].add(author_id)
            assert result.json == self.author_view(author_id)

    @rule(data=st.data(), name=NAMES, email=EMAILS)
    def revise_author(self, data: st.DataObject, name: Value, email: Value) -> None:
        author_id = self.id_of(data, "author")
        fields = data.draw(st.sets(st.sampled_from(["name", "email", "book_ids"])), label="fields")
        body: dict[str, Any] = {}
        given = {"name": name, "email": email}
        for field in ("name", "email"):
            if field in fields:
                body[field] = given[field].raw
        book_ids = self.ids(data, "book") if "book_ids" in fields else ok([])
        if "book_ids" in fields:
            body["book_ids"] = book_ids.raw
        result = self.send("PATCH", f"/authors/{author_id}", body)
        if any(not given[f].valid for f in fields - {"book_ids"}) or not book_ids.valid:
            self.expect(result, 422, "validation-error")
        elif author_id not in self.authors:
            self.expect(result, 404, "not-found")
        elif self.missing(book_ids.raw, self.books):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 200)
            for field in fields - {"book_ids"}:
                self.authors[author_id][field] = given[field].stored
            if "book_ids" in fields:
                self.link_author(author_id, set(book_ids.raw))
            assert result.json == self.author_view(author_id)

    @rule(data=st.data(), name=NAMES, email=EMAILS)
    def replace_author(self, data: st.DataObject, name: Value, email: Value) -> None:
        author_id = self.id_of(data, "author")
        book_ids = self.ids(data, "book")
        body = {"name": name.raw, "email": email.raw, "book_ids": book_ids.raw}
        result = self.send("PUT", f"/authors/{author_id}", body)
        if not (name.valid and email.valid and book_ids.valid):
            self.expect(result, 422, "validation-error")
        elif author_id not in self.authors:
            self.expect(result, 404, "not-found")
        elif self.missing(book_ids.raw, self.books):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 200)
            self.authors[author_id] = {"name": name.stored, "email": email.stored}
            self.link_author(author_id, set(book_ids.raw))
            assert result.json == self.author_view(author_id)

    def link_author(self, author_id: int, book_ids: set[int]) -> None:
        for book_id, book in self.books.items():
            if book_id in book_ids:
                book["author_ids"].add(author_id)
            else:
                book["author_ids"].discard(author_id)

    @rule(data=st.data())
    def remove_author(self, data: st.DataObject) -> None:
        author_id = self.id_of(data, "author")
        result = self.send("DELETE", f"/authors/{author_id}")
        if author_id not in self.authors:
            self.expect(result, 404, "not-found")
            return
        self.expect(result, 204)
        del self.authors[author_id]
        for book in self.books.values():
            book["author_ids"].discard(author_id)

    # --- books ------------------------------------------------------------------------------

    def book_body(self, data: st.DataObject) -> tuple[dict[str, Any], dict[str, Value], Value]:
        """A POST/PUT body: a title, some optional fields, maybe author ids."""
        given = {"title": data.draw(TITLES, label="title")}
        for field, strategy in BOOK_FIELDS.items():
            if field != "title" and data.draw(st.booleans(), label=f"with {field}"):
                given[field] = data.draw(strategy, label=field)
        body = {field: value.raw for field, value in given.items()}
        author_ids = ok([])
        if data.draw(st.booleans(), label="with authors"):
            author_ids = self.ids(data, "author")
            body["author_ids"] = author_ids.raw
        return body, given, author_ids

    @rule(data=st.data())
    def add_book(self, data: st.DataObject) -> None:
        body, given, author_ids = self.book_body(data)
        result = self.send("POST", "/books", body)
        if not all(v.valid for v in given.values()) or not author_ids.valid:
            self.expect(result, 422, "validation-error")
        elif self.missing(author_ids.raw, self.authors):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 201)
            book_id = result.json["id"]
            assert result.headers["location"] == f"/books/{book_id}"
            self.issued["book"].append(book_id)
            self.books[book_id] = {
                **{field: given[field].stored if field in given else None for field in BOOK_FIELDS},
                "author_ids": set(author_ids.raw),
            }
            self.assert_book(result.json, book_id)

    @rule(data=st.data())
    def replace_book(self, data: st.DataObject) -> None:
        book_id = self.id_of(data, "book")
        body, given, author_ids = self.book_body(data)
        result = self.send("PUT", f"/books/{book_id}", body)
        if not all(v.valid for v in given.values()) or not author_ids.valid:
            self.expect(result, 422, "validation-error")
        elif book_id not in self.books:
            self.expect(result, 404, "not-found")
        elif self.missing(author_ids.raw, self.authors):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 200)
            self.books[book_id] = {
                **{field: given[field].stored if field in given else None for field in BOOK_FIELDS},
                "author_ids": set(author_ids.raw),
            }
            self.assert_book(result.json, book_id)

    @rule(data=st.data())
    def revise_book(self, data: st.DataObject) -> None:
        book_id = self.id_of(data, "book")
        fields = data.draw(st.sets(st.sampled_from(sorted(BOOK_FIELDS))), label="fields")
        given = {f: data.draw(BOOK_FIELDS[f], label=f) for f in sorted(fields)}
        result = self.send("PATCH", f"/books/{book_id}", {f: v.raw for f, v in given.items()})
        if not all(v.valid for v in given.values()):
            self.expect(result, 422, "validation-error")
        elif book_id not in self.books:
            self.expect(result, 404, "not-found")
        else:
            self.expect(result, 200)
            for field, value in given.items():
                self.books[book_id][field] = value.stored
            self.assert_book(result.json, book_id)

    @rule(data=st.data())
    def replace_book_authors(self, data: st.DataObject) -> None:
        book_id = self.id_of(data, "book")
        author_ids = self.ids(data, "author")
        result = self.send("PUT", f"/books/{book_id}/authors", author_ids.raw)
        if not author_ids.valid:
            self.expect(result, 422, "validation-error")
        elif book_id not in self.books:
            self.expect(result, 404, "not-found")
        elif self.missing(author_ids.raw, self.authors):
            self.expect(result, 400, "unknown-reference")
        else:
            self.expect(result, 200)
            self.books[book_id]["author_ids"] = set(author_ids.raw)
            self.assert_book(result.json, book_id)

    @rule(data=st.data())
    def remove_book(self, data: st.DataObject) -> None:
        book_id = self.id_of(data, "book")
        result = self.send("DELETE", f"/books/{book_id}")
        if book_id not in self.books:
            self.expect(result, 404, "not-found")
            return
        self.expect(result, 204)
        del self.books[book_id]
        for review_id in [r for r, review in self.reviews.items() if review["book_id"] == book_id]:
            del self.reviews[review_id]

    # --- reviews ----------------------------------------------------------------------------

    @rule(data=st.data(), reviewer=REVIEWERS, rating=RATINGS, comment=COMMENTS)
    def add_review(
        self, data: st.DataObject, reviewer: Value, rating: Value, comment: Value
    ) -> None:
        book_id = self.id_of(data, "book")
        body = {"reviewer_name": reviewer.raw, "rating": rating.raw, "comment": comment.raw}
        result = self.send("POST", f"/books/{book_id}/reviews", body)
        if not (reviewer.valid and rating.valid and comment.valid):
            self.expect(result, 422, "validation-error")
        elif book_id not in self.books:
            self.expect(result, 404, "not-found")
        elif any(
            review["book_id"] == book_id
            and review["reviewer_name"].lower() == reviewer.stored.lower()
            for review in self.reviews.values()
        ):
            self.expect(result, 400, "duplicate-review")
        else:
            self.expect(result, 201)
            review_id = result.json["id"]
            assert result.headers["location"] == f"/reviews/{review_id}"
            self.issued["review"].append(review_id)
            self.reviews[review_id] = {
                "book_id": book_id,
                "reviewer_name": reviewer.stored,
                "rating": rating.stored,
                "comment": comment.stored,
            }
            assert result.json == self.review_view(review_id)

    @rule(data=st.data(), rating=RATINGS, comment=COMMENTS)
    def revise_review(self, data: st.DataObject, rating: Value, comment: Value) -> None:
        review_id = self.id_of(data, "review")
        fields = data.draw(st.sets(st.sampled_from(["rating", "comment"])), label="fields")
        given = {"rating": rating, "comment": comment}
        body = {f: given[f].raw for f in fields}
        result = self.send("PATCH", f"/reviews/{review_id}", body)
        if not all(given[f].valid for f in fields):
            self.expect(result, 422, "validation-error")
        elif review_id not in self.reviews:
            self.expect(result, 404, "not-found")
        else:
            self.expect(result, 200)
            for field in fields:
                self.reviews[review_id][field] = given[field].stored
            assert result.json == self.review_view(review_id)

    @rule(data=st.data())
    def remove_review(self, data: st.DataObject) -> None:
        review_id = self.id_of(data, "review")
        result = self.send("DELETE", f"/reviews/{review_id}")
        if review_id not in self.reviews:
            self.expect(result, 404, "not-found")
            return
        self.expect(result, 204)
        del self.reviews[review_id]

    # --- junk -------------------------------------------------------------------------------

    @rule(data=st.data(), raw=JUNK_BODIES)
    def send_junk(self, data: st.DataObject, raw: bytes) -> None:
        book_id, author_id = self.id_of(data, "book"), self.id_of(data, "author")
        review_id = self.id_of(data, "review")
        method, path = data.draw(
            st.sampled_from(
                [
                    ("POST", "/books"),
                    ("PUT", f"/books/{book_id}"),
                    ("PATCH", f"/books/{book_id}"),
                    ("POST", f"/books/{book_id}/reviews"),
                    ("PATCH", f"/reviews/{review_id}"),
                    ("POST", "/authors"),
                    ("PUT", f"/authors/{author_id}"),
                    ("PATCH", f"/authors/{author_id}"),
                ]
            ),
            label="route",
        )
        result = self.send(method, path, raw=raw)
        assert result.status_code in (400, 422), result.text

    # --- invariant --------------------------------------------------------------------------

    @invariant()
    def every_page_matches_the_model(self) -> None:
        authors = self.send("GET", "/authors?limit=100")
        assert authors.json == [self.author_view(a) for a in sorted(self.authors)]
        page = self.client.simulate_get("/books", params={"limit": "100"}).json
        assert page["items"] == [self.book_view(b) for b in sorted(self.books)]
        assert page["next_cursor"] is None
        for book_id in self.books:
            self.assert_book(self.send("GET", f"/books/{book_id}").json, book_id)
            reviews = self.send("GET", f"/books/{book_id}/reviews").json
            assert reviews == self.book_detail(book_id)["reviews"]
        for author_id in self.authors:
            books = self.send("GET", f"/authors/{author_id}/books").json
            assert books == [
                {"id": b, "title": self.books[b]["title"], "year": self.books[b]["year"]}
                for b in sorted(self.books)
                if author_id in self.books[b]["author_ids"]
            ]
        for review_id in self.reviews:
            assert self.send("GET", f"/reviews/{review_id}").json == self.review_view(review_id)
        for entity, path in (("author", "/authors"), ("book", "/books"), ("review", "/reviews")):
            gone = [i for i in self.issued[entity] if i not in self.existing(entity)]
            for entity_id in gone[-2:]:
                self.expect(self.send("GET", f"{path}/{entity_id}"), 404, "not-found")

    def existing(self, entity: str) -> dict[int, Any]:
        return {"author": self.authors, "book": self.books, "review": self.reviews}[entity]


_FAST = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TestCatalogue = _FAST(Catalogue).TestCase


@pytest.mark.slow
def test_catalogue_long_histories() -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        Catalogue,
        settings=settings(
            max_examples=400,
            stateful_step_count=60,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
