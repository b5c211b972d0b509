"""Request ids, the access log line and /metrics."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from dependency_injector import providers
from falcon import testing

from library.application.monitoring import PoolUsage
from library.config import Settings
from library.container import create_container
from library.entrypoints.http import create_app
from library.entrypoints.logs import JsonFormatter, RequestIdFilter, TextFormatter
from tests.http.http_api import Api, assert_problem


def test_a_request_id_is_generated_and_echoed(api: Api) -> None:
    first = api.get("/healthz").headers["x-request-id"]
    second = api.get("/books/999").headers["x-request-id"]  # errors too
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_client_request_id_is_kept(api: Api) -> None:
    result = api.get("/books", headers={"X-Request-ID": "trace-42"})
    assert result.headers["x-request-id"] == "trace-42"


@pytest.mark.parametrize("given", ["", "a b", "x" * 129, "é"])
def test_an_unusable_request_id_is_replaced(api: Api, given: str) -> None:
    result = api.get("/healthz", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", result.headers["x-request-id"])


def test_each_request_writes_one_access_line(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="library.access")
    api.get("/books/7", headers={"X-Request-ID": "r-1"})
    (record,) = [r for r in caplog.records if r.name == "library.access"]
    assert record.getMessage().startswith("GET /books/7 -> 404 in ")
    fields = ("method", "path", "route", "status", "request_id")
    assert {name: record.__dict__[name] for name in fields} == {
        "method": "GET",
        "path": "/books/7",
        "route": "/books/{book_id}",
        "status": 404,
        "request_id": "r-1",
    }
    assert isinstance(record.__dict__["duration_ms"], float)


def test_a_failure_is_logged_with_its_trace_and_request_id_but_not_answered_with_it() -> None:
    class Broken:
        async def __call__(self) -> None:
            raise RuntimeError("secret internals")

    container = create_container(Settings().drop_in())
    container.check_readiness.override(providers.Object(Broken()))
    api = Api(testing.TestClient(create_app(container)))
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("library")
    logger.addHandler(handler)
    try:
        result = api.get("/readyz", headers={"X-Request-ID": "boom-1"})
    finally:
        logger.removeHandler(handler)
    body = assert_problem(result, 500, "internal-error")
    assert "secret" not in result.text
    assert "Traceback" not in json.dumps(body)
    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    (error,) = [entry for entry in entries if entry["level"] == "ERROR"]
    assert error["request_id"] == "boom-1"
    assert "RuntimeError: secret internals" in error["exception"]
    assert error["message"] == "unhandled error in GET /readyz"


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("library.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_fields() -> None:
    line = JsonFormatter().format(_record(route="/x", status=200, request_id="r"))
    entry = json.loads(line)
    assert entry["message"] == "GET /x"
    assert entry["logger"] == "library.access"
    assert entry["level"] == "INFO"
    assert entry["time"].endswith("+00:00")
    assert entry | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "library.access",
        "message": "GET /x",
        "route": "/x",
        "status": 200,
        "request_id": "r",
    }


def test_text_lines_name_the_request_id_on_their_first_line() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = _record(request_id="r-9")
    record.exc_info = exc_info
    first, *trace = TextFormatter().format(record).split("\n")
    assert first.endswith("INFO library.access: GET /x request_id=r-9")
    assert any("ValueError: bad" in line for line in trace)


def _metrics(api: Api) -> str:
    result = api.get("/metrics")
    assert result.status_code == 200
    assert result.headers["content-type"].startswith("text/plain")
    return result.text


def _sample(text: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        if metric.startswith(name + "{") or metric == name:
            found = ",".join(sorted(metric[len(name) + 1 : -1].split(","))) if "{" in metric else ""
            if found == wanted:
                return float(value)
    return None


def test_requests_are_counted_by_route_template_and_status(api: Api) -> None:
    for book_id in (1, 2, 3):
        api.get(f"/books/{book_id}")
    api.get("/nowhere/at/all")
    text = _metrics(api)
    assert (
        _sample(
            text,
            "library_http_requests_total",
            method="GET",
            route="/books/{book_id}",
            status="404",
        )
        == 3
    )
    assert (
        _sample(
            text, "library_http_requests_total", method="GET", route="<unmatched>", status="404"
        )
        == 1
    )
    assert (
        _sample(
            text,
            "library_http_request_duration_seconds_count",
            method="GET",
            route="/books/{book_id}",
        )
        == 3
    )
    assert "/books/1" not in text
    assert "library_db_pool" not in text  # the in-memory catalogue has no pool
    assert "# TYPE library_cache_requests_total counter" in text


def test_pool_usage_and_cache_outcomes_are_exposed() -> None:
    class Stats:
        def usage(self) -> PoolUsage:
            return PoolUsage(size=4, available=1, waiting=2, max_size=10)

    container = create_container(Settings().drop_in())
    container.pool_stats.override(providers.Object(Stats()))
    api = Api(testing.TestClient(create_app(container)))
    container.cache_observer().hit("book")
    container.cache_observer().miss("book")
    container.cache_observer().hit("book")
    text = _metrics(api)
    assert _sample(text, "library_db_pool_size") == 4
    assert _sample(text, "library_db_pool_in_use") == 3
    assert _sample(text, "library_db_pool_available") == 1
    assert _sample(text, "library_db_pool_waiting") == 2
    assert _sample(text, "library_db_pool_max_size") == 10
    assert _sample(text, "library_cache_requests_total", kind="book", result="hit") == 2
    assert _sample(text, "library_cache_requests_total", kind="book", result="miss") == 1


def test_unknown_methods_share_one_label(api: Api) -> None:
    api.request("BREW", "/books")
    assert 'method="other"' in _metrics(api)
