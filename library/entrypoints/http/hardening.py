"""Limits and headers that keep the edge from being used against the service or its clients.

`RequestLimits` refuses requests whose target or headers are larger than a client of this
API ever needs (414 and 431 problems, answered through the app so they are logged and
counted like any answer; the server's own, larger limits in `library serve` stop anything
bigger before it is buffered). `SecurityHeaders` adds `X-Content-Type-Options: nosniff` to
every answer, so no browser guesses a type other than the one the service names.
"""

from __future__ import annotations

import falcon.asgi
from attrs import frozen

from library.entrypoints.http.errors import HEADERS_TOO_LARGE, URI_TOO_LONG, Problem


@frozen
class Limits:
    request_line: int  # bytes of the path and query string
    header_bytes: int  # bytes of every header name and value together
    headers: int  # number of header fields


class RequestLimits:
    """Falcon middleware: 414 for a too long target, 431 for too many or too large headers."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        scope = req.scope
        limits = self._limits
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 1
        if target > limits.request_line:
            raise Problem(
                URI_TOO_LONG, f"the request target is longer than {limits.request_line} bytes"
            )
        headers = scope.get("headers")
        if not isinstance(headers, list | tuple):  # an iterator, already read by Falcon
            headers = [(name.encode(), value.encode()) for name, value in req.headers.items()]
        if len(headers) > limits.headers:
            raise Problem(HEADERS_TOO_LARGE, f"the request has more than {limits.headers} headers")
        size = sum(len(name) + len(value) for name, value in headers)
        if size > limits.header_bytes:
            raise Problem(
                HEADERS_TOO_LARGE,
                f"the request's headers are larger than {limits.header_bytes} bytes",
            )


class SecurityHeaders:
    """Falcon middleware: `X-Content-Type-Options: nosniff` on every answer."""

    async def process_response(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        req_succeeded: bool,
    ) -> None:
        resp.set_header("X-Content-Type-Options", "nosniff")
