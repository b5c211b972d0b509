"""The ASGI entry point: `uvicorn library.entrypoints.http.asgi:app --factory`."""

from __future__ import annotations

from library.container import create_container
from library.entrypoints.http.app import AsgiApp, create_app


def app() -> AsgiApp:
    """Build the service from the environment's settings."""
    return create_app(create_container())
