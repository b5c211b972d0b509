"""The worker process: the same container and use cases as the HTTP app, fed by a queue."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence

from attrs import evolve

from library.config import ConfigurationError, Settings
from library.container import Container, create_container, start, stop

log = logging.getLogger("library.worker")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="library worker",
        description="Run bulk-import and cache-warming jobs from the Redis job stream.",
    )
    parser.add_argument(
        "--consumer",
        default=f"{socket.gethostname()}-{os.getpid()}",
        help="this worker's name in the consumer group (default: host-pid)",
    )
    parser.add_argument(
        "--claim-after",
        type=float,
        default=None,
        help="seconds after which a job left pending by a dead worker is taken over"
        " (default: LIBRARY_WORKER_CLAIM_AFTER, else 60)",
    )
    return parser


async def run(container: Container, consumer: str, stopping: asyncio.Event) -> None:
    """Process jobs until `stopping` is set; a job in progress is finished first."""
    process = container.process_jobs()
    log.info("worker %s waiting for jobs", consumer)
    while not stopping.is_set():
        await process(consumer, wait=1.0)


async def _main(settings: Settings, consumer: str) -> None:
    container = create_container(settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    await start(container)
    try:
        await run(container, consumer, stopping)
    finally:
        await container.job_queue().close()
        await stop(container)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigurationError as error:
        print(f"library worker: configuration error: {error}", file=sys.stderr)
        return 2
    if settings.redis_url is None:
        print("library worker: jobs travel through Redis; set LIBRARY_REDIS_URL", file=sys.stderr)
        return 2
    if settings.in_memory:
        print(
            "library worker: the in-memory catalogue lives in another process; set"
            " LIBRARY_DATABASE_URL",
            file=sys.stderr,
        )
        return 2
    if args.claim_after is not None:
        settings = evolve(settings, worker_claim_after=args.claim_after)
    asyncio.run(_main(settings, args.consumer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
