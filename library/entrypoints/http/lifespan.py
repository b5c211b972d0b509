"""Open and close the container's resources with the ASGI server's life cycle."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from library.application.access import ADMIN
from library.application.access.policy import AuthMode
from library.config import Settings
from library.container import Container, start, stop

log = logging.getLogger("library.serve")


class Lifespan:
    """Falcon middleware running `start` at startup and `stop` at shutdown."""

    def __init__(self, container: Container, terminal: TextIO | None = None) -> None:
        self._container = container
        self._terminal = terminal

    async def process_startup(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        await start(self._container)
        settings: Settings = self._container.settings()
        if settings.access.mode is AuthMode.OFF:
            log.warning(
                "Access control is off (LIBRARY_AUTH=off): anyone who can reach this service"
                " can change or delete the catalogue. Use it only where the original service's"
                " clients must work unchanged, behind a network that keeps others out."
            )
        elif settings.in_memory and not settings.access.api_keys:
            await self._first_key()

    async def process_shutdown(self, scope: Mapping[str, Any], event: Mapping[str, Any]) -> None:
        await stop(self._container)

    async def _first_key(self) -> None:
        """On the in-memory catalogue with no key configured, make one admin key and show
        it, once, to the person at the terminal; never write a secret into a log file."""
        terminal = self._terminal or sys.stderr
        if not terminal.isatty():
            log.warning(
                "No API key is configured, so every write will be refused (401). Create one"
                " with `library keys create --name NAME --scope admin` and put the"
                " LIBRARY_API_KEYS line it prints into the environment, or set"
                " LIBRARY_AUTH=off where the original service's clients must work unchanged."
            )
            return
        issued = await self._container.issue_key()("first admin key", [ADMIN])
        terminal.write(
            "\nNo API key was configured: this admin key works until the server stops.\n"
            "Send it as `X-API-Key`; it is shown only this once:\n\n"
            f"    {issued.key}\n\n"
            "To keep a key across restarts, put the LIBRARY_API_KEYS line of\n"
            "`library keys create --name NAME --scope admin` into the environment.\n\n"
        )
        terminal.flush()
