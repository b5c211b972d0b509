"""The ASGI entry point: `uvicorn library.entrypoints.http.asgi:app --factory`."""

from __future__ import annotations

from library.container import create_container
from library.entrypoints.http.app import AsgiApp, create_app
from library.entrypoints.logs import lean_records


def app() -> AsgiApp:
    """Build the service from the environment's settings."""
    lean_records()  # uvicorn's worker processes configure logging without our CLI
    return create_app(create_container())
