"""`library worker` and `library cache warm`: background jobs from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from library.application.jobs import Job, WarmCacheJob
from library.config import Settings
from library.container import create_container
from library.entrypoints.worker import main as worker


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    worker = commands.add_parser(
        "worker",
        help="run bulk-import and cache-warming jobs",
        add_help=False,  # the worker parses its own options (--help included)
    )
    worker.set_defaults(run=run_worker)
    cache = commands.add_parser("cache", help="cache operations")
    actions = cache.add_subparsers(dest="action", required=True, metavar="ACTION")
    warm = actions.add_parser("warm", help="enqueue a job that pre-fills the cache")
    warm.add_argument(
        "--top-books", type=int, default=100, help="most-reviewed books to cache (default 100)"
    )
    warm.set_defaults(run=warm_cache)


def run_worker(args: argparse.Namespace) -> int:
    status: int = worker.main(args.worker_args)
    return status


def warm_cache(args: argparse.Namespace) -> int:
    if args.top_books < 0:
        print("library cache warm: --top-books must be >= 0", file=sys.stderr)
        return 2
    return enqueue(WarmCacheJob(args.top_books), "library cache warm")


def enqueue(job: Job, command: str) -> int:
    """Put `job` on the job stream; print its id."""
    settings = Settings.from_env()
    if settings.redis_url is None:
        print(f"{command}: jobs travel through Redis; set LIBRARY_REDIS_URL", file=sys.stderr)
        return 2
    job_id = asyncio.run(_enqueue(settings, job))
    print(f"enqueued job {job_id}; a `library worker` will run it")
    return 0


async def _enqueue(settings: Settings, job: Job) -> str:
    queue = create_container(settings).job_queue()
    try:
        return await queue.enqueue(job)
    finally:
        await queue.close()
