"""End-to-end fixtures: the real `library serve` process on a free port, in memory or on a
throwaway PostgreSQL database, and the folder for test artifacts (screenshots, reports)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.live_server import ARTIFACTS, Server, serve, throwaway_database


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def memory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service on the in-memory default, empty."""
    with serve(tmp_path_factory.mktemp("memory")) as server:
        yield server


@pytest.fixture(scope="module")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service on a fresh PostgreSQL database that `serve --migrate` sets up."""
    with (
        throwaway_database() as url,
        serve(
            tmp_path_factory.mktemp("postgres"),
            {"LIBRARY_DATABASE_URL": url},
            ("--migrate",),
        ) as server,
    ):
        yield server
