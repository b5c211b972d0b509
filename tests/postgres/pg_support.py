"""Helpers of the PostgreSQL tests: throwaway databases and the HTTP app over PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from falcon import testing
from psycopg import sql

from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app

ADMIN_URL = os.environ.get(
    "LIBRARY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

# CASCADE: with what refers to them (the search index of migration 0008, once applied).
EMPTY_CATALOGUE = "TRUNCATE reviews, book_authors, books, authors RESTART IDENTITY CASCADE"


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def with_address(url: str, host: str, port: int) -> str:
    """`url` pointing at another server address (same user, password and database)."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@{host}:{port}" if credentials else f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


@contextmanager
def throwaway_database(purpose: str) -> Iterator[str]:
    """Create an empty database of our own for the block, and drop it afterwards."""
    name = f"library_{purpose}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(ADMIN_URL, name)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def empty_catalogue(url: str) -> None:
    """Remove every author, book and review, and restart the ids at 1."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(EMPTY_CATALOGUE)


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[testing.ASGIConductor]:
    """The real HTTP app over `settings`, started once (lifespan) for the whole block.

    `falcon.testing.TestClient` runs startup and shutdown around every request, which would
    open and close the pool each time; the conductor keeps one app and pool for the block
    and lets requests run concurrently on the test's event loop.
    """
    app = create_app(create_container(settings))
    async with testing.ASGIConductor(app) as conductor:
        yield conductor


async def created(conductor: testing.ASGIConductor, path: str, body: Any) -> int:
    """POST `body` to `path`, check the 201 and return the new resource's id."""
    result = await conductor.simulate_post(path, json=body)
    assert result.status_code == 201, result.text
    created_id: int = result.json["id"]
    return created_id
