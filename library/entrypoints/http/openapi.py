"""The OpenAPI 3.1 document of the service, generated from the route table.

Paths and methods come from the routes Falcon serves; parameters, bodies and answers from the
attrs classes the resources structure and serialise (see `json_schema`). The problems each
operation can answer follow from what it reads: a path id can be missing (404), a body can
be refused (400 malformed JSON, 413, 415, 422), query parameters can be invalid (422), and the
catalogue can be unreachable (503); the route table adds the business ones.
"""

from __future__ import annotations

import importlib.metadata
import re
import typing
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import orjson

from library.application.access.policy import AuthMode, required_scope
from library.application.field_docs import FieldDoc, field_doc
from library.config import AccessSettings
from library.domain.ids import MAX_ID
from library.entrypoints.http.errors import (
    FORBIDDEN,
    HEADERS_TOO_LARGE,
    MALFORMED_JSON,
    MEDIA_PROBLEM,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    RATE_LIMITED,
    SERVICE_UNAVAILABLE,
    UNAUTHENTICATED,
    UNSUPPORTED_MEDIA_TYPE,
    URI_TOO_LONG,
    VALIDATION_ERROR,
    ProblemDetails,
    ProblemType,
)
from library.entrypoints.http.idempotency import HEADER as IDEMPOTENCY_KEY
from library.entrypoints.http.idempotency import KEY_REUSED, REPLAYED
from library.entrypoints.http.json_schema import (
    Schema,
    SchemaBuilder,
    constrained,
    parameter_schema,
)
from library.entrypoints.http.observability import REQUEST_ID, route_label
from library.entrypoints.http.operations import Operation, Route

OPENAPI_VERSION = "3.1.1"

_PATH_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_CONVERTERS: dict[str, Schema] = {
    "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_BODY_PROBLEMS = (MALFORMED_JSON, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, VALIDATION_ERROR)
_HEADERS = "#/components/headers/"

_DESCRIPTION = """\
A book catalogue: authors, books and reviews, with full-text and fuzzy search and keyset
pagination.

Access: an API key in `X-API-Key` or a JWT in `Authorization: Bearer`, holding the scopes
each operation names under its security requirement (`admin` holds every scope). Requests
are rate-limited per key, token subject or client address; limited answers carry the
`RateLimit` and `RateLimit-Policy` headers, and a 429 `Retry-After`.

Every error is an RFC 9457 problem document (`application/problem+json`) whose `type` names
the kind of problem; `errors` lists the fields or parameters at fault. Every route also
answers with a trailing slash. Every response carries `X-Request-ID`: the request's own, when
it sent a valid one (1 to 128 visible ASCII characters), else a new one; logs name it too.
"""

_TAGS = [
    {"name": "books", "description": "Books, with their authors and reviews"},
    {"name": "reviews", "description": "Readers' reviews of books"},
    {"name": "authors", "description": "Authors and their books"},
    {"name": "operations", "description": "Probes, metrics and these documents"},
]


def _version() -> str:
    try:
        return importlib.metadata.version("library")
    except importlib.metadata.PackageNotFoundError:
        return "0"


_SCHEMES = ("apiKey", "bearer")
_SECURITY_SCHEMES = {
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An API key (`lib_<id>_<secret>`) from `library keys create`",
    },
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A JWT whose `scope`, `scp` or `permissions` claim lists its scopes",
    },
}


class _Generator:
    def __init__(self, access: AccessSettings) -> None:
        self.schemas = SchemaBuilder()
        self._access = access

    def _reads_credentials(self, operation: Operation) -> bool:
        return self._access.mode is not AuthMode.OFF and operation.scope is not None

    def _limited(self, operation: Operation) -> bool:
        access = self._access
        budgets = access.read_rate if operation.method == "GET" else access.write_rate
        # Keys may carry budgets of their own whenever credentials are read.
        return operation.rate_limited and (
            budgets is not None or self._reads_credentials(operation)
        )

    def _security(self, operation: Operation) -> list[dict[str, list[str]]]:
        if not self._reads_credentials(operation):
            return []
        needed = required_scope(self._access.mode, operation.scope)
        if needed is None:  # credentials optional: anonymous, or any key or token
            anyone: list[dict[str, list[str]]] = [{}]
            return anyone + [{scheme: []} for scheme in _SCHEMES]
        return [{scheme: [needed]} for scheme in _SCHEMES]

    def operation(self, route: Route, operation: Operation) -> dict[str, Any]:
        parameters = [*self._path_parameters(route.template), *self._query(operation.query)]
        if operation.method == "POST":
            parameters.append(_IDEMPOTENCY_PARAMETER)
        spec: dict[str, Any] = {
            "tags": [route.tag],
            "summary": operation.summary,
            "operationId": _operation_id(route, operation),
        }
        if operation.description:
            spec["description"] = operation.description
        if parameters:
            spec["parameters"] = parameters
        if operation.body is not None:
            body = self.schemas.schema(operation.body, closed=True)
            if operation.body_doc is not None:
                body = constrained(body, operation.body_doc)
            spec["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body}},
            }
        spec["responses"] = {**self._reply(operation), **self._problems(route, operation)}
        spec["security"] = self._security(operation)
        return spec

    def _path_parameters(self, template: str) -> Iterable[dict[str, Any]]:
        for name, converter in _PATH_PARAMETER.findall(template):
            yield {
                "name": name,
                "in": "path",
                "required": True,
                "description": "A positive integer id; any other value is a 404",
                "schema": dict(_CONVERTERS[converter]) if converter else {"type": "string"},
            }

    def _query(self, params: type | None) -> Iterable[dict[str, Any]]:
        if params is None:
            return
        hints = typing.get_type_hints(params)
        for field in attrs.fields(typing.cast(type[attrs.AttrsInstance], params)):
            doc = field_doc(field)
            if doc is None:
                raise TypeError(f"{params.__name__}.{field.name} has no FieldDoc to document it")
            parameter: dict[str, Any] = {
                "name": field.name,
                "in": "query",
                "required": False,
                "description": doc.description,
                "schema": parameter_schema(hints[field.name], _without_description(doc)),
            }
            if parameter["schema"]["type"] == "array":
                parameter.update(style="form", explode=True)  # ?sort=a&sort=b
            yield parameter

    def _reply(self, operation: Operation) -> dict[str, Any]:
        reply = operation.reply
        answer: dict[str, Any] = {
            "description": reply.description,
            "headers": _headers(limited=self._limited(operation)),
        }
        if operation.method == "POST":
            answer["headers"][REPLAYED] = {
                "description": "`true` when this is the kept answer of an earlier request"
                " with the same Idempotency-Key",
                "schema": {"type": "string", "enum": ["true"]},
            }
        if reply.location:
            answer["headers"]["Location"] = {
                "description": "The path of the new resource",
                "required": True,
                "schema": {"type": "string"},
            }
        if reply.model is not None:
            answer["content"] = {reply.media_type: {"schema": self.schemas.schema(reply.model)}}
        return {str(reply.status): answer}

    def _problems(self, route: Route, operation: Operation) -> dict[str, Any]:
        by_status: dict[int, list[ProblemType]] = {}
        for kind in self._problem_kinds(route, operation):
            kinds = by_status.setdefault(kind.status, [])
            if kind not in kinds:
                kinds.append(kind)
        problem = self.schemas.schema(ProblemDetails)
        answers: dict[str, Any] = {}
        for status, kinds in sorted(by_status.items()):
            schema: Schema = {
                "allOf": [problem, {"properties": {"type": {"enum": [k.uri for k in kinds]}}}]
            }
            if operation.problem_extension is not None:
                schema["allOf"].append(self.schemas.schema(operation.problem_extension))
            headers = _headers(limited=self._limited(operation))
            if status in (SERVICE_UNAVAILABLE.status, RATE_LIMITED.status):
                headers["Retry-After"] = {
                    "description": "Seconds to wait before retrying",
                    "required": True,
                    "schema": {"type": "string"},
                }
            if status == UNAUTHENTICATED.status:
                headers["WWW-Authenticate"] = {
                    "description": 'An RFC 6750 challenge: `Bearer realm="library"`, with'
                    " `error` and `error_description` when credentials were refused",
                    "required": True,
                    "schema": {"type": "string"},
                }
            answers[str(status)] = {
                "description": "; ".join(f"{k.title} (`{k.uri}`)" for k in kinds),
                "headers": headers,
                "content": {MEDIA_PROBLEM: {"schema": schema}},
            }
        return answers

    def _problem_kinds(self, route: Route, operation: Operation) -> Iterable[ProblemType]:
        yield URI_TOO_LONG
        yield HEADERS_TOO_LARGE
        if _PATH_PARAMETER.search(route.template):
            yield NOT_FOUND
        if self._reads_credentials(operation):
            yield UNAUTHENTICATED
        if required_scope(self._access.mode, operation.scope) is not None:
            yield FORBIDDEN
        if self._limited(operation):
            yield RATE_LIMITED
        if operation.query is not None:
            yield VALIDATION_ERROR
        if operation.body is not None:
            yield from _BODY_PROBLEMS
        if operation.method == "POST":
            yield VALIDATION_ERROR  # a malformed Idempotency-Key
            yield KEY_REUSED
        yield from operation.problems
        if operation.storage or self._reads_credentials(operation):
            yield SERVICE_UNAVAILABLE


_IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "description": "1 to 255 visible ASCII characters. The first request with a key is"
    " processed; a repeat with the same method, path and body (from the same principal) gets"
    " the kept answer for 24 hours; the same key for another request is a 422"
    " (`/problems/idempotency-key-reused`).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def _without_description(doc: FieldDoc) -> FieldDoc:
    return attrs.evolve(doc, description="")  # said once, by the parameter


def _headers(*, limited: bool = False) -> dict[str, Any]:
    headers: dict[str, Any] = {REQUEST_ID: {"$ref": _HEADERS + "RequestId"}}
    if limited:
        headers["RateLimit"] = {"$ref": _HEADERS + "RateLimit"}
        headers["RateLimit-Policy"] = {"$ref": _HEADERS + "RateLimitPolicy"}
    return headers


def _operation_id(route: Route, operation: Operation) -> str:
    return operation.method.lower() + type(route.resource).__name__


def openapi_document(
    routes: Sequence[Route], access: AccessSettings | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `routes`, with the security `access` configures."""
    generator = _Generator(access or AccessSettings())
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        item = paths.setdefault(route_label(route.template), {})
        for operation in route.operations:
            item[operation.method.lower()] = generator.operation(route, operation)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "library", "version": _version(), "description": _DESCRIPTION},
        "tags": _TAGS,
        "paths": paths,
        "components": {
            "schemas": generator.schemas.components,
            "headers": {
                "RequestId": {
                    "description": "The request's id: the one it sent, or a new one",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "RateLimit": {
                    "description": 'What is left of the budget: `"<policy>";r=<remaining>;'
                    "t=<seconds until it is whole again>` (IETF RateLimit header fields)",
                    "schema": {"type": "string"},
                },
                "RateLimitPolicy": {
                    "description": 'The budget: `"<policy>";q=<requests>;w=<window seconds>`'
                    " (policy `read` or `write`)",
                    "schema": {"type": "string"},
                },
            },
            "securitySchemes": _SECURITY_SCHEMES,
        },
    }


def openapi_json(routes: Sequence[Route], access: AccessSettings | None = None) -> bytes:
    """`openapi_document` as JSON."""
    return orjson.dumps(openapi_document(routes, access))
