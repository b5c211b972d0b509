"""Probes: /healthz and /readyz."""

from __future__ import annotations

from dependency_injector import providers
from falcon import testing

from library.application.health import CheckReadiness
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from tests.http.http_api import Api, assert_problem


def test_healthz_is_200_while_the_process_runs(api: Api) -> None:
    result = api.get("/healthz")
    assert result.status_code == 200
    assert result.headers["content-type"] == "application/json"
    assert result.json == {"status": "ok"}


def test_readyz_on_the_memory_default_is_always_ready(api: Api) -> None:
    result = api.get("/readyz")
    assert result.status_code == 200
    assert result.json == {"ready": True, "dependencies": []}


class Probe:
    def __init__(self, name: str, *, critical: bool, answers: bool) -> None:
        self.name = name
        self.critical = critical
        self.answers = answers

    async def __call__(self) -> None:
        if not self.answers:
            raise ConnectionRefusedError("connection refused")


def api_with_checks(*checks: Probe) -> Api:
    container = create_container(Settings().drop_in())
    container.check_readiness.override(providers.Object(CheckReadiness(checks)))
    return Api(testing.TestClient(create_app(container)))


def test_readyz_reports_each_dependency() -> None:
    api = api_with_checks(
        Probe("postgres", critical=True, answers=True),
        Probe("redis", critical=False, answers=False),
    )
    result = api.get("/readyz")
    assert result.status_code == 200
    assert result.json == {
        "ready": True,
        "dependencies": [
            {"name": "postgres", "status": "ok", "detail": None},
            {"name": "redis", "status": "degraded", "detail": "connection refused"},
        ],
    }


def test_readyz_is_a_503_problem_when_a_critical_dependency_is_down() -> None:
    api = api_with_checks(Probe("postgres", critical=True, answers=False))
    result = api.get("/readyz")
    body = assert_problem(result, 503, "service-unavailable")
    assert "retry-after" in result.headers
    assert body["ready"] is False
    assert body["dependencies"] == [
        {"name": "postgres", "status": "down", "detail": "connection refused"}
    ]
