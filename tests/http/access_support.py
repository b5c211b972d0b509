"""Apps with access control on, over memory or PostgreSQL, and keys to call them with."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from falcon import testing

from library.application.access import Rate
from library.application.access.policy import AuthMode
from library.config import AccessSettings, Settings
from library.container import Container, create_container
from library.entrypoints.http import create_app

JWT_SECRET = "a-test-secret-of-at-least-32-bytes-long"
NO_LIMITS: dict[str, Any] = {"read_rate": None, "write_rate": None}


def access(mode: AuthMode = AuthMode.WRITES, **overrides: Any) -> AccessSettings:
    """Access settings for a test: the given mode, no rate limits unless given."""
    values: dict[str, Any] = {"mode": mode, **NO_LIMITS}
    values.update(overrides)
    return AccessSettings(**values)


class Service:
    """A running app (lifespan started) and the container behind it."""

    def __init__(self, conductor: testing.ASGIConductor, container: Container) -> None:
        self.http = conductor
        self.container = container

    async def key(self, *scopes: str, rate: Rate | None = None, name: str = "test") -> str:
        issued = await self.container.issue_key()(name, scopes or ("admin",), rate=rate)
        return issued.key

    async def request(
        self, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> testing.Result:
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["X-API-Key"] = key
        # `**kwargs` could hold `_stream_result`, so falcon's overloads give Any here.
        result: testing.Result = await self.http.simulate_request(
            method, path, headers=headers, **kwargs
        )
        return result


@contextlib.asynccontextmanager
async def running(
    settings: AccessSettings,
    database_url: str | None = None,
    prepare: Callable[[Container], None] | None = None,
    **more: Any,
) -> AsyncIterator[Service]:
    """The app over `settings`; `prepare` may override the container's providers first."""
    container = create_container(Settings(database_url=database_url, access=settings, **more))
    if prepare is not None:
        prepare(container)
    async with testing.ASGIConductor(create_app(container)) as conductor:
        yield Service(conductor, container)


def storage_url(request: pytest.FixtureRequest) -> str | None:
    """None for the in-memory catalogue, else the test run's PostgreSQL database."""
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url
