"""Build the Falcon ASGI application of the catalogue from a wired container."""

from __future__ import annotations

from typing import Any

import falcon.asgi
from falcon.routing import IntConverter

from library.config import Settings
from library.container import Container
from library.domain.ids import MAX_ID
from library.entrypoints.http.access import AccessControl, Budgets
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.client_address import ClientAddresses
from library.entrypoints.http.cors import Cors
from library.entrypoints.http.deadlines import with_deadline
from library.entrypoints.http.errors import install_problem_handling
from library.entrypoints.http.hardening import Limits, RequestLimits, SecurityHeaders
from library.entrypoints.http.idempotency import IdempotentPosts
from library.entrypoints.http.lifespan import Lifespan
from library.entrypoints.http.metrics import AccessMetrics, HttpMetrics
from library.entrypoints.http.observability import Observability
from library.entrypoints.http.openapi import openapi_json
from library.entrypoints.http.operations import Route
from library.entrypoints.http.resources.docs import (
    SWAGGER_UI_STATIC,
    ApiDocument,
    swagger_ui_assets,
)
from library.entrypoints.http.routes import route_table

AsgiApp = falcon.asgi.App[falcon.asgi.Request, falcon.asgi.Response]


class IdConverter(IntConverter):
    """A path id: decimal ASCII digits only, from 1 to the bigint maximum.

    Python's `int()` (and so Falcon's `int` converter) also reads `+5`, `1_000` and non-ASCII
    digits; none of those is an id, so they get the 404 of any other non-id.
    """

    def __init__(self) -> None:
        super().__init__(min=1, max=MAX_ID)

    def convert(self, value: str) -> int | None:
        if not (value.isascii() and value.isdigit()):
            return None
        return super().convert(value)


def responder_methods(resource: object) -> set[str]:
    """The HTTP methods `resource` answers (its `on_<method>` responders)."""
    return {name[3:].upper() for name in dir(resource) if name.startswith("on_")}


def _add(app: AsgiApp, route: Route, read_deadline: float) -> None:
    documented = {operation.method for operation in route.operations}
    served = responder_methods(route.resource)
    if documented != served:
        raise RuntimeError(
            f"{route.template}: documented methods {sorted(documented)} are not the ones"
            f" {type(route.resource).__name__} serves, {sorted(served)}"
        )
    if "GET" in served:
        resource: Any = route.resource
        resource.on_get = with_deadline(resource.on_get, read_deadline)
    app.add_route(route.template, route.resource)


def _middleware(
    container: Container, settings: Settings, metrics: HttpMetrics, routes: tuple[Route, ...]
) -> list[Any]:
    """The request path, in order: observability first (it sees every answer), then the
    limits of the request itself, access control, and the Idempotency-Key check last (a
    repeat is authenticated and counted like any request before it is replayed)."""
    access = settings.access
    observability = Observability(metrics, {SWAGGER_UI_STATIC + "/": SWAGGER_UI_STATIC + "/{file}"})
    middleware: list[Any] = [
        observability,
        RequestLimits(Limits(access.max_request_line, access.max_header_bytes, access.max_headers)),
        SecurityHeaders(),
    ]
    if access.cors_origins:
        middleware.append(Cors(access.cors_origins))
    middleware += [
        Lifespan(container),
        AccessControl(
            mode=access.mode,
            authenticate=container.authenticate(),
            budgets=Budgets(
                read=access.read_rate,
                write=access.write_rate,
                read_limiter=container.read_limiter(),
                write_limiter=container.write_limiter(),
            ),
            addresses=ClientAddresses(access.trusted_proxies),
            metrics=AccessMetrics(container.metrics_registry()),
            routes=routes,
        ),
        IdempotentPosts(container.process_once(), settings.max_body_bytes),
    ]
    return middleware


def create_app(container: Container) -> AsgiApp:
    """Build the HTTP application over the use cases of `container`.

    Nothing is opened here: the container's resources are started and stopped by the ASGI
    server's lifespan events.
    """
    settings: Settings = container.settings()
    metrics = HttpMetrics(container.metrics_registry(), container.pool_stats())
    container.cache_observer()  # its counters are listed by /metrics before the first read
    document = ApiDocument()
    routes = route_table(container, JsonBody(settings.max_body_bytes), document, metrics)
    app = falcon.asgi.App(middleware=_middleware(container, settings, metrics, routes))
    app.req_options.strip_url_path_trailing_slash = True  # /books/ is /books, no redirect
    app.req_options.auto_parse_qs_csv = False  # a comma is part of the value (q=a,b)
    app.req_options.keep_blank_qs_values = False  # ?q= is the same as no q at all
    app.router_options.converters["id"] = IdConverter
    install_problem_handling(app)
    for route in routes:
        _add(app, route, settings.access.read_timeout)
    document.publish(openapi_json(routes, settings.access))
    app.add_static_route(SWAGGER_UI_STATIC, str(swagger_ui_assets()))
    return app
