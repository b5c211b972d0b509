"""Access control and the hardened edge on the real `library serve` process."""

from __future__ import annotations

import os
import pty
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.live_server import DROP_IN, ROOT, Server, free_port, serve

KEY = re.compile(r"lib_[a-z2-7]{12}_[0-9A-Za-z]{36}")
# What a deployment that sets nothing gets.
DEFAULTS = {"LIBRARY_AUTH": "", "LIBRARY_RATE_LIMIT_READ": "", "LIBRARY_RATE_LIMIT_WRITE": ""}


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("defaults"), DEFAULTS) as server:
        yield server


def test_a_default_start_serves_reads_and_refuses_anonymous_writes(default_server: Server) -> None:
    assert httpx.get(default_server.url("/books")).status_code == 200
    refused = httpx.post(default_server.url("/books"), json={"title": "Dune"})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer realm="library"'
    assert refused.json()["type"] == "/problems/unauthenticated"
    assert httpx.get(default_server.url("/metrics")).status_code == 401


def test_no_answer_names_the_server_software_and_all_say_nosniff(default_server: Server) -> None:
    for path in ("/books", "/healthz", "/nowhere", "/docs"):
        answer = httpx.get(default_server.url(path))
        assert "server" not in answer.headers, path
        assert answer.headers["x-content-type-options"] == "nosniff", path


def test_it_logs_how_to_configure_a_key_when_no_terminal_is_there(default_server: Server) -> None:
    log = default_server.log.read_text()
    assert "No API key is configured" in log
    assert not KEY.search(log)  # a secret never goes to a log file


def _raw(server: Server, request: bytes) -> bytes:
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_an_enormous_request_head_is_refused_by_the_server_with_a_problem(
    default_server: Server,
) -> None:
    huge = b"GET /books HTTP/1.1\r\nHost: x\r\nX-Huge: " + b"a" * 400_000 + b"\r\n\r\n"
    answer = _raw(default_server, huge)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"application/problem+json" in head
    assert b"/problems/request-header-fields-too-large" in body


def test_large_headers_within_the_server_bound_get_the_app_s_431(default_server: Server) -> None:
    answer = httpx.get(default_server.url("/books"), headers={"X-Big": "b" * 40_000})
    assert answer.status_code == 431
    assert answer.headers["x-request-id"]  # through the app: logged and counted


def test_demo_says_in_its_first_log_line_that_access_control_is_off(tmp_path: Path) -> None:
    env = {"LIBRARY_AUTH": "writes", "LIBRARY_RATE_LIMIT_WRITE": "1/minute"}
    with serve(tmp_path, env, ("--demo",)) as server:
        first = server.log.read_text().splitlines()[0]
        assert "access control and rate limits are off" in first
        for _ in range(3):  # drop-in: no credentials, no budget
            created = httpx.post(server.url("/authors"), json={"name": "Ann"})
            assert created.status_code == 201


def test_a_server_on_a_terminal_prints_one_admin_key_that_works(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBRARY_", "DATABASE"))}
    env.update({**DROP_IN, **DEFAULTS})
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "library.entrypoints.cli.main", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    output = b""
    try:
        deadline = time.monotonic() + 30
        while not KEY.search(output.decode(errors="replace")) and time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    output += os.read(controller, 65536)
                except OSError:
                    break
        found = KEY.findall(output.decode(errors="replace"))
        assert len(found) == 1, output.decode(errors="replace")
        base = f"http://127.0.0.1:{port}"
        created = httpx.post(
            f"{base}/authors", json={"name": "Ann"}, headers={"X-API-Key": found[0]}
        )
        assert created.status_code == 201
        assert httpx.post(f"{base}/authors", json={"name": "Ann"}).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=15)
        os.close(controller)
