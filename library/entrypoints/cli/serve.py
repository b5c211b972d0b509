"""`library serve`: run the HTTP API under uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from library.config import LOG_LEVELS, Settings
from library.container import migrations
from library.entrypoints.cli.server_protocol import BoundedHttpToolsProtocol
from library.entrypoints.http import asgi
from library.entrypoints.logs import logging_config

log = logging.getLogger("library.serve")

# uvicorn takes the app by name (its worker processes import it themselves); the import above
# is what the import contracts see of it.
APP_FACTORY = f"{asgi.__name__}:{asgi.app.__name__}"
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help="serve the HTTP API", description="Serve the HTTP API with uvicorn."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default %(default)s)")
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes (default %(default)s)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="preload a small sample catalogue at start-up, with access control and rate"
        " limits off (drop-in mode)",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending database migrations before serving (PostgreSQL only)",
    )
    parser.add_argument(
        "--log-level",
        choices=sorted(LOG_LEVELS),
        help="log level (default: LIBRARY_LOG_LEVEL, else info)",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="also write uvicorn's access log (the service logs one line per request anyway)",
    )
    parser.set_defaults(run=run)


# What `--demo` turns off: a demo answers anyone, as the original service did.
DROP_IN = {
    "LIBRARY_AUTH": "off",
    "LIBRARY_RATE_LIMIT_READ": "off",
    "LIBRARY_RATE_LIMIT_WRITE": "off",
}


def run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        print("library serve: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.demo:
        # Read by the app factory, which may run in worker processes of their own.
        os.environ.update(DROP_IN)
        log.warning(
            "Demo: access control and rate limits are off (LIBRARY_AUTH=off, drop-in mode);"
            " anyone who can reach this server can change the catalogue."
        )
    settings = Settings.from_env()
    if settings.in_memory:
        if args.workers > 1:
            print(
                "library serve: more than one worker needs PostgreSQL: with the in-memory"
                " catalogue each worker process would hold a catalogue of its own. Set"
                " LIBRARY_DATABASE_URL (or DATABASE_URL) or use --workers 1.",
                file=sys.stderr,
            )
            return 2
        log.info(
            "Data lives in memory and is lost when the server stops; set LIBRARY_DATABASE_URL="
            "postgresql://user:password@host:5432/dbname to keep it in PostgreSQL."
        )
    elif args.migrate:
        assert settings.database_url is not None  # not in memory
        applied = migrations.apply(settings.database_url)
        log.info("Applied %d migration(s)%s", len(applied), "".join(f" {m}" for m in applied))
    if args.demo:
        os.environ["LIBRARY_DEMO"] = "1"
    level = args.log_level or settings.log_level
    os.environ["LIBRARY_LOG_LEVEL"] = level
    cleanup = _prepare_metrics_dir(args.workers)
    access = settings.access
    trusted = [str(network) for network in access.trusted_proxies]
    try:
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=level,
            log_config=logging_config(level, settings.log_format, access_log=args.access_log),
            access_log=args.access_log,
            lifespan="on",
            http=BoundedHttpToolsProtocol,
            server_header=False,  # no version banner
            # The same proxies the rate limiter trusts, and none by default: uvicorn's own
            # default trusts 127.0.0.1, which would let local clients name any address.
            proxy_headers=bool(trusted),
            forwarded_allow_ips=trusted or "",
            limit_concurrency=access.max_connections,
        )
    finally:
        cleanup()
    return 0


def _prepare_metrics_dir(workers: int) -> Callable[[], None]:
    """Set up Prometheus multiprocess mode, so /metrics adds up every worker's counts.

    With PROMETHEUS_MULTIPROC_DIR set, its files of an earlier run are removed (stale counts
    would be added in). With several workers and no directory set, a temporary one is made
    for this run and removed afterwards. A single worker without it keeps its metrics in
    memory. Returns what to do when the server stops.
    """
    configured = os.environ.get(MULTIPROC_DIR, "").strip()
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        return lambda: None
    if workers == 1:
        return lambda: None
    made = tempfile.mkdtemp(prefix="library-metrics-")
    os.environ[MULTIPROC_DIR] = made
    log.info("Metrics of the %d workers are added up in %s", workers, made)
    return lambda: shutil.rmtree(made, ignore_errors=True)
