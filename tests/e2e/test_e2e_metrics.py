"""/metrics and the access log of the real server under a short load, one worker and several."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.live_server import Server, serve, throwaway_database


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read()
            status: int = answer.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def _load(server: Server, paths: list[str]) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_get, [server.url(path) for path in paths]))


def _samples(server: Server) -> dict[str, float]:
    with urllib.request.urlopen(server.url("/metrics"), timeout=10) as answer:
        text = answer.read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def _requests(method: str, route: str, status: int) -> str:
    return f'library_http_requests_total{{method="{method}",route="{route}",status="{status}"}}'


@pytest.fixture(scope="module")
def json_logging_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("metrics"), {"LIBRARY_LOG_FORMAT": "json"}) as server:
        yield server


def test_counters_move_under_load_and_each_request_logs_one_json_line(
    json_logging_server: Server,
) -> None:
    server = json_logging_server
    statuses = _load(server, ["/books"] * 150 + ["/books/424242"] * 50 + ["/nowhere"] * 10)
    assert statuses.count(200) == 150
    samples = _samples(server)
    assert samples[_requests("GET", "/books", 200)] == 150
    assert samples[_requests("GET", "/books/{book_id}", 404)] == 50
    assert samples[_requests("GET", "<unmatched>", 404)] == 10
    count = 'library_http_request_duration_seconds_count{method="GET",route="/books"}'
    assert samples[count] == 150

    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line]
    access = [line for line in lines if line["logger"] == "library.access"]
    books = [line for line in access if line.get("route") == "/books"]
    assert len(books) == 150
    assert {line["status"] for line in books} == {200}
    assert all(len(line["request_id"]) == 32 for line in books)
    assert all(line["duration_ms"] >= 0 for line in books)
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]


def test_several_workers_add_up_their_metrics(tmp_path: Path) -> None:
    with (
        throwaway_database() as url,
        serve(tmp_path, {"LIBRARY_DATABASE_URL": url}, ("--migrate", "--workers", "2")) as server,
    ):
        # Each worker's pool publishes its size once started; the second may start later.
        deadline = time.monotonic() + 20
        while _samples(server).get("library_db_pool_max_size") != 20:  # 2 workers x 10
            assert time.monotonic() < deadline, "the second worker never reported its pool"
            time.sleep(0.2)
        statuses = _load(server, ["/books"] * 120)
        assert statuses == [200] * 120
        scrapes = [_samples(server) for _ in range(6)]  # answered by either worker
        log = server.log.read_text()
    assert [s[_requests("GET", "/books", 200)] for s in scrapes] == [120] * 6
    assert all(s["library_db_pool_max_size"] == 20 for s in scrapes)
    assert all("library_db_pool_in_use" in s for s in scrapes)
    assert "Metrics of the 2 workers are added up" in log
