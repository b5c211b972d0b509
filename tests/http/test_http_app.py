"""Building the app: the uvicorn factory and the startup/shutdown life cycle."""

from __future__ import annotations

import pytest
from falcon import testing

from library.config import Settings
from library.container import create_container
from library.entrypoints.http import asgi, create_app


def test_the_factory_builds_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LIBRARY_DATABASE_URL", "DATABASE_URL", "POSTGRES_DB", "DB_HOST", "LIBRARY_AUTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LIBRARY_MAX_BODY_BYTES", "16")
    body = {"name": "A" * 20}
    # Safe by default: an anonymous write is refused before its body is read.
    assert testing.TestClient(asgi.app()).simulate_post("/authors", json=body).status_code == 401
    monkeypatch.setenv("LIBRARY_AUTH", "off")
    assert testing.TestClient(asgi.app()).simulate_post("/authors", json=body).status_code == 413


async def test_startup_loads_the_demo_catalogue_once() -> None:
    app = create_app(create_container(Settings(demo=True).drop_in()))
    async with testing.ASGIConductor(app) as conductor:
        first = await conductor.simulate_get("/authors", params={"limit": "100"})
        second = await conductor.simulate_get("/authors", params={"limit": "100"})
    assert first.status_code == 200
    assert len(first.json) == 6
    assert second.json == first.json


async def test_the_conductor_serves_requests_on_one_event_loop() -> None:
    app = create_app(create_container(Settings().drop_in()))
    async with testing.ASGIConductor(app) as conductor:
        created = await conductor.simulate_post("/authors", json={"name": "A"})
        shown = await conductor.simulate_get(created.headers["location"])
    assert shown.json == created.json
