"""`library seed http`: feeding a running service over its public API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from library.application.access.api_keys import hash_key, new_key
from library.config.access import api_key_entry
from library.entrypoints.cli.catalogue_generator import generate_catalogue
from library.entrypoints.cli.http_seeder import HttpSeeder, SeedFailed
from library.entrypoints.cli.main import main


class FlakyServer:
    """An API.md server in miniature that fails the first tries of each record."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts: dict[str, int] = {}
        self.created: dict[str, int] = {}  # idempotency key -> id
        self.paths: set[str] = set()
        self.books: list[dict[str, Any]] = []  # request bodies, as JSON decodes them

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = request.headers["Idempotency-Key"]
        self.paths.add(request.url.path)
        self.attempts[key] = self.attempts.get(key, 0) + 1
        if self.attempts[key] <= self.failures:
            if self.attempts[key] % 2:
                raise httpx.ConnectError("connection refused")
            return httpx.Response(503, json={"detail": "try later"})
        if key not in self.created:
            self.created[key] = len(self.created) + 1
            if request.url.path == "/books/":
                self.books.append(json.loads(request.content))
        return httpx.Response(201, json={"id": self.created[key]})


async def test_retries_never_create_a_record_twice_and_ids_are_mapped() -> None:
    server = FlakyServer(failures=3)
    document = generate_catalogue(books=25, authors=4, seed=2)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(server), base_url="http://library"
    ) as client:
        summary = await HttpSeeder(client, key_prefix="seed-x", concurrency=5).seed(document)
    assert (summary.authors_created, summary.books_created, summary.failed) == (4, 25, 0)
    assert len(server.created) == 29
    assert server.paths == {"/authors/", "/books/"}
    assert all(count == 4 for count in server.attempts.values())
    # Author positions (1-based) became the ids the server gave.
    ids_by_name = {
        a["name"]: server.created[f"seed-x-a{i}"] for i, a in enumerate(document["authors"])
    }
    expected = [
        sorted(ids_by_name[document["authors"][p - 1]["name"]] for p in b["author_ids"])
        for b in document["books"]
    ]
    assert sorted(sorted(b["author_ids"]) for b in server.books) == sorted(expected)


async def test_a_client_error_is_reported_not_retried() -> None:
    calls: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/authors/":
            return httpx.Response(201, json={"id": 1})
        return httpx.Response(422, json={"detail": "title: must not be empty"})

    document = generate_catalogue(books=3, authors=1, seed=1)
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(refuse), base_url="http://library"
    ) as client:
        summary = await HttpSeeder(client, key_prefix="k", concurrency=2).seed(document)
    assert (summary.books_created, summary.failed) == (0, 3)
    assert calls.count("/books/") == 3
    assert "422" in summary.failures[0]


async def test_books_are_not_sent_when_an_author_cannot_be_created() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": "bad"})

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(refuse), base_url="http://library"
    ) as client:
        with pytest.raises(SeedFailed):
            await HttpSeeder(client, key_prefix="k").seed(generate_catalogue(2, 2))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_a_429_is_waited_out_as_its_retry_after_says() -> None:
    throttled: dict[str, int] = {}

    def limited(request: httpx.Request) -> httpx.Response:
        key = request.headers["Idempotency-Key"]
        throttled[key] = throttled.get(key, 0) + 1
        if throttled[key] <= 8:  # more 429s than attempts: they must not count as failures
            return httpx.Response(429, headers={"Retry-After": "0.01"}, json={"detail": "slow"})
        return httpx.Response(201, json={"id": len(throttled)})

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(limited), base_url="http://library"
    ) as client:
        summary = await HttpSeeder(client, key_prefix="k", attempts=3).seed(
            generate_catalogue(books=2, authors=1, seed=1)
        )
    assert (summary.authors_created, summary.books_created, summary.failed) == (1, 2, 0)
    assert all(count == 9 for count in throttled.values())


def _serve(env_overrides: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBRARY_", "REDIS_"))}
    for name in ("DATABASE_URL", "POSTGRES_DB", "DB_HOST"):
        env.pop(name, None)
    env.update(env_overrides)
    process = subprocess.Popen(
        [sys.executable, "-m", "library.entrypoints.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("library serve did not start")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def running_service() -> Iterator[str]:
    """`library serve` on the in-memory default, in drop-in mode, in a process of its own."""
    yield from _serve(
        {"LIBRARY_AUTH": "off", "LIBRARY_RATE_LIMIT_READ": "off", "LIBRARY_RATE_LIMIT_WRITE": "off"}
    )


@pytest.fixture
def protected_service() -> Iterator[tuple[str, str]]:
    """`library serve` with access control on, one key, and a tight write budget."""
    key, key_id = new_key()
    entry = api_key_entry(key_id, hash_key(key), ("catalogue:write",), None)
    env = {"LIBRARY_API_KEYS": entry, "LIBRARY_RATE_LIMIT_WRITE": "15/second"}
    for base_url in _serve(env):
        yield base_url, key


def test_the_cli_feeds_a_running_service(running_service: str, tmp_path: Path) -> None:
    path = tmp_path / "data_feeding.txt"
    assert main(["seed", "generate", "--books", "40", "--authors", "6", "--out", str(path)]) == 0
    assert (
        main(["seed", "http", str(path), "--base-url", running_service, "--concurrency", "4"]) == 0
    )
    page = httpx.get(f"{running_service}/books?limit=100").json()
    assert len(page["items"]) == 40
    assert all(book["authors"] for book in page["items"])
    assert len(httpx.get(f"{running_service}/authors?limit=100").json()) == 6


def test_the_cli_feeds_a_protected_service_with_a_key_and_within_its_budget(
    protected_service: tuple[str, str], tmp_path: Path
) -> None:
    base_url, key = protected_service
    path = tmp_path / "data_feeding.txt"
    assert main(["seed", "generate", "--books", "40", "--authors", "6", "--out", str(path)]) == 0
    without_key = ["seed", "http", str(path), "--base-url", base_url]
    assert main(without_key) == 1  # refused: 401 for every author
    assert main([*without_key, "--api-key", key, "--concurrency", "8"]) == 0
    page = httpx.get(f"{base_url}/books?limit=100").json()
    assert len(page["items"]) == 40
