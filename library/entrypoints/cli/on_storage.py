"""Running one piece of work on the configured storage, for commands that need only that."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

from attrs import evolve

from library.application.errors import StorageUnavailable
from library.config import JwtSettings, Settings
from library.container import Container, create_container, start, stop

T = TypeVar("T")


def on_storage(
    settings: Settings, command: str, work: Callable[[Container], Awaitable[T]]
) -> T | None:
    """Run `work` on a container of its own; None (after saying why) when PostgreSQL cannot
    be used."""
    try:
        with _quiet(_STORAGE_LOGGERS):
            return asyncio.run(_on_container(settings, work))
    except StorageUnavailable as error:
        where = _server(settings.database_url)
        print(f"{command}: PostgreSQL{where} cannot be used: {error}", file=sys.stderr)
        return None


# The pool logs every failed connection attempt and the adapters every failure: right for a
# server, noise for a command that says in one line why it failed.
_STORAGE_LOGGERS = ("psycopg", "library.adapters.postgres")


@contextmanager
def _quiet(names: Sequence[str]) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


async def _on_container(settings: Settings, work: Callable[[Container], Awaitable[T]]) -> T:
    # Storage alone: no demo catalogue, cache, change feed or JWKS to start.
    only_storage = evolve(
        settings, demo=False, redis_url=None, access=evolve(settings.access, jwt=JwtSettings())
    )
    container = create_container(only_storage)
    await start(container)
    try:
        return await work(container)
    finally:
        await stop(container)


def _server(url: str | None) -> str:
    """` at host:port` of a PostgreSQL URL (never its password), or nothing."""
    try:
        parts = urlsplit(url or "")
        host, port = parts.hostname, parts.port
    except ValueError:
        return ""
    if not host:
        return ""
    return f" at {host}:{port}" if port else f" at {host}"
