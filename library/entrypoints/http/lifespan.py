"""Open and close the container's resources with the ASGI server's life cycle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from library.container import Container, start, stop


class Lifespan:
    """Falcon middleware running `start` at startup and `stop` at shutdown."""

    def __init__(self, container: Container) -> None:
        self._container = container

    async def process_startup(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        await start(self._container)

    async def process_shutdown(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        await stop(self._container)
