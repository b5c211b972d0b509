"""Helpers of the HTTP tests: the API on a fresh in-memory container, problem checks."""

from __future__ import annotations

from typing import Any

from falcon import testing

from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app

PROBLEM = "application/problem+json"


class Api:
    """A test client with the few conveniences every HTTP test wants."""

    def __init__(self, client: testing.TestClient) -> None:
        self.client = client

    def request(self, method: str, path: str, **kwargs: Any) -> testing.Result:
        return self.client.simulate_request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> testing.Result:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> testing.Result:
        return self.request("POST", path, json=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> testing.Result:
        return self.request("PUT", path, json=body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> testing.Result:
        return self.request("PATCH", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> testing.Result:
        return self.request("DELETE", path, **kwargs)

    def send(
        self, method: str, path: str, raw: bytes, content_type: str | None = None
    ) -> testing.Result:
        headers = {} if content_type is None else {"Content-Type": content_type}
        return self.request(method, path, body=raw, headers=headers)

    def author(self, name: str = "Ursula K. Le Guin", **fields: Any) -> dict[str, Any]:
        result = self.post("/authors", {"name": name, **fields})
        assert result.status_code == 201, result.text
        return _object(result)

    def book(self, title: str = "A Wizard of Earthsea", **fields: Any) -> dict[str, Any]:
        result = self.post("/books", {"title": title, **fields})
        assert result.status_code == 201, result.text
        return _object(result)

    def review(
        self, book_id: int, reviewer: str = "Rita", rating: int = 5, **fields: Any
    ) -> dict[str, Any]:
        body = {"reviewer_name": reviewer, "rating": rating, **fields}
        result = self.post(f"/books/{book_id}/reviews", body)
        assert result.status_code == 201, result.text
        return _object(result)


def _object(result: testing.Result) -> dict[str, Any]:
    body = result.json
    assert isinstance(body, dict)
    return body


def make_api(settings: Settings | None = None) -> Api:
    app = create_app(create_container(settings or Settings().drop_in()))
    return Api(testing.TestClient(app))


def assert_problem(
    result: testing.Result, status: int, type_: str, *, fields: list[str] | None = None
) -> dict[str, Any]:
    """Check `result` is an RFC 9457 problem of `type_`; return its body."""
    assert result.status_code == status, result.text
    assert result.headers["content-type"] == PROBLEM
    body = _object(result)
    assert body["type"] == f"/problems/{type_}"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if fields is not None:
        assert [error["field"] for error in body["errors"]] == fields
        assert all(isinstance(error["message"], str) for error in body["errors"])
    return body
