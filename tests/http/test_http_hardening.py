"""The edge's own limits and headers: 414, 431, read time limits, nosniff, CSP and CORS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from dependency_injector import providers

from library.application.access.policy import AuthMode
from library.container import Container
from library.entrypoints.http.cors import ALLOWED_HEADERS
from tests.http.access_support import Service, access, running


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    settings = access(AuthMode.OFF, max_request_line=1024, max_header_bytes=2048, max_headers=20)
    async with running(settings) as built:
        yield built


def _problem_type(result: object) -> str:
    body = getattr(result, "json")  # noqa: B009  # falcon's Result
    return str(body["type"])


async def test_a_too_long_target_is_414(service: Service) -> None:
    ok = await service.request("GET", "/books", query_string="x=" + "a" * 900)
    assert ok.status_code == 200
    result = await service.request("GET", "/books", query_string="x=" + "a" * 1100)
    assert result.status_code == 414
    assert _problem_type(result) == "/problems/uri-too-long"
    assert result.headers["x-request-id"]  # answered through the app: logged and counted


async def test_too_many_or_too_large_headers_are_431(service: Service) -> None:
    many = {f"X-Extra-{i}": "1" for i in range(25)}
    result = await service.request("GET", "/books", headers=many)
    assert result.status_code == 431
    assert _problem_type(result) == "/problems/request-header-fields-too-large"
    large = await service.request("GET", "/books", headers={"X-Big": "b" * 3000})
    assert large.status_code == 431


async def test_every_answer_says_nosniff(service: Service) -> None:
    for method, path in [
        ("GET", "/books"),
        ("GET", "/nowhere"),
        ("POST", "/books"),
        ("GET", "/docs"),
        ("GET", "/docs/static/swagger-ui.css"),
    ]:
        result = await service.request(method, path)
        assert result.headers["x-content-type-options"] == "nosniff", (method, path)


async def test_the_docs_page_has_a_content_security_policy(service: Service) -> None:
    result = await service.request("GET", "/docs")
    policy = result.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self' 'sha256-" in policy
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_read_that_takes_too_long_is_503() -> None:
    class Slow:
        def __init__(self, inner: object) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> object:
            return getattr(self._inner, name)

        async def book(self, book_id: int) -> None:
            await asyncio.sleep(1)

    def slow_catalogue(container: Container) -> None:
        slow = Slow(container.cache.catalogue())
        container.cache.catalogue.override(providers.Object(slow))

    settings = access(AuthMode.OFF, read_timeout=0.1)
    async with running(settings, prepare=slow_catalogue) as service:
        result = await service.request("GET", "/books/1")
        assert result.status_code == 503
        assert _problem_type(result) == "/problems/service-unavailable"
        assert result.headers["retry-after"] == "1"


class TestCors:
    ORIGIN = "https://app.example"

    @pytest.fixture
    async def cors(self) -> AsyncIterator[Service]:
        async with running(access(AuthMode.WRITES, cors_origins=(self.ORIGIN,))) as built:
            yield built

    async def test_a_preflight_from_an_allowed_origin_is_answered_without_credentials(
        self, cors: Service
    ) -> None:
        result = await cors.request(
            "OPTIONS",
            "/books",
            headers={
                "Origin": self.ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-api-key, content-type, x-evil",
            },
        )
        assert result.status_code == 200
        assert result.headers["access-control-allow-origin"] == self.ORIGIN
        assert "POST" in result.headers["access-control-allow-methods"]
        allowed = [h.strip() for h in result.headers["access-control-allow-headers"].split(",")]
        assert allowed == list(ALLOWED_HEADERS)
        assert "X-Evil" not in allowed

    async def test_answers_expose_the_headers_clients_read(self, cors: Service) -> None:
        result = await cors.request("GET", "/books", headers={"Origin": self.ORIGIN})
        assert result.headers["access-control-allow-origin"] == self.ORIGIN
        exposed = result.headers["access-control-expose-headers"]
        for name in (
            "ETag",
            "Location",
            "RateLimit",
            "RateLimit-Policy",
            "Retry-After",
            "X-Request-ID",
        ):
            assert name in exposed

    async def test_other_origins_get_no_cors_headers(self, cors: Service) -> None:
        result = await cors.request("GET", "/books", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in result.headers

    async def test_a_plain_options_needs_the_write_scope(self, cors: Service) -> None:
        assert (await cors.request("OPTIONS", "/books")).status_code == 401
        assert (await cors.request("OPTIONS", "/authors/1/books")).status_code == 200


async def test_cors_is_off_by_default() -> None:
    async with running(access(AuthMode.OFF)) as service:
        result = await service.request("GET", "/books", headers={"Origin": "https://a.example"})
        assert "access-control-allow-origin" not in result.headers
