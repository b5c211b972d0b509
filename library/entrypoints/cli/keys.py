"""`library keys create | list | revoke | hash`: manage API keys.

With PostgreSQL configured, keys live in its `api_keys` table, shared by every instance.
Without it they come from LIBRARY_API_KEYS, which names each key by its id and the SHA-256 of
the whole key; `create` and `hash` print the entry to add there.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from library.application.access import SCOPES, Rate
from library.application.access.api_keys import (
    IssuedKey,
    IssueKey,
    ListKeys,
    RevokeKey,
    StoredKey,
    check_scopes,
    hash_key,
    key_id_of,
)
from library.application.access.authentication import REMEMBER_SECONDS
from library.config import Settings
from library.config.access import api_key_entry
from library.container import Container
from library.entrypoints.cli.on_storage import on_storage

# timedelta and datetime arithmetic overflow a few million days out; a century is plenty.
MAX_LIFETIME_DAYS = 36_500

_SCOPE_HELP = (
    f"a scope the key holds, one of {', '.join(SCOPES)} (admin implies the others);"
    " repeat the option for several (required: a key without a scope could do nothing)"
)
_RATE_HELP = (
    "the key's own budget, such as 600/minute, 10/second or 5000/hour, counting its reads and"
    " writes together (default: none; the service's LIBRARY_RATE_LIMIT_READ and"
    " LIBRARY_RATE_LIMIT_WRITE budgets apply)"
)


class Refused(Exception):
    """Input the command cannot use; printed as one line, exit status 2."""


def register(commands: Any) -> None:  # argparse's sub-parser action has no public type
    parser: argparse.ArgumentParser = commands.add_parser(
        "keys",
        help="create, list, revoke or hash API keys",
        description="Manage API keys: in PostgreSQL when LIBRARY_DATABASE_URL (or DATABASE_URL"
        " / POSTGRES_* / DB_HOST) names a database, else as entries of LIBRARY_API_KEYS.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    make = actions.add_parser(
        "create",
        help="create a key and print it (once)",
        description="Create a key. The key is printed alone on the last line and never again:"
        " only its SHA-256 is kept. Without a database the key is not stored; the"
        " LIBRARY_API_KEYS entry to add is printed instead.",
    )
    make.add_argument(
        "--name", required=True, help="what the key is for, shown in lists (required)"
    )
    make.add_argument("--scope", action="append", required=True, help=_SCOPE_HELP)
    make.add_argument(
        "--expires-in",
        metavar="DAYS",
        help=f"whole days until the key stops working, 1 to {MAX_LIFETIME_DAYS}"
        " (default: never; needs a database, LIBRARY_API_KEYS entries do not expire)",
    )
    make.add_argument("--rate-limit", metavar="RATE", help=_RATE_HELP)
    make.set_defaults(run=create)

    actions.add_parser(
        "list",
        help="list keys, one a line, never their secrets",
        description="One key a line: id, name, scopes, created, last used, expires, state"
        " (active, expired or revoked) and rate. Times are UTC.",
    ).set_defaults(run=show)

    revoke_parser = actions.add_parser(
        "revoke",
        help="revoke a key (needs a database)",
        description="Revoke a key: every instance refuses it within"
        f" {REMEMBER_SECONDS:g} seconds. Revoking is final.",
    )
    revoke_parser.add_argument("id", help="the key's id (the part after lib_, as `list` shows it)")
    revoke_parser.set_defaults(run=revoke)

    hasher = actions.add_parser(
        "hash",
        help="print the LIBRARY_API_KEYS entry of a key",
        description="Check a key's form and checksum and print its LIBRARY_API_KEYS entry"
        " (`<id> <sha256> <scope>[,<scope>...] [<rate>]`); entries are separated by `;` or"
        " new lines.",
    )
    hasher.add_argument(
        "key", help="the whole key (lib_<id>_<secret>), or - to read it from standard input"
    )
    hasher.add_argument("--scope", action="append", required=True, help=_SCOPE_HELP)
    hasher.add_argument("--rate-limit", metavar="RATE", help=_RATE_HELP)
    hasher.set_defaults(run=hash_entry)


def create(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        rate = _rate(args.rate_limit)
        lifetime = _lifetime(args.expires_in)
        if lifetime is not None and settings.in_memory:
            raise Refused(
                "--expires-in needs a database (LIBRARY_DATABASE_URL): entries of"
                " LIBRARY_API_KEYS do not expire"
            )

        async def issue(container: Container) -> IssuedKey:
            use_case: IssueKey = container.issue_key()
            return await use_case(args.name, args.scope, expires_in=lifetime, rate=rate)

        issued = on_storage(settings, "library keys create", issue)
    except (Refused, ValueError) as error:
        return _refuse("create", error)
    if issued is None:
        return 1
    stored = issued.stored
    if settings.in_memory:
        print(
            "No database is configured (LIBRARY_DATABASE_URL), so this key is not stored."
            " Add this entry to LIBRARY_API_KEYS on every instance (entries are separated"
            " by ';' or new lines):"
        )
        print(f"  {api_key_entry(stored.id, stored.secret_hash, _scopes(stored), stored.rate)}")
        print(f"  name     {stored.name} (not kept: LIBRARY_API_KEYS names keys by their id)")
    else:
        print(f"created API key {stored.id}")
        print(f"  name     {stored.name}")
    print(f"  scopes   {', '.join(_scopes(stored))}")
    print(f"  expires  {_expiry(stored)}")
    print(f"  rate     {_rate_text(stored.rate)}")
    print("The key is shown this once (only its SHA-256 is kept):")
    print(issued.key)
    return 0


def show(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.in_memory:
        keys = settings.access.api_keys
        print(
            f"No database is configured (LIBRARY_DATABASE_URL): keys come from LIBRARY_API_KEYS"
            f" ({len(keys)} there)."
        )
        for key in keys:
            print(f"{key.id}  scopes={','.join(_scopes(key))}  rate={_rate_text(key.rate)}")
        return 0

    async def listed_keys(container: Container) -> Sequence[StoredKey]:
        use_case: ListKeys = container.list_keys()
        return await use_case()

    listed = on_storage(settings, "library keys list", listed_keys)
    if listed is None:
        return 1
    now = datetime.now(UTC)
    for key in listed:
        print(
            f"{key.id}  name={shlex.quote(key.name)}  scopes={','.join(_scopes(key))}"
            f"  created={_time(key.created_at)}  last-used={_time(key.last_used_at)}"
            f"  expires={_time(key.expires_at)}  state={_state(key, now)}"
            f"  rate={_rate_text(key.rate)}"
        )
    return 0


def revoke(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.in_memory:
        return _refuse(
            "revoke",
            Refused(
                "no database configured (LIBRARY_DATABASE_URL); a key of LIBRARY_API_KEYS is"
                " revoked by removing its entry there and restarting"
            ),
        )

    async def revoke_key(container: Container) -> bool:
        use_case: RevokeKey = container.revoke_key()
        return await use_case(args.id)

    revoked = on_storage(settings, "library keys revoke", revoke_key)
    if revoked is None:
        return 1
    if not revoked:
        print(f"library keys revoke: there is no API key {args.id}", file=sys.stderr)
        return 1
    print(f"revoked API key {args.id}; every instance refuses it within {REMEMBER_SECONDS:g} s")
    return 0


def hash_entry(args: argparse.Namespace) -> int:
    key = sys.stdin.readline().strip() if args.key == "-" else args.key.strip()
    key_id = key_id_of(key)
    try:
        if key_id is None:
            raise Refused("not an API key: expected lib_<id>_<secret> with a valid checksum")
        scopes = tuple(sorted(check_scopes(args.scope)))
        rate = _rate(args.rate_limit)
    except (Refused, ValueError) as error:
        return _refuse("hash", error)
    print(api_key_entry(key_id, hash_key(key), scopes, rate))
    return 0


def _refuse(action: str, error: Exception) -> int:
    print(f"library keys {action}: {error}", file=sys.stderr)
    return 2


def _rate(text: str | None) -> Rate | None:
    return None if text is None else Rate.parse(text)


def _lifetime(days: str | None) -> timedelta | None:
    if days is None:
        return None
    try:
        count = int(days)
    except ValueError:
        raise Refused(f"--expires-in takes a whole number of days, got {days!r}") from None
    if count > MAX_LIFETIME_DAYS:
        raise Refused(f"--expires-in is at most {MAX_LIFETIME_DAYS} days, got {count}")
    return timedelta(days=count)  # the use case refuses a lifetime that is not positive


def _scopes(key: StoredKey) -> tuple[str, ...]:
    return tuple(sorted(key.scopes))


def _time(at: datetime | None) -> str:
    return "never" if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _expiry(key: StoredKey) -> str:
    if key.expires_at is None:
        return "never"
    return f"{_time(key.expires_at)} (in {(key.expires_at - key.created_at).days} days)"


def _rate_text(rate: Rate | None) -> str:
    return "default" if rate is None else str(rate)


def _state(key: StoredKey, now: datetime) -> str:
    if key.revoked_at is not None:
        return "revoked"
    return "active" if key.usable_at(now) else "expired"
