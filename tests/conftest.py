"""Fixtures shared by every kind of test: a throwaway PostgreSQL database per test run.

The database is created on the server named by LIBRARY_TEST_POSTGRES_URL (default: the local
server, as the `postgres` user), migrated once, and dropped when the run ends; the server's
other databases are never touched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from library.adapters.postgres import migrations

ADMIN_URL = os.environ.get(
    "LIBRARY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a fresh, migrated database that lives for this test run."""
    name = f"library_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _with_database(ADMIN_URL, name)
    try:
        migrations.apply(url)
        yield url
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
