"""What the route table says of each route: its operations, what they take and answer."""

from __future__ import annotations

from typing import Any

import falcon
from attrs import frozen

from library.application.field_docs import FieldDoc
from library.entrypoints.http.errors import ProblemType


@frozen
class Reply:
    """The successful answer of an operation."""

    status: int = 200
    model: Any = None  # the type of the body (None: no body)
    description: str = "OK"
    media_type: str = falcon.MEDIA_JSON
    location: bool = False  # a 201 naming the new resource


@frozen(kw_only=True)
class Operation:
    """One method of a route, as documented."""

    method: str
    summary: str
    reply: Reply
    # The scope it needs when access control is on (None: public in every mode, no
    # credentials read); reads declare catalogue:read, which LIBRARY_AUTH=writes waives.
    scope: str | None
    description: str = ""
    query: type | None = None  # the attrs class its query parameters are read into
    body: Any = None  # the type its JSON body is structured into
    body_doc: FieldDoc | None = None  # limits of a body that is no attrs class
    problems: tuple[ProblemType, ...] = ()  # beyond those implied by path, query and body
    storage: bool = True  # reads or writes the catalogue, so may answer 503
    problem_extension: Any = None  # an attrs class whose fields its problems also carry
    rate_limited: bool = True  # False only for health checks, which are never limited


@frozen
class Route:
    template: str  # Falcon's, converters included
    resource: object
    tag: str
    operations: tuple[Operation, ...]

    @property
    def write_scope(self) -> str | None:
        """What a method the table does not list (a plain OPTIONS) needs: the scope of the
        route's writes, or of its reads when it has none."""
        for operation in self.operations:
            if operation.method != "GET":
                return operation.scope
        return self.operations[0].scope
