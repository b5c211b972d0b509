"""Build the Falcon ASGI application of the catalogue from a wired container."""

from __future__ import annotations

from typing import Any

import falcon.asgi
from falcon.routing import IntConverter

from library.container import Container
from library.domain.ids import MAX_ID
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.errors import install_problem_handling
from library.entrypoints.http.lifespan import Lifespan
from library.entrypoints.http.metrics import HttpMetrics
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


def _add(app: AsgiApp, route: Route) -> None:
    documented = {operation.method for operation in route.operations}
    served = responder_methods(route.resource)
    if documented != served:
        raise RuntimeError(
            f"{route.template}: documented methods {sorted(documented)} are not the ones"
            f" {type(route.resource).__name__} serves, {sorted(served)}"
        )
    app.add_route(route.template, route.resource)


def create_app(container: Container) -> AsgiApp:
    """Build the HTTP application over the use cases of `container`.

    Nothing is opened here: the container's resources are started and stopped by the ASGI
    server's lifespan events.
    """
    metrics = HttpMetrics(container.metrics_registry(), container.pool_stats())
    container.cache_observer()  # its counters are listed by /metrics before the first read
    observability = Observability(metrics, {SWAGGER_UI_STATIC + "/": SWAGGER_UI_STATIC + "/{file}"})
    middleware: list[Any] = [observability, Lifespan(container)]  # observability comes first
    app = falcon.asgi.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True  # /books/ is /books, no redirect
    app.req_options.auto_parse_qs_csv = False  # a comma is part of the value (q=a,b)
    app.req_options.keep_blank_qs_values = False  # ?q= is the same as no q at all
    app.router_options.converters["id"] = IdConverter
    install_problem_handling(app)
    document = ApiDocument()
    routes = route_table(
        container, JsonBody(container.settings().max_body_bytes), document, metrics
    )
    for route in routes:
        _add(app, route)
    document.publish(openapi_json(routes))
    app.add_static_route(SWAGGER_UI_STATIC, str(swagger_ui_assets()))
    return app
