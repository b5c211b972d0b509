"""Schema migrations with yoyo, under yoyo's lock so that two starting instances cannot race."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from attrs import frozen
from yoyo import get_backend, read_migrations
from yoyo.exceptions import LockTimeout

from library.application.errors import StorageUnavailable

# The repository's migrations/ directory (next to library/), shipped with the source tree.
MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"

# How long a migrator waits for another one to finish (yoyo's own default is 10 s, short for
# an index build on a large catalogue while other instances start with `serve --migrate`).
LOCK_TIMEOUT = 60.0


@frozen
class MigrationState:
    id: str
    applied: bool


def yoyo_url(database_url: str) -> str:
    """yoyo's URL for `database_url`: postgresql:// there means psycopg2, we use psycopg 3."""
    scheme, sep, rest = database_url.partition("://")
    if not sep:  # a libpq key=value string is not something yoyo can read
        raise ValueError("the database URL must be of the form postgresql://user@host/db")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    raise ValueError(f"not a PostgreSQL URL: scheme {scheme!r}")


@contextmanager
def _backend(database_url: str) -> Iterator[Any]:  # yoyo ships no types
    """yoyo's backend for `database_url`, its connection closed when the block ends."""
    try:
        backend = get_backend(yoyo_url(database_url))
    except psycopg.OperationalError as error:
        raise StorageUnavailable(f"cannot reach PostgreSQL: {error}") from error
    try:
        yield backend
    finally:
        backend.connection.close()


@contextmanager
def _locked(backend: Any, timeout: float) -> Iterator[None]:
    """Hold yoyo's lock (a row in `yoyo_lock`, not an advisory lock) for the block."""
    try:
        with backend.lock(timeout=timeout):
            yield
    except LockTimeout as error:
        raise StorageUnavailable(
            f"another migrator holds the migration lock ({error}); if it crashed, remove the"
            " lock with `yoyo break-lock`"
        ) from error


def apply(
    database_url: str, directory: Path = MIGRATIONS, *, lock_timeout: float = LOCK_TIMEOUT
) -> list[str]:
    """Apply every pending migration; return the ids applied.

    Raises:
        StorageUnavailable: PostgreSQL cannot be reached, or another migrator kept the lock
            for longer than `lock_timeout` seconds.
    """
    migrations = read_migrations(str(directory))
    with _backend(database_url) as backend, _locked(backend, lock_timeout):
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [m.id for m in pending]


def rollback(
    database_url: str,
    count: int = 1,
    directory: Path = MIGRATIONS,
    *,
    lock_timeout: float = LOCK_TIMEOUT,
) -> list[str]:
    """Roll back the `count` most recently applied migrations; return their ids.

    Raises:
        StorageUnavailable: as `apply`.
    """
    migrations = read_migrations(str(directory))
    with _backend(database_url) as backend, _locked(backend, lock_timeout):
        applied = backend.to_rollback(migrations)[:count]
        backend.rollback_migrations(applied)
    return [m.id for m in applied]


def status(database_url: str, directory: Path = MIGRATIONS) -> list[MigrationState]:
    """Every known migration, in order, and whether it is applied."""
    migrations = read_migrations(str(directory))
    with _backend(database_url) as backend:
        applied = {m.id for m in backend.to_rollback(migrations)}
    return [MigrationState(m.id, m.id in applied) for m in migrations]
