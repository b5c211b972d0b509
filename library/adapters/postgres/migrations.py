"""Schema migrations with yoyo, under yoyo's lock so that two starting instances cannot race."""

from __future__ import annotations

from pathlib import Path

import psycopg
from attrs import frozen
from yoyo import get_backend, read_migrations

from library.application.errors import StorageUnavailable

# The repository's migrations/ directory (next to library/), shipped with the source tree.
MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


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


def _backend(database_url: str):  # type: ignore[no-untyped-def]  # yoyo ships no types
    try:
        return get_backend(yoyo_url(database_url))
    except psycopg.OperationalError as error:
        raise StorageUnavailable(f"cannot reach PostgreSQL: {error}") from error


def apply(database_url: str, directory: Path = MIGRATIONS) -> list[str]:
    """Apply every pending migration; return the ids applied."""
    backend = _backend(database_url)
    migrations = read_migrations(str(directory))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [m.id for m in pending]


def rollback(database_url: str, count: int = 1, directory: Path = MIGRATIONS) -> list[str]:
    """Roll back the `count` most recently applied migrations; return their ids."""
    backend = _backend(database_url)
    migrations = read_migrations(str(directory))
    with backend.lock():
        applied = backend.to_rollback(migrations)[:count]
        backend.rollback_migrations(applied)
    return [m.id for m in applied]


def status(database_url: str, directory: Path = MIGRATIONS) -> list[MigrationState]:
    """Every known migration, in order, and whether it is applied."""
    backend = _backend(database_url)
    migrations = read_migrations(str(directory))
    applied = {m.id for m in backend.to_rollback(migrations)}
    return [MigrationState(m.id, m.id in applied) for m in migrations]
