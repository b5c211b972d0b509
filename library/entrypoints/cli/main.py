"""`library` command: one sub-command per job, all on the same container and use cases."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from library.application.errors import StorageUnavailable
from library.config import ConfigurationError
from library.entrypoints.cli import migrate, seed, serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="library", description="A book catalogue service: authors, books and reviews."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve.register(commands)
    migrate.register(commands)
    seed.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `library` command line; return the process exit status."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("yoyo").setLevel(logging.WARNING)  # it logs every statement at INFO
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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
