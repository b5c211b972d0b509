"""`library` command: one sub-command per job, all on the same container and use cases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from library.application.errors import StorageUnavailable
from library.config import ConfigurationError, Settings
from library.entrypoints.cli import jobs, keys, migrate, search, seed, serve
from library.entrypoints.logs import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="library", description="A book catalogue service: authors, books and reviews."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve.register(commands)
    migrate.register(commands)
    seed.register(commands)
    jobs.register(commands)
    keys.register(commands)
    search.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `library` command line; return the process exit status."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "worker":
        args.worker_args = rest  # the worker's own options
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        settings = Settings.from_env()  # LIBRARY_LOG_LEVEL and LIBRARY_LOG_FORMAT
        configure_logging(settings.log_level, settings.log_format)
        status: int = args.run(args)
    except ConfigurationError as error:
        print(f"library: configuration error: {error}", file=sys.stderr)
        return 2
    except StorageUnavailable as error:
        print(f"library: {error}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
