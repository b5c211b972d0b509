"""Safe retries over HTTP: the Idempotency-Key header on every POST."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from library.config import Settings
from library.container import create_container
from library.entrypoints.http.asgi import create_service


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    service = create_service(create_container(Settings(max_body_bytes=4096)))
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
        "/authors", json={"name": "Ann"}, headers={"Idempotency-Key": key.encode("utf-8")}
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
