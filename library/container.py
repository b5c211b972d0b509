"""The one place that wires adapters into use cases (dependency-injector).

Providers stay synchronous and nothing connects at import time: `start` and `stop` open and
close resources from the app's (or CLI's) own life cycle. Tests override `adapters` with
whatever they need.
"""

from __future__ import annotations

import os

from dependency_injector import containers, providers
from prometheus_client import CollectorRegistry

from library.adapters.jwt import JwtVerifier
from library.adapters.memory import (
    LocalRateLimiter,
    MemoryApiKeyStore,
    MemoryCatalogue,
    MemoryStore,
    MemoryUnitOfWork,
)
from library.adapters.memory.idempotency import MemoryIdempotencyStore
from library.adapters.memory.importer import MemoryImporter
from library.adapters.postgres import (
    PostgresApiKeyStore,
    PostgresCatalogue,
    PostgresCheck,
    PostgresUnitOfWork,
    create_pool,
    migrations,
)
from library.adapters.postgres.change_feed import CHANNEL, ChangeFeed
from library.adapters.postgres.idempotency import PostgresIdempotencyStore
from library.adapters.postgres.importer import PostgresImporter
from library.adapters.redis_cache import (
    CachedCatalogue,
    CacheInvalidator,
    CacheKeys,
    CircuitBreaker,
    GenerationalCache,
    RedisCheck,
    connect,
    create_client,
)
from library.adapters.redis_jobs import RedisJobQueue
from library.adapters.redis_limits import RedisReadLimiter, RedisWriteLimiter
from library.adapters.telemetry import PrometheusCacheObserver, PsycopgPoolStats
from library.application.access.api_keys import IssueKey, ListKeys, RevokeKey
from library.application.access.authentication import ApiKeyVerifier, Authenticate
from library.application.authors import AddAuthor, RemoveAuthor, ReplaceAuthor, ReviseAuthor
from library.application.books import (
    AddBook,
    RemoveBook,
    ReplaceBook,
    ReplaceBookAuthors,
    ReviseBook,
)
from library.application.catalogue import (
    BrowseAuthors,
    BrowseBooks,
    ShowAuthor,
    ShowAuthorBooks,
    ShowBook,
    ShowBookReviews,
    ShowReview,
)
from library.application.catalogue_import import ImportCatalogue
from library.application.events import DeliveryStatus, EventBus
from library.application.health import CheckReadiness
from library.application.idempotency import ProcessOnce
from library.application.jobs import ProcessJobs, WarmCache
from library.application.ports import CacheObserver
from library.application.reviews import AddReview, RemoveReview, ReviseReview
from library.application.sample import load_sample_catalogue
from library.config import ConfigurationError, Settings

__all__ = ["Container", "create_container", "migrations", "start", "stop"]


class MemoryAdapters(containers.DeclarativeContainer):
    """The in-memory catalogue: the default, and the fakes of the core's tests."""

    settings = providers.Dependency(instance_of=Settings)
    bus = providers.Dependency(instance_of=EventBus)
    store = providers.Singleton(MemoryStore)
    unit_of_work = providers.Factory(MemoryUnitOfWork, store=store, bus=bus)
    catalogue = providers.Singleton(MemoryCatalogue, store=store)
    importer = providers.Singleton(MemoryImporter, store=store)
    idempotency = providers.Singleton(MemoryIdempotencyStore)
    # Without a database, the keys are those of LIBRARY_API_KEYS.
    api_keys = providers.Singleton(MemoryApiKeyStore, keys=settings.provided.access.api_keys)
    checks = providers.List()


class PostgresAdapters(containers.DeclarativeContainer):
    """The catalogue in PostgreSQL; the pool is built here and opened by `start`."""

    settings = providers.Dependency(instance_of=Settings)
    bus = providers.Dependency(instance_of=EventBus)
    notify_channel: providers.Dependency[str | None] = providers.Dependency()
    origin: providers.Dependency[str] = providers.Dependency()
    pool = providers.Singleton(
        create_pool,
        url=settings.provided.database_url,
        min_size=settings.provided.pool_min_size,
        max_size=settings.provided.pool_max_size,
        statement_timeout_ms=settings.provided.statement_timeout_ms,
        connect_timeout=settings.provided.pool_timeout,
    )
    unit_of_work = providers.Factory(
        PostgresUnitOfWork, pool=pool, bus=bus, notify_channel=notify_channel, origin=origin
    )
    catalogue = providers.Singleton(PostgresCatalogue, pool=pool)
    pool_stats = providers.Singleton(PsycopgPoolStats, pool=pool)
    importer = providers.Singleton(PostgresImporter, pool=pool)
    idempotency = providers.Singleton(PostgresIdempotencyStore, pool=pool)
    api_keys = providers.Singleton(PostgresApiKeyStore, pool=pool)
    checks = providers.List(providers.Singleton(PostgresCheck, pool=pool))


class RedisAdapters(containers.DeclarativeContainer):
    """The cache: client, generations, invalidation and its probe."""

    settings = providers.Dependency(instance_of=Settings)
    delivery = providers.Dependency(instance_of=DeliveryStatus)
    observer: providers.Dependency[CacheObserver] = providers.Dependency()
    client = providers.Singleton(
        create_client,
        url=settings.provided.redis_url,
        cluster=settings.provided.redis_cluster,
        timeout=settings.provided.redis_timeout,
    )
    keys = providers.Singleton(CacheKeys, namespace=settings.provided.cache_namespace)
    cache = providers.Singleton(
        GenerationalCache,
        client=client,
        keys=keys,
        ttl=settings.provided.cache_ttl,
        breaker=providers.Singleton(CircuitBreaker),
        fault_staleness=settings.provided.cache_fault_staleness,
        delivery=delivery,
        observer=observer,
    )
    invalidator = providers.Singleton(CacheInvalidator, cache=cache, keys=keys)
    checks = providers.List(providers.Singleton(RedisCheck, cache=cache))


def _storage(settings: Settings) -> str:
    return "memory" if settings.in_memory else "postgres"


def _cache(settings: Settings) -> str:
    return "redis" if settings.cached else "none"


def _notify_channel(settings: Settings) -> str | None:
    """Writers announce changes only when there are caches listening for them."""
    return CHANNEL if settings.cached else None


def _feed_heartbeat(settings: Settings) -> float:
    """How often the change feed confirms it is caught up: well within the staleness bound."""
    return min(1.0, settings.cache_fault_staleness / 4)


def _token_verifier(settings: Settings) -> JwtVerifier | None:
    """The JWT verifier the settings configure, or None: bearer tokens then are refused."""
    jwt = settings.access.jwt
    if not jwt.configured:
        return None
    return JwtVerifier(
        secrets=jwt.secrets,
        public_key_pem=jwt.public_key_pem,
        jwks_url=jwt.jwks_url,
        issuer=jwt.issuer,
        audience=jwt.audience,
        leeway=jwt.leeway,
    )


def _joined(*groups: list[object]) -> list[object]:
    return [item for group in groups for item in group]


class Container(containers.DeclarativeContainer):
    """Use cases over whichever adapters the settings chose."""

    settings = providers.Dependency(instance_of=Settings)
    storage = providers.Callable(_storage, settings)
    cache_kind = providers.Callable(_cache, settings)

    # Whether other instances' changes reach this one (the change feed flips it).
    delivery = providers.Singleton(DeliveryStatus)
    # Metrics of this instance (one registry per container keeps tests apart).
    metrics_registry = providers.Singleton(CollectorRegistry)
    cache_observer = providers.Singleton(PrometheusCacheObserver, registry=metrics_registry)
    redis = providers.Container(
        RedisAdapters, settings=settings, delivery=delivery, observer=cache_observer
    )
    bus = providers.Singleton(
        EventBus,
        subscribers=providers.Selector(
            cache_kind, none=providers.List(), redis=providers.List(redis.invalidator)
        ),
    )
    # Names this instance in the changes it announces, so its own change feed skips them.
    origin = providers.Singleton(lambda: os.urandom(8).hex())
    memory = providers.Container(MemoryAdapters, settings=settings, bus=bus)
    postgres = providers.Container(
        PostgresAdapters,
        settings=settings,
        bus=bus,
        notify_channel=providers.Callable(_notify_channel, settings),
        origin=origin,
    )
    change_feed = providers.Singleton(
        ChangeFeed,
        url=settings.provided.database_url,
        deliver=redis.invalidator,
        resync=redis.cache.provided.invalidate_all,
        status=delivery,
        heartbeat=providers.Callable(_feed_heartbeat, settings),
        origin=origin,
    )

    unit_of_work = providers.Selector(
        storage, memory=memory.unit_of_work, postgres=postgres.unit_of_work
    )
    stored_catalogue = providers.Selector(
        storage, memory=memory.catalogue, postgres=postgres.catalogue
    )
    catalogue = providers.Selector(
        cache_kind,
        none=stored_catalogue,
        redis=providers.Singleton(
            CachedCatalogue, inner=stored_catalogue, cache=redis.cache, keys=redis.keys
        ),
    )
    pool_stats = providers.Selector(
        storage, memory=providers.Object(None), postgres=postgres.pool_stats
    )
    checks = providers.Callable(
        _joined,
        providers.Selector(storage, memory=memory.checks, postgres=postgres.checks),
        providers.Selector(cache_kind, none=providers.List(), redis=redis.checks),
    )

    _uow = unit_of_work.provider
    _catalogue = catalogue

    # A write answers with the book as it just committed it: read from storage itself, since
    # the write has just made any cached copy stale (a lookup would only miss, then refill).
    _written = stored_catalogue
    add_book = providers.Singleton(AddBook, uow=_uow, catalogue=_written)
    replace_book = providers.Singleton(ReplaceBook, uow=_uow, catalogue=_written)
    revise_book = providers.Singleton(ReviseBook, uow=_uow, catalogue=_written)
    replace_book_authors = providers.Singleton(ReplaceBookAuthors, uow=_uow, catalogue=_written)
    remove_book = providers.Singleton(RemoveBook, uow=_uow)

    add_author = providers.Singleton(AddAuthor, uow=_uow)
    replace_author = providers.Singleton(ReplaceAuthor, uow=_uow)
    revise_author = providers.Singleton(ReviseAuthor, uow=_uow)
    remove_author = providers.Singleton(RemoveAuthor, uow=_uow)

    add_review = providers.Singleton(AddReview, uow=_uow)
    revise_review = providers.Singleton(ReviseReview, uow=_uow)
    remove_review = providers.Singleton(RemoveReview, uow=_uow)

    browse_books = providers.Singleton(BrowseBooks, catalogue=_catalogue)
    browse_authors = providers.Singleton(BrowseAuthors, catalogue=_catalogue)
    show_book = providers.Singleton(ShowBook, catalogue=_catalogue)
    show_book_reviews = providers.Singleton(ShowBookReviews, catalogue=_catalogue)
    show_review = providers.Singleton(ShowReview, catalogue=_catalogue)
    show_author = providers.Singleton(ShowAuthor, catalogue=_catalogue)
    show_author_books = providers.Singleton(ShowAuthorBooks, catalogue=_catalogue)

    check_readiness = providers.Singleton(CheckReadiness, checks=checks)

    process_once = providers.Singleton(
        ProcessOnce,
        store=providers.Selector(storage, memory=memory.idempotency, postgres=postgres.idempotency),
    )
    import_catalogue = providers.Singleton(
        ImportCatalogue,
        importer=providers.Selector(storage, memory=memory.importer, postgres=postgres.importer),
        bus=bus,
    )
    warm_cache = providers.Singleton(
        WarmCache, catalogue=catalogue, browse_books=browse_books, browse_authors=browse_authors
    )
    job_queue = providers.Singleton(
        RedisJobQueue,
        # Blocking reads wait for a second: the cache's tens-of-milliseconds time-out is not
        # for them.
        client=providers.Singleton(
            create_client,
            url=settings.provided.redis_url,
            cluster=settings.provided.redis_cluster,
            timeout=10.0,
        ),
        namespace=settings.provided.cache_namespace,
        claim_after=settings.provided.worker_claim_after,
    )
    process_jobs = providers.Singleton(
        ProcessJobs, queue=job_queue, import_catalogue=import_catalogue, warm_cache=warm_cache
    )

    api_key_store = providers.Selector(storage, memory=memory.api_keys, postgres=postgres.api_keys)
    issue_key = providers.Singleton(IssueKey, store=api_key_store)
    list_keys = providers.Singleton(ListKeys, store=api_key_store)
    revoke_key = providers.Singleton(RevokeKey, store=api_key_store)
    key_verifier = providers.Singleton(ApiKeyVerifier, store=api_key_store)
    token_verifier = providers.Singleton(_token_verifier, settings)
    authenticate = providers.Singleton(
        Authenticate,
        keys=key_verifier,
        tokens=token_verifier,
        metrics_token=settings.provided.access.metrics_token,
    )

    # Rate limits: shared through Redis when there is one (writes exactly, reads counted here
    # and reconciled in batches), else per process.
    write_limiter = providers.Selector(
        cache_kind,
        none=providers.Singleton(LocalRateLimiter),
        redis=providers.Singleton(
            RedisWriteLimiter,
            client=redis.client,
            namespace=settings.provided.cache_namespace,
            fallback=providers.Singleton(LocalRateLimiter),
        ),
    )
    read_limiter = providers.Selector(
        cache_kind,
        none=providers.Singleton(LocalRateLimiter),
        redis=providers.Singleton(
            RedisReadLimiter,
            client=redis.client,
            namespace=settings.provided.cache_namespace,
            interval=settings.provided.access.rate_sync_interval,
        ),
    )


def create_container(settings: Settings | None = None) -> Container:
    """Wire the service for `settings` (read from the environment when not given).

    Raises:
        ConfigurationError: the settings ask for something this build cannot provide.
    """
    settings = Settings.from_env() if settings is None else settings
    if settings.database_url is not None:
        try:
            migrations.yoyo_url(settings.database_url)
        except ValueError as error:
            raise ConfigurationError(str(error)) from error
    container = Container(settings=settings)
    try:
        container.token_verifier()  # a key that cannot be used stops the start, not a request
    except ValueError as error:
        raise ConfigurationError(f"JWT settings: {error}") from error
    return container


async def start(container: Container) -> None:
    """Open what the adapters need and, with LIBRARY_DEMO, load the sample catalogue.

    The pool opens without waiting for PostgreSQL: an instance that starts while the database
    is away serves 503s (and /readyz says why) until it answers, then recovers by itself.
    """
    settings: Settings = container.settings()
    if not settings.in_memory:
        await container.postgres.pool().open(wait=False)
        if settings.cached:
            await container.change_feed().start()
    if settings.cached:
        await connect(container.redis.client())
        await container.read_limiter().start()
    tokens = container.token_verifier()
    if tokens is not None:
        await tokens.start()
    if settings.demo:
        await load_sample_catalogue(
            container.catalogue(),
            container.add_author(),
            container.add_book(),
            container.add_review(),
        )


async def stop(container: Container) -> None:
    """Close what `start` opened."""
    settings: Settings = container.settings()
    tokens = container.token_verifier()
    if tokens is not None:
        await tokens.close()
    if settings.cached:
        await container.read_limiter().stop()
        if not settings.in_memory:
            await container.change_feed().stop()
        await container.redis.client().aclose()
    if not settings.in_memory:
        await container.postgres.pool().close()
