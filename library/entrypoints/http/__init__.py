"""The REST API over HTTP (Falcon ASGI)."""

from library.entrypoints.http.app import create_app

__all__ = ["create_app"]
