"""`library migrate apply | rollback | list`: the database schema, under yoyo's lock."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from library.config import Settings
from library.container import migrations


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    parser: argparse.ArgumentParser = commands.add_parser(
        "migrate",
        help="apply, roll back or list database migrations",
        description="Manage the PostgreSQL schema named by LIBRARY_DATABASE_URL (or DATABASE_URL"
        " / POSTGRES_* / DB_HOST).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("apply", help="apply every pending migration").set_defaults(run=apply)
    back = actions.add_parser("rollback", help="roll back the latest migrations")
    back.add_argument("--count", type=int, default=1, help="how many (default %(default)s)")
    back.set_defaults(run=rollback)
    actions.add_parser("list", help="list migrations and whether each is applied").set_defaults(
        run=show
    )


def _database_url() -> str | None:
    url = Settings.from_env().database_url
    if url is None:
        print(
            "library migrate: no database configured; set LIBRARY_DATABASE_URL"
            " (postgresql://user:password@host:5432/dbname)",
            file=sys.stderr,
        )
    return url


def apply(args: argparse.Namespace) -> int:
    url = _database_url()
    if url is None:
        return 2
    applied = migrations.apply(url)
    print(f"applied {len(applied)} migration(s)" + "".join(f"\n  {m}" for m in applied))
    return 0


def rollback(args: argparse.Namespace) -> int:
    url = _database_url()
    if url is None:
        return 2
    if args.count < 1:
        print("library migrate rollback: --count must be at least 1", file=sys.stderr)
        return 2
    undone = migrations.rollback(url, args.count)
    print(f"rolled back {len(undone)} migration(s)" + "".join(f"\n  {m}" for m in undone))
    return 0


def show(args: argparse.Namespace) -> int:
    url = _database_url()
    if url is None:
        return 2
    for state in migrations.status(url):
        print(f"[{'x' if state.applied else ' '}] {state.id}")
    return 0
