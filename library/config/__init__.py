"""Settings, read once from the environment into one immutable object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import quote

from attrs import evolve, field, frozen

from library.config.access import AccessSettings, JwtSettings
from library.config.values import (
    ConfigurationError,
    choice,
    flag,
    integer,
    optional_integer,
    seconds,
)

__all__ = [
    "LOG_FORMATS",
    "LOG_LEVELS",
    "MIB",
    "AccessSettings",
    "ConfigurationError",
    "JwtSettings",
    "Settings",
    "database_url",
    "redis_url",
]

MIB = 1024 * 1024


LOG_LEVELS = ("info", "debug", "warning", "error", "critical")
LOG_FORMATS = ("text", "json")
SEARCH_PLANS = ("bounded", "exact")


def database_url(env: Mapping[str, str]) -> str | None:
    """The PostgreSQL URL: LIBRARY_DATABASE_URL, else the original service's variables."""
    for name in ("LIBRARY_DATABASE_URL", "DATABASE_URL"):
        if env.get(name, "").strip():
            return env[name].strip()
    if env.get("POSTGRES_DB") or env.get("DB_HOST"):
        user = quote(env.get("POSTGRES_USER", "postgres"), safe="")
        password = env.get("POSTGRES_PASSWORD", "")
        auth = f"{user}:{quote(password, safe='')}" if password else user
        host = env.get("DB_HOST", "localhost")
        port = env.get("DB_PORT", "5432")
        name = quote(env.get("POSTGRES_DB", "postgres"), safe="")
        return f"postgresql://{auth}@{host}:{port}/{name}"
    return None


def redis_url(env: Mapping[str, str]) -> str | None:
    """The Redis URL: LIBRARY_REDIS_URL, else the original service's variables."""
    for name in ("LIBRARY_REDIS_URL", "REDIS_URL"):
        if env.get(name, "").strip():
            return env[name].strip()
    if env.get("REDIS_HOST", "").strip():
        host = env["REDIS_HOST"].strip()
        port = env.get("REDIS_PORT", "6379").strip() or "6379"
        db = env.get("REDIS_DB", "0").strip() or "0"
        return f"redis://{host}:{port}/{db}"
    return None


@frozen
class Settings:
    """Everything the service reads from its environment."""

    database_url: str | None = None
    max_body_bytes: int = MIB
    demo: bool = False
    statement_timeout_ms: int = 5000
    pool_min_size: int = 2
    pool_max_size: int = 10
    pool_timeout: float = 3.0
    redis_url: str | None = None
    redis_cluster: bool = False
    redis_timeout: float = 0.05
    cache_ttl: float = 300.0
    cache_fault_staleness: float = 5.0
    cache_namespace: str = "library"
    log_level: str = "info"
    log_format: str = "text"
    worker_claim_after: float = 60.0
    # "bounded": searches score only what can reach the page; "exact": every match, as
    # before (the same results, slower; a way out should the bounded plan misbehave).
    search_plan: str = "bounded"
    max_offset: int | None = None
    access: AccessSettings = field(factory=AccessSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read `LIBRARY_*` variables (and the original service's names) from `env`.

        Raises:
            ConfigurationError: a variable is set to a value that cannot be used.
        """
        env = os.environ if env is None else env
        return cls(
            database_url=database_url(env),
            max_body_bytes=integer(env, "LIBRARY_MAX_BODY_BYTES", MIB, minimum=1),
            demo=flag(env, "LIBRARY_DEMO"),
            statement_timeout_ms=round(
                seconds(env, "LIBRARY_STATEMENT_TIMEOUT", 5.0, minimum=0.001) * 1000
            ),
            pool_min_size=integer(env, "LIBRARY_DB_POOL_MIN", 2, minimum=0),
            pool_max_size=integer(env, "LIBRARY_DB_POOL_MAX", 10, minimum=1),
            pool_timeout=seconds(env, "LIBRARY_DB_POOL_TIMEOUT", 3.0, minimum=0.1),
            redis_url=redis_url(env),
            redis_cluster=flag(env, "LIBRARY_REDIS_CLUSTER"),
            redis_timeout=seconds(env, "LIBRARY_REDIS_TIMEOUT", 0.05, minimum=0.001),
            cache_ttl=seconds(env, "LIBRARY_CACHE_TTL", 300.0, minimum=1),
            cache_fault_staleness=seconds(env, "LIBRARY_CACHE_FAULT_STALENESS", 5.0, minimum=0.1),
            cache_namespace=env.get("LIBRARY_CACHE_NAMESPACE", "").strip() or "library",
            log_level=choice(env, "LIBRARY_LOG_LEVEL", LOG_LEVELS),
            log_format=choice(env, "LIBRARY_LOG_FORMAT", LOG_FORMATS),
            worker_claim_after=seconds(env, "LIBRARY_WORKER_CLAIM_AFTER", 60.0, minimum=0.01),
            search_plan=choice(env, "LIBRARY_SEARCH_PLAN", SEARCH_PLANS),
            max_offset=optional_integer(env, "LIBRARY_MAX_OFFSET"),
            access=AccessSettings.from_env(env),
        )

    def drop_in(self) -> Settings:
        """These settings with access control and rate limits off (API.md's promises)."""
        return evolve(self, access=AccessSettings.drop_in())

    @property
    def in_memory(self) -> bool:
        return self.database_url is None

    @property
    def cached(self) -> bool:
        return self.redis_url is not None
