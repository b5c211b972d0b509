"""The ASGI entry point: `uvicorn library.entrypoints.http.asgi:app --factory`."""

from __future__ import annotations

from library.container import Container, create_container
from library.entrypoints.http.app import create_app
from library.entrypoints.http.idempotency import AsgiApp, IdempotentPosts
from library.entrypoints.logs import lean_records


def create_service(container: Container) -> AsgiApp:
    """The whole HTTP service: the Falcon app behind the Idempotency-Key handling."""
    return IdempotentPosts(
        create_app(container),  # type: ignore[arg-type]  # an ASGI callable like any other
        container.process_once(),
        container.settings().max_body_bytes,
    )


def app() -> AsgiApp:
    """Build the service from the environment's settings."""
    lean_records()  # uvicorn's worker processes configure logging without our CLI
    return create_service(create_container())
