"""The real `library serve` process on a free port, and throwaway PostgreSQL databases."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ADMIN_URL = os.environ.get(
    "LIBRARY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
# What the service reads to choose its storage and cache: cleared, so a test says what it uses.
_SERVICE_VARIABLES = (
    "LIBRARY_DATABASE_URL",
    "DATABASE_URL",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "DB_HOST",
    "DB_PORT",
    "LIBRARY_REDIS_URL",
    "REDIS_URL",
    "REDIS_HOST",
    "LIBRARY_DEMO",
    "PROMETHEUS_MULTIPROC_DIR",
    "LIBRARY_AUTH",
    "LIBRARY_API_KEYS",
    "LIBRARY_RATE_LIMIT_READ",
    "LIBRARY_RATE_LIMIT_WRITE",
    "LIBRARY_JWT_SECRET",
    "LIBRARY_JWT_PUBLIC_KEY_FILE",
    "LIBRARY_JWT_JWKS_URL",
    "LIBRARY_METRICS_TOKEN",
    "LIBRARY_TRUSTED_PROXIES",
    "LIBRARY_CORS_ORIGINS",
)
# Unless a test says otherwise, the server runs in drop-in mode: the contract of API.md.
DROP_IN = {
    "LIBRARY_AUTH": "off",
    "LIBRARY_RATE_LIMIT_READ": "off",
    "LIBRARY_RATE_LIMIT_WRITE": "off",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A running `library serve`: its base URL and its log."""

    def __init__(self, base_url: str, log: Path) -> None:
        self.base_url = base_url
        self.log = log

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve(
    tmp: Path, env: Mapping[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[Server]:
    """Run `library serve` on a free port until the block ends."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in _SERVICE_VARIABLES}
    environment.update(DROP_IN)
    environment.update(env or {})
    log = tmp / f"serve-{port}.log"
    command = [sys.executable, "-m", "library.entrypoints.cli.main", "serve", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, *args], env=environment, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT
        )
    server = Server(f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_healthy(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"library serve exited:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"library serve did not answer in time:\n{server.log.read_text()}")


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; skips when there is no server."""
    name = f"library_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at LIBRARY_TEST_POSTGRES_URL ({ADMIN_URL}): {error}")
    try:
        yield _with_database(ADMIN_URL, name)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
