"""/openapi.json: a valid OpenAPI 3.1 document of exactly the routes the service serves."""

from __future__ import annotations

from typing import Any

import attrs
import falcon.inspect
import pytest
from falcon import testing
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from library.application.books import BookChanges, BookInput
from library.application.list_params import BookListParams
from library.application.read_models import BookDetail
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from library.entrypoints.http.app import responder_methods
from library.entrypoints.http.observability import route_label
from tests.http.http_api import Api, make_api

METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    body = make_api().get("/openapi.json").json
    assert isinstance(body, dict)
    return body


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(document).validate()


def test_every_served_route_and_method_is_documented_and_nothing_else() -> None:
    app = create_app(create_container(Settings().drop_in()))
    document = testing.TestClient(app).simulate_get("/openapi.json").json
    served = {
        route_label(route.path): {
            method.method.lower() for method in route.methods if not method.internal
        }
        for route in falcon.inspect.inspect_routes(app)
    }
    documented = {
        path: {method for method in item if method in METHODS}
        for path, item in document["paths"].items()
    }
    assert served == documented


def test_a_resource_serving_an_undocumented_method_stops_the_app_from_building(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from library.entrypoints.http.resources import health

    async def on_post(self: object, req: object, resp: object) -> None: ...

    monkeypatch.setattr(health.Health, "on_post", on_post, raising=False)
    assert "POST" in responder_methods(health.Health())
    with pytest.raises(RuntimeError, match="/healthz"):
        create_app(create_container(Settings().drop_in()))


def test_bodies_are_the_command_classes_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    book = schemas["BookInput"]
    assert list(book["properties"]) == [f.name for f in attrs.fields(BookInput)]
    assert book["required"] == ["title"]
    assert book["additionalProperties"] is False
    assert book["properties"]["title"] | {"description": ""} == {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
        "description": "",
    }
    assert book["properties"]["year"]["type"] == ["integer", "null"]
    assert book["properties"]["author_ids"]["items"]["minimum"] == 1
    changes = schemas["BookChanges"]
    assert list(changes["properties"]) == [f.name for f in attrs.fields(BookChanges)]
    assert "required" not in changes  # every field may be left out of a PATCH
    assert changes["properties"]["title"]["type"] == "string"  # null is refused for a title
    assert changes["properties"]["genre_name"]["type"] == ["string", "null"]


def test_answers_are_the_read_models(document: dict[str, Any]) -> None:
    detail = document["components"]["schemas"]["BookDetail"]
    assert list(detail["properties"]) == [f.name for f in attrs.fields(BookDetail)]
    assert detail["properties"]["rating_avg"]["type"] == ["number", "null"]
    assert detail["properties"]["authors"]["items"] == {"$ref": "#/components/schemas/Author"}
    assert "additionalProperties" not in detail  # clients ignore extensions
    get_book = document["paths"]["/books/{book_id}"]["get"]["responses"]
    assert get_book["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookDetail"
    }


def test_query_parameters_are_the_parameter_class_fields(document: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in document["paths"]["/books"]["get"]["parameters"]}
    assert list(parameters) == [f.name for f in attrs.fields(BookListParams)]
    assert parameters["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    assert parameters["sort"]["schema"]["type"] == "array"
    assert "year:desc" in parameters["sort"]["schema"]["items"]["enum"]
    assert parameters["sort"]["explode"] is True


def test_each_operation_documents_the_problems_it_can_answer(document: dict[str, Any]) -> None:
    post_books = document["paths"]["/books"]["post"]["responses"]
    # In drop-in mode (this document's): no 401, 403 or 429. Every operation may meet the
    # limits of a request's size (414, 431).
    assert set(post_books) == {"201", "400", "413", "414", "415", "422", "431", "503"}
    assert "Location" in post_books["201"]["headers"]
    assert "Retry-After" in post_books["503"]["headers"]
    problem = post_books["400"]["content"]["application/problem+json"]["schema"]
    assert problem["allOf"][1]["properties"]["type"]["enum"] == [
        "/problems/malformed-json",
        "/problems/unknown-reference",
    ]
    assert set(document["paths"]["/books/{book_id}"]["get"]["responses"]) == {
        "200",
        "404",
        "414",
        "431",
        "503",
    }
    assert set(document["paths"]["/books"]["get"]["responses"]) == {
        "200",
        "400",
        "414",
        "422",
        "431",
        "503",
    }
    assert set(document["paths"]["/healthz"]["get"]["responses"]) == {"200", "414", "431"}
    ready_503 = document["paths"]["/readyz"]["get"]["responses"]["503"]
    assert ready_503["content"]["application/problem+json"]["schema"]["allOf"][2] == {
        "$ref": "#/components/schemas/Readiness"
    }


class Conformance:
    """Validate answers against the schema the document gives their status code."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource("urn:api", resource)

    def check(self, path: str, method: str, result: testing.Result) -> None:
        responses = self._document["paths"][path][method]["responses"]
        answer = responses[str(result.status_code)]  # KeyError: an undocumented status
        assert "x-request-id" in result.headers
        if "content" not in answer:
            assert not result.content
            return
        media_type = result.headers["content-type"].partition(";")[0]
        schema = answer["content"][media_type]["schema"]
        Draft202012Validator(_rebased(schema), registry=self._registry).validate(result.json)


def _rebased(schema: Any) -> Any:
    """`schema` with its local references pointing into the registered document."""
    if isinstance(schema, dict):
        return {
            key: ("urn:api" + value if key == "$ref" else _rebased(value))
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_rebased(item) for item in schema]
    return schema


def test_answers_conform_to_the_document(document: dict[str, Any], api: Api) -> None:
    conform = Conformance(document)
    author = api.post("/authors", {"name": "Ursula", "email": "u@example.org"})
    conform.check("/authors", "post", author)
    book = api.post("/books", {"title": "Earthsea", "year": 1968, "author_ids": [1]})
    conform.check("/books", "post", book)
    conform.check("/books/{book_id}", "get", api.get("/books/1"))
    conform.check("/books", "get", api.get("/books", params={"q": "earthsea"}))
    conform.check("/books", "get", api.get("/books", params={"limit": "0"}))
    conform.check("/books", "get", api.get("/books", params={"sort": "similarity"}))
    conform.check("/books", "post", api.post("/books", {"title": "x", "author_ids": [9]}))
    conform.check("/books", "post", api.send("POST", "/books", b"{", "application/json"))
    conform.check("/books", "post", api.send("POST", "/books", b"<a/>", "text/xml"))
    review = api.post("/books/1/reviews", {"reviewer_name": "Rita", "rating": 5})
    conform.check("/books/{book_id}/reviews", "post", review)
    again = api.post("/books/1/reviews", {"reviewer_name": "rita", "rating": 4})
    conform.check("/books/{book_id}/reviews", "post", again)
    conform.check("/books/{book_id}/reviews", "get", api.get("/books/1/reviews"))
    conform.check("/reviews/{review_id}", "patch", api.patch("/reviews/1", {"rating": 9}))
    conform.check("/authors/{author_id}/books", "get", api.get("/authors/1/books"))
    conform.check("/authors", "get", api.get("/authors"))
    conform.check("/books/{book_id}/authors", "put", api.put("/books/1/authors", [1]))
    conform.check("/books/{book_id}", "delete", api.delete("/books/1"))
    conform.check("/books/{book_id}", "get", api.get("/books/1"))
    conform.check("/healthz", "get", api.get("/healthz"))
    conform.check("/readyz", "get", api.get("/readyz"))


@pytest.fixture(scope="module")
def secured() -> dict[str, Any]:
    """The document of a deployment with access control on (the default settings)."""
    app = create_app(create_container(Settings()))
    body = testing.TestClient(app).simulate_get("/openapi.json").json
    assert isinstance(body, dict)
    return body


class TestSecurity:
    def test_it_is_valid_and_declares_both_schemes(self, secured: dict[str, Any]) -> None:
        OpenAPIV31SpecValidator(secured).validate()
        schemes = secured["components"]["securitySchemes"]
        assert schemes["apiKey"] == {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": schemes["apiKey"]["description"],
        }
        assert schemes["bearer"]["type"] == "http"
        assert schemes["bearer"]["scheme"] == "bearer"
        assert schemes["bearer"]["bearerFormat"] == "JWT"

    def test_each_operation_names_its_scope(self, secured: dict[str, Any]) -> None:
        paths = secured["paths"]
        write = [{"apiKey": ["catalogue:write"]}, {"bearer": ["catalogue:write"]}]
        assert paths["/books"]["post"]["security"] == write
        assert paths["/authors/{author_id}"]["delete"]["security"] == write
        assert paths["/books/{book_id}/reviews"]["post"]["security"] == [
            {"apiKey": ["reviews:write"]},
            {"bearer": ["reviews:write"]},
        ]
        # Reads: anonymous, or any credentials (which then count against their own budget).
        assert paths["/books"]["get"]["security"] == [{}, {"apiKey": []}, {"bearer": []}]
        assert paths["/metrics"]["get"]["security"] == [
            {"apiKey": ["metrics:read"]},
            {"bearer": ["metrics:read"]},
        ]
        for public in ("/healthz", "/readyz", "/openapi.json", "/docs"):
            assert paths[public]["get"]["security"] == []

    def test_refusals_are_documented_where_they_can_happen(self, secured: dict[str, Any]) -> None:
        paths = secured["paths"]
        post = paths["/books"]["post"]["responses"]
        assert {"401", "403", "429"} <= set(post)
        assert "WWW-Authenticate" in post["401"]["headers"]
        assert "Retry-After" in post["429"]["headers"]
        assert "RateLimit" in post["201"]["headers"]
        get = paths["/books"]["get"]["responses"]
        assert "401" in get  # credentials sent are checked
        assert "403" not in get
        assert "429" in get
        health = paths["/healthz"]["get"]["responses"]
        assert not {"401", "403", "429"} & set(health)

    def test_every_post_takes_an_idempotency_key_and_may_answer_its_422(
        self, secured: dict[str, Any]
    ) -> None:
        for path, item in secured["paths"].items():
            if "post" not in item:
                continue
            parameters = {p["name"]: p for p in item["post"].get("parameters", [])}
            assert parameters["Idempotency-Key"]["in"] == "header", path
            problem = item["post"]["responses"]["422"]["content"]["application/problem+json"]
            assert (
                "/problems/idempotency-key-reused"
                in (problem["schema"]["allOf"][1]["properties"]["type"]["enum"])
            )
