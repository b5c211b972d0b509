"""Safe retries over HTTP: the Idempotency-Key header on every POST."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from library.application.access import Rate
from library.application.access.policy import AuthMode
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from tests.http.access_support import Service, access, running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    service = create_app(create_container(Settings(max_body_bytes=4096).drop_in()))
    transport = httpx.ASGITransport(app=service)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://library") as client:
        yield client


async def test_a_repeated_post_is_answered_from_the_first_without_a_second_book(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "book-1"}
    first = await client.post("/books", json={"title": "Dune"}, headers=headers)
    second = await client.post("/books", json={"title": "Dune"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert first.headers["location"] == second.headers["location"] == "/books/1"
    assert len((await client.get("/books")).json()["items"]) == 1


async def test_racing_posts_with_one_key_create_one_review(client: httpx.AsyncClient) -> None:
    await client.post("/books", json={"title": "Dune"})
    headers = {"Idempotency-Key": "review-race"}
    body = {"reviewer_name": "Rita", "rating": 5}
    responses = await asyncio.gather(
        *(client.post("/books/1/reviews", json=body, headers=headers) for _ in range(8))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert len((await client.get("/books/1/reviews")).json()) == 1


async def test_the_same_key_with_another_body_is_a_422(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "k"}
    await client.post("/authors", json={"name": "Ann"}, headers=headers)
    reused = await client.post("/authors", json={"name": "Bob"}, headers=headers)
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    problem = reused.json()
    assert problem["type"] == "/problems/idempotency-key-reused"
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    other_path = await client.post("/books", json={"name": "Ann"}, headers=headers)
    assert other_path.json()["type"] == "/problems/idempotency-key-reused"
    assert len((await client.get("/authors")).json()) == 1


async def test_client_errors_are_kept_too(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "bad"}
    first = await client.post("/books", json={"title": ""}, headers=headers)
    again = await client.post("/books", json={"title": ""}, headers=headers)
    assert first.status_code == again.status_code == 422
    assert first.json() == again.json()


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "caf\u00e9"])
async def test_a_malformed_key_is_a_422(client: httpx.AsyncClient, key: str) -> None:
    response = await client.post(
        "/authors", json={"name": "Ann"}, headers={b"Idempotency-Key": key.encode("utf-8")}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert (await client.get("/authors")).json() == []


async def test_posts_without_a_key_and_other_methods_are_untouched(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/authors", json={"name": "Ann"})
    await client.post("/authors", json={"name": "Ann"})
    assert len((await client.get("/authors")).json()) == 2
    put = await client.put("/authors/1", json={"name": "Bo"}, headers={"Idempotency-Key": "p"})
    assert put.status_code == 200


async def test_an_oversized_body_still_gets_its_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/books", json={"title": "x" * 5000}, headers={"Idempotency-Key": "big"}
    )
    assert response.status_code == 413


class TestInsideAccessControl:
    """A repeat is a request like any other: authenticated, counted, logged."""

    @pytest.fixture
    async def service(self) -> AsyncIterator[Service]:
        async with running(access(AuthMode.WRITES, write_rate=Rate(2, 1))) as built:
            yield built

    async def test_a_repeat_without_credentials_is_401_not_the_stored_201(
        self, service: Service
    ) -> None:
        key = await service.key("catalogue:write")
        headers = {"Idempotency-Key": "once"}
        first = await service.request(
            "POST", "/books", key=key, headers=headers, json={"title": "Dune"}
        )
        assert first.status_code == 201
        anonymous = await service.request("POST", "/books", headers=headers, json={"title": "Dune"})
        assert anonymous.status_code == 401
        forbidden = await service.request(
            "POST",
            "/books",
            key=await service.key("reviews:write"),
            headers=headers,
            json={"title": "Dune"},
        )
        assert forbidden.status_code == 403

    async def test_another_principal_with_the_same_key_is_another_key(
        self, service: Service
    ) -> None:
        headers = {"Idempotency-Key": "shared"}
        one, two = await service.key("catalogue:write"), await service.key("catalogue:write")
        first = await service.request(
            "POST", "/books", key=one, headers=headers, json={"title": "A"}
        )
        second = await service.request(
            "POST", "/books", key=two, headers=headers, json={"title": "A"}
        )
        assert first.status_code == second.status_code == 201
        assert first.json["id"] != second.json["id"]
        assert "idempotent-replayed" not in second.headers
        again = await service.request(
            "POST", "/books", key=one, headers=headers, json={"title": "A"}
        )
        assert again.json["id"] == first.json["id"]
        assert again.headers["idempotent-replayed"] == "true"

    async def test_a_429_is_not_replayed_once_the_budget_has_refilled(
        self, service: Service
    ) -> None:
        key = await service.key("catalogue:write")
        for title in ("A", "B"):
            result = await service.request("POST", "/books", key=key, json={"title": title})
            assert result.status_code == 201
        headers = {"Idempotency-Key": "late"}
        refused = await service.request(
            "POST", "/books", key=key, headers=headers, json={"title": "C"}
        )
        assert refused.status_code == 429
        await asyncio.sleep(1.05)
        later = await service.request(
            "POST", "/books", key=key, headers=headers, json={"title": "C"}
        )
        assert later.status_code == 201
        assert "idempotent-replayed" not in later.headers

    async def test_replays_and_reuse_refusals_get_a_request_id_a_log_line_and_a_metric(
        self, service: Service, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="library.access")
        key = await service.key("admin", rate=Rate(100, 60))
        headers = {"Idempotency-Key": "seen", "X-Request-ID": "replay-1"}
        await service.request("POST", "/authors", key=key, headers=headers, json={"name": "A"})
        replay = await service.request(
            "POST", "/authors", key=key, headers=headers, json={"name": "A"}
        )
        assert replay.status_code == 201
        assert replay.headers["x-request-id"] == "replay-1"
        reused = await service.request(
            "POST", "/authors", key=key, headers={"Idempotency-Key": "seen"}, json={"name": "B"}
        )
        assert reused.status_code == 422
        assert reused.json["type"] == "/problems/idempotency-key-reused"
        assert reused.headers["x-request-id"]
        lines = [r for r in caplog.records if r.name == "library.access"]
        assert [r.__dict__["status"] for r in lines] == [201, 201, 422]
        assert all(r.__dict__["principal"].startswith("key:") for r in lines)
        metrics = (await service.request("GET", "/metrics", key=key)).text
        assert (
            'library_http_requests_total{method="POST",route="/authors",status="201"} 2.0'
            in metrics
        )
