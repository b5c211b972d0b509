"""`library seed generate | load | http`: make a catalogue file, bulk-load it, or feed it."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

from library.application.catalogue_import import ImportRefused, ImportReport
from library.application.jobs import ImportJob
from library.config import Settings
from library.container import create_container, start, stop
from library.entrypoints.cli.catalogue_generator import generate_catalogue
from library.entrypoints.cli.http_seeder import HttpSeeder, SeedFailed, SeedSummary, file_digest
from library.entrypoints.cli.jobs import enqueue


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    parser: argparse.ArgumentParser = commands.add_parser(
        "seed", help="generate or load catalogue data", description="Catalogue data."
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    make = actions.add_parser("generate", help="write a deterministic synthetic catalogue")
    make.add_argument("--books", type=int, default=50_000)
    make.add_argument("--authors", type=int, default=116)
    make.add_argument("--seed", type=int, default=1)
    make.add_argument("--out", type=Path, default=Path("data_feeding.txt"))
    make.set_defaults(run=generate)

    load = actions.add_parser("load", help="bulk-load a catalogue file into the database")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--skip-invalid",
        action="store_true",
        help="skip invalid book records (default: refuse the whole file, writing nothing)",
    )
    load.add_argument(
        "--via-worker",
        action="store_true",
        help="enqueue the load as a job for `library worker` instead of running it here",
    )
    load.set_defaults(run=load_file)

    feed = actions.add_parser("http", help="feed a catalogue file to a running service over HTTP")
    feed.add_argument("file", type=Path)
    feed.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
    feed.add_argument(
        "--concurrency", type=int, default=10, help="requests at a time (default %(default)s)"
    )
    feed.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per request (default %(default)s)"
    )
    feed.add_argument(
        "--api-key",
        default=None,
        help="API key sent as X-API-Key (needs catalogue:write); default: none, for servers"
        " with access control off",
    )
    feed.set_defaults(run=feed_http)


def generate(args: argparse.Namespace) -> int:
    if args.books < 0 or args.authors < 1:
        print("library seed generate: --books >= 0 and --authors >= 1", file=sys.stderr)
        return 2
    started = time.perf_counter()
    catalogue = generate_catalogue(args.books, args.authors, args.seed)
    args.out.write_bytes(orjson.dumps(catalogue))
    print(
        f"wrote {args.books} books by {args.authors} authors to {args.out}"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(
        f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} books",
        end="",
        file=sys.stderr,
    )
    if done >= total:
        print(file=sys.stderr)


def load_file(args: argparse.Namespace) -> int:
    try:
        document = orjson.loads(args.file.read_bytes())
    except OSError as error:
        print(f"library seed load: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    except orjson.JSONDecodeError as error:
        print(f"library seed load: {args.file} is not JSON: {error}", file=sys.stderr)
        return 2
    if args.via_worker:
        return enqueue(ImportJob(args.file.read_bytes(), args.skip_invalid), "library seed load")
    settings = Settings.from_env()
    if settings.in_memory:
        print(
            "library seed load: no database configured; the data would vanish with this"
            " process. Set LIBRARY_DATABASE_URL.",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    try:
        report = asyncio.run(_load(settings, document, args.skip_invalid))
    except ImportRefused as refused:
        for record in refused.errors[:50]:
            print(f"  {record.position}: {record.reason}", file=sys.stderr)
        print(f"library seed load: {refused}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    for skipped in report.skipped[:50]:
        print(f"  skipped {skipped.position}: {skipped.reason}", file=sys.stderr)
    print(
        f"loaded {args.file}: {report.books_added} new of {report.books_in_file} books"
        f" ({len(report.skipped)} skipped), {report.authors_in_file} authors, in {elapsed:.1f} s"
    )
    return 0


async def _load(settings: Settings, document: object, skip_invalid: bool) -> ImportReport:
    container = create_container(settings)
    await start(container)
    try:
        await container.storage.pool().wait(timeout=settings.pool_timeout * 3)
        return await container.import_catalogue()(
            document, skip_invalid=skip_invalid, progress=_progress
        )
    finally:
        await stop(container)


def feed_http(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
        document = orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError) as error:
        print(f"library seed http: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    if not isinstance(document, dict) or args.concurrency < 1:
        print("library seed http: the file must hold a JSON object", file=sys.stderr)
        return 2
    try:
        summary = asyncio.run(_feed(args, document, file_digest(raw)))
    except SeedFailed as error:
        print(f"library seed http: {error}", file=sys.stderr)
        return 1
    for failure in summary.failures[:20]:
        print(f"  failed {failure}", file=sys.stderr)
    print(
        f"created {summary.authors_created} authors and {summary.books_created} books,"
        f" {summary.failed} failed, in {summary.seconds:.1f} s"
        f" ({summary.books_per_second:.0f} books/s)"
    )
    return 0 if summary.failed == 0 else 1


async def _feed(args: argparse.Namespace, document: dict[str, Any], digest: str) -> SeedSummary:
    limits = httpx.Limits(max_connections=args.concurrency)
    headers = {} if args.api_key is None else {"X-API-Key": args.api_key}
    async with httpx.AsyncClient(
        base_url=args.base_url, timeout=args.timeout, limits=limits, headers=headers
    ) as client:
        seeder = HttpSeeder(
            client,
            key_prefix=f"seed-{digest}",
            concurrency=args.concurrency,
            progress=_progress,
        )
        return await seeder.seed(document)
