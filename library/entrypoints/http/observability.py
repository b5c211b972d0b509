"""One middleware for what every request leaves behind: a request id, a metric, a log line.

The request id is the client's `X-Request-ID` when it is a sensible one (1 to 128 visible
ASCII characters), else a new one; it is echoed in the response's `X-Request-ID` and named by
every log line written while the request is handled. The log line (`library.access`, INFO)
and the metrics name the route by its template (`/books/{book_id}`), never by its path, so
neither grows with the ids clients send.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from typing import Any

import falcon.asgi

from library.entrypoints.http.metrics import HttpMetrics
from library.entrypoints.logs import request_id

REQUEST_ID = "X-Request-ID"
UNMATCHED = "<unmatched>"  # no route: a 404 for an unknown path, whatever the client sent

access_log = logging.getLogger("library.access")

_VALID_ID = re.compile(r"[\x21-\x7e]{1,128}")
_METHODS = {m: m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")}
_CONVERTER = re.compile(r"\{(\w+):[^}]*\}")


def route_label(template: str) -> str:
    """A Falcon URI template as documents write it: `/books/{book_id:id}` -> `/books/{book_id}`."""
    return _CONVERTER.sub(r"{\1}", template)


class Observability:
    """Falcon middleware: request ids, request metrics and the access log."""

    def __init__(self, metrics: HttpMetrics, static_routes: Mapping[str, str]) -> None:
        """Watch requests.

        Args:
            metrics: where requests are counted.
            static_routes: path prefix -> label, for files served outside the router.
        """
        self._metrics = metrics
        self._static = tuple(static_routes.items())
        self._labels: dict[str, str] = {}

    async def process_startup(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        self._metrics.start()

    async def process_shutdown(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        await self._metrics.stop()

    async def process_request(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        given = req.get_header(REQUEST_ID)
        rid = given if given is not None and _VALID_ID.fullmatch(given) else os.urandom(16).hex()
        context = req.context
        context.request_id = rid
        context.log_token = request_id.set(rid)
        context.started = time.perf_counter()

    async def process_response(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        req_succeeded: bool,
    ) -> None:
        context = req.context
        seconds = time.perf_counter() - context.started
        status = resp.status_code
        method = _METHODS.get(req.method, "other")
        route = self._route(req)
        self._metrics.observe(method, route, status, seconds)
        rid: str = context.request_id
        resp.set_header(REQUEST_ID, rid)
        if access_log.isEnabledFor(logging.INFO):
            milliseconds = round(seconds * 1000, 2)
            extra = {
                "method": req.method,
                "path": req.path,
                "route": route,
                "status": status,
                "duration_ms": milliseconds,
                "request_id": rid,
            }
            principal = context.get("principal")
            if principal is None:
                access_log.info(
                    "%s %s -> %d in %.2f ms",
                    req.method,
                    req.path,
                    status,
                    milliseconds,
                    extra=extra,
                )
            else:  # who did it (a key id or a token subject, never a secret)
                extra["principal"] = name = f"{principal.kind}:{principal.name}"
                access_log.info(
                    "%s %s -> %d in %.2f ms by %s",
                    req.method,
                    req.path,
                    status,
                    milliseconds,
                    name,
                    extra=extra,
                )
        request_id.reset(context.log_token)

    def _route(self, req: falcon.asgi.Request) -> str:
        template = req.uri_template
        if template is None:
            path = req.path
            for prefix, static in self._static:
                if path.startswith(prefix):
                    return static
            return UNMATCHED
        label = self._labels.get(template)
        if label is None:
            label = self._labels[template] = route_label(template)
        return label
