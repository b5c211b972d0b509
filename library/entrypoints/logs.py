"""Logging of every entry point: readable text or one JSON object per line, with request ids.

`logging_config` builds a `logging.config.dictConfig` configuration. The CLI applies it, and
`library serve` hands it to uvicorn, which applies it again in each worker process, so the
workers log exactly as the parent does. Uvicorn's own access log is off by default: the HTTP
layer writes one line per request itself (`library.access`), with the route template and the
request id that uvicorn does not know.
"""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

# The id of the request being handled, set by the HTTP layer for the request's duration, so
# that every line logged meanwhile (a stack trace included) names it.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# What every LogRecord carries; anything else on a record came in through `extra=`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's coloured copy of the message
    "taskName",
}


class RequestIdFilter(logging.Filter):
    """Attach the current request id to records logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            current = request_id.get()
            if current is not None:
                record.request_id = current
        return True


class TextFormatter(logging.Formatter):
    """`2026-01-01 12:00:00,000 INFO library.access: GET /books -> 200 ... request_id=...`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None)
        if rid is None:
            return line
        head, newline, trace = line.partition("\n")  # keep the id on the first line
        return f"{head} request_id={rid}{newline}{trace}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=str).decode()


def lean_records() -> None:
    """Stop logging from gathering what no line of ours shows: thread, process and caller.

    These are process-wide switches (the logging HOWTO's "Optimization"); finding the caller
    walks the stack on every record, a noticeable share of the one line per request.
    """
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # documented in the HOWTO, though named as private


def logging_config(level: str, log_format: str, *, access_log: bool = False) -> dict[str, Any]:
    """The dictConfig of the service's logging.

    Args:
        level: the root level (`info`, `debug`, ...).
        log_format: `text` or `json`.
        access_log: keep uvicorn's own access log too (off: ours replaces it).
    """
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"service": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "service",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": access_log},
            "yoyo": {"level": "WARNING"},  # it logs every statement at INFO
        },
    }


def configure_logging(level: str, log_format: str) -> None:
    """Apply `logging_config` to this process, unless its logging is already set up.

    A process that already has root handlers (a test runner, a program embedding the CLI)
    keeps them, as `logging.basicConfig` would.
    """
    if logging.getLogger().handlers:
        return
    lean_records()
    logging.config.dictConfig(logging_config(level, log_format))
