"""The one place that wires adapters into use cases (dependency-injector).

Two adapter sets are chosen once, when the container is made: the storage (`MemoryStorage`
or `PostgresStorage`) and the cache (`RedisCache` or `NoCache`). `Container` names what it
needs of them (`storage.catalogue`, `cache.write_limiter`, ...) and wires the use cases over
whatever fills them; `create_container` fills them from the settings, or takes the sets it is
given (tests pass fakes the same way, so they build use cases exactly as production does).

Providers stay synchronous and nothing connects at import time or when the container is
made: `start` and `stop` run each set's life cycle (open the pool, start the change feed...)
from the app's (or CLI's) own.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

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
from library.adapters.memory.search_index import MemorySearchIndex
from library.adapters.postgres import (
    PoolLifecycle,
    PostgresApiKeyStore,
    PostgresCatalogue,
    PostgresCheck,
    PostgresUnitOfWork,
    PsycopgPoolStats,
    create_pool,
    migrations,
)
from library.adapters.postgres.change_feed import CHANNEL, ChangeFeed
from library.adapters.postgres.idempotency import PostgresIdempotencyStore
from library.adapters.postgres.importer import PostgresImporter
from library.adapters.postgres.search_index import PostgresSearchIndex
from library.adapters.redis_cache import (
    CachedCatalogue,
    CacheInvalidator,
    CacheKeys,
    CircuitBreaker,
    ClientLifecycle,
    GenerationalCache,
    RedisCheck,
    create_client,
)
from library.adapters.redis_jobs import RedisJobQueue
from library.adapters.redis_limits import RedisReadLimiter, RedisWriteLimiter
from library.adapters.telemetry import PrometheusCacheObserver
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
from library.application.rendering import RenderingCatalogue
from library.application.reviews import AddReview, RemoveReview, ReviseReview
from library.application.sample import load_sample_catalogue
from library.application.search_index import BuildSearchIndex
from library.config import ConfigurationError, Settings

__all__ = [
    "Container",
    "MemoryStorage",
    "NoCache",
    "PostgresStorage",
    "RedisCache",
    "create_container",
    "migrations",
    "start",
    "stop",
]


class Lifecycle(Protocol):
    """Something opened when the service starts and closed when it stops."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


# -- storage ------------------------------------------------------------------------------


class MemoryStorage(containers.DeclarativeContainer):
    """The in-memory catalogue: the default, and the fakes of the core's tests."""

    settings = providers.Dependency(instance_of=Settings)
    bus = providers.Dependency(instance_of=EventBus)
    store = providers.Singleton(MemoryStore)
    unit_of_work = providers.Factory(MemoryUnitOfWork, store=store, bus=bus)
    catalogue = providers.Singleton(MemoryCatalogue, store=store)
    importer = providers.Singleton(MemoryImporter, store=store)
    search_index = providers.Singleton(MemorySearchIndex)
    idempotency = providers.Singleton(MemoryIdempotencyStore)
    # Without a database, the keys are those of LIBRARY_API_KEYS.
    api_keys = providers.Singleton(MemoryApiKeyStore, keys=settings.provided.access.api_keys)
    pool_stats: providers.Provider[Any] = providers.Object(None)
    checks = providers.List()
    lifecycle = providers.List()


def _feed(
    settings: Settings,
    invalidator: Callable[..., Awaitable[None]] | None,
    resync: Callable[[], Awaitable[None]] | None,
    status: DeliveryStatus,
    origin: str,
    url: str | None = None,
) -> ChangeFeed | None:
    """The change feed that applies other writers' changes to the cache, when there is one.

    It listens on the catalogue's database, or at `url` (tests put a proxy in between).
    """
    url = url or settings.database_url
    if invalidator is None or resync is None or url is None:
        return None
    return ChangeFeed(
        url=url,
        deliver=invalidator,
        resync=resync,
        status=status,
        # How often the feed confirms it is caught up: well within the staleness bound.
        heartbeat=min(1.0, settings.cache_fault_staleness / 4),
        origin=origin,
    )


def _present(*items: object) -> list[object]:
    return [item for item in items if item is not None]


class PostgresStorage(containers.DeclarativeContainer):
    """The catalogue in PostgreSQL; the pool is built here and opened by its life cycle.

    With a cache, writers announce their changes (NOTIFY, in the committing transaction)
    and the change feed applies other instances' announcements to the cache.
    """

    settings = providers.Dependency(instance_of=Settings)
    bus = providers.Dependency(instance_of=EventBus)
    origin: providers.Dependency[str] = providers.Dependency()
    delivery = providers.Dependency(instance_of=DeliveryStatus)
    # What the cache set offers the change feed (None without a cache).
    invalidator: providers.Dependency[Any] = providers.Dependency()
    resync: providers.Dependency[Any] = providers.Dependency()

    pool = providers.Singleton(
        create_pool,
        url=settings.provided.database_url,
        min_size=settings.provided.pool_min_size,
        max_size=settings.provided.pool_max_size,
        statement_timeout_ms=settings.provided.statement_timeout_ms,
        connect_timeout=settings.provided.pool_timeout,
    )
    unit_of_work = providers.Factory(
        PostgresUnitOfWork,
        pool=pool,
        bus=bus,
        notify_channel=providers.Callable(
            lambda invalidator: None if invalidator is None else CHANNEL, invalidator
        ),
        origin=origin,
    )
    catalogue = providers.Singleton(
        PostgresCatalogue,
        pool=pool,
        bounded=providers.Callable(lambda plan: plan == "bounded", settings.provided.search_plan),
    )
    importer = providers.Singleton(PostgresImporter, pool=pool)
    search_index = providers.Singleton(PostgresSearchIndex, pool=pool)
    idempotency = providers.Singleton(PostgresIdempotencyStore, pool=pool)
    api_keys = providers.Singleton(PostgresApiKeyStore, pool=pool)
    pool_stats = providers.Singleton(PsycopgPoolStats, pool=pool)
    checks = providers.List(providers.Singleton(PostgresCheck, pool=pool))
    change_feed = providers.Singleton(_feed, settings, invalidator, resync, delivery, origin)
    lifecycle = providers.Callable(
        _present, providers.Singleton(PoolLifecycle, pool=pool), change_feed
    )


# -- cache --------------------------------------------------------------------------------


class NoCache(containers.DeclarativeContainer):
    """No Redis: reads rendered straight from storage, rate limits counted per process."""

    stored: providers.Dependency[Any] = providers.Dependency()
    catalogue = providers.Singleton(RenderingCatalogue, catalogue=stored)
    invalidator: providers.Provider[Any] = providers.Object(None)
    resync: providers.Provider[Any] = providers.Object(None)
    subscribers = providers.List()
    read_limiter = providers.Singleton(LocalRateLimiter)
    write_limiter = providers.Singleton(LocalRateLimiter)
    checks = providers.List()
    lifecycle = providers.List()


class RedisCache(containers.DeclarativeContainer):
    """Redis: the cache in front of storage, shared rate limits, and their life cycle."""

    settings = providers.Dependency(instance_of=Settings)
    delivery = providers.Dependency(instance_of=DeliveryStatus)
    observer: providers.Dependency[CacheObserver] = providers.Dependency()
    stored: providers.Dependency[Any] = providers.Dependency()

    client = providers.Singleton(
        create_client,
        url=settings.provided.redis_url,
        cluster=settings.provided.redis_cluster,
        timeout=settings.provided.redis_timeout,
    )
    keys = providers.Singleton(CacheKeys, namespace=settings.provided.cache_namespace)
    entries = providers.Singleton(
        GenerationalCache,
        client=client,
        keys=keys,
        ttl=settings.provided.cache_ttl,
        breaker=providers.Singleton(CircuitBreaker),
        fault_staleness=settings.provided.cache_fault_staleness,
        delivery=delivery,
        observer=observer,
    )
    catalogue = providers.Singleton(CachedCatalogue, inner=stored, cache=entries, keys=keys)
    invalidator = providers.Singleton(CacheInvalidator, cache=entries, keys=keys)
    resync: providers.Provider[Any] = entries.provided.invalidate_all
    subscribers = providers.List(invalidator)
    # Writes are counted exactly in Redis; reads here, reconciled in batches.
    write_limiter = providers.Singleton(
        RedisWriteLimiter,
        client=client,
        namespace=settings.provided.cache_namespace,
        fallback=providers.Singleton(LocalRateLimiter),
    )
    read_limiter = providers.Singleton(
        RedisReadLimiter,
        client=client,
        namespace=settings.provided.cache_namespace,
        interval=settings.provided.access.rate_sync_interval,
    )
    checks = providers.List(providers.Singleton(RedisCheck, cache=entries))
    # Started in this order, stopped in the reverse one (the client last).
    lifecycle = providers.List(providers.Singleton(ClientLifecycle, client=client), read_limiter)


# -- the use cases ------------------------------------------------------------------------


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


def _joined(*groups: Sequence[Any]) -> list[Any]:
    return [item for group in groups for item in group]


class Container(containers.DeclarativeContainer):
    """Use cases over the storage and cache sets `create_container` chose."""

    settings = providers.Dependency(instance_of=Settings)
    storage = providers.DependenciesContainer()
    cache = providers.DependenciesContainer()

    # Whether other instances' changes reach this one (the change feed flips it).
    delivery = providers.Singleton(DeliveryStatus)
    # Metrics of this instance (one registry per container keeps tests apart).
    metrics_registry = providers.Singleton(CollectorRegistry)
    cache_observer = providers.Singleton(PrometheusCacheObserver, registry=metrics_registry)
    bus = providers.Singleton(EventBus, subscribers=cache.subscribers)
    # Names this instance in the changes it announces, so its own change feed skips them.
    origin = providers.Singleton(lambda: os.urandom(8).hex())

    # Writes answer with what storage holds now: the write has just made any cached copy
    # stale, and a write use case takes a `Catalogue`, which cannot hand it a cached entry.
    _uow = storage.unit_of_work.provider
    _stored = storage.catalogue
    add_book = providers.Singleton(AddBook, uow=_uow, catalogue=_stored)
    replace_book = providers.Singleton(ReplaceBook, uow=_uow, catalogue=_stored)
    revise_book = providers.Singleton(ReviseBook, uow=_uow, catalogue=_stored)
    replace_book_authors = providers.Singleton(ReplaceBookAuthors, uow=_uow, catalogue=_stored)
    remove_book = providers.Singleton(RemoveBook, uow=_uow)

    add_author = providers.Singleton(AddAuthor, uow=_uow)
    replace_author = providers.Singleton(ReplaceAuthor, uow=_uow)
    revise_author = providers.Singleton(ReviseAuthor, uow=_uow)
    remove_author = providers.Singleton(RemoveAuthor, uow=_uow)

    add_review = providers.Singleton(AddReview, uow=_uow)
    revise_review = providers.Singleton(ReviseReview, uow=_uow)
    remove_review = providers.Singleton(RemoveReview, uow=_uow)

    # Reads answer in the JSON clients are sent, through the cache when there is one.
    _shown = cache.catalogue
    browse_books = providers.Singleton(
        BrowseBooks, catalogue=_shown, max_offset=settings.provided.max_offset
    )
    browse_authors = providers.Singleton(BrowseAuthors, catalogue=_shown)
    show_book = providers.Singleton(ShowBook, catalogue=_shown)
    show_book_reviews = providers.Singleton(ShowBookReviews, catalogue=_shown)
    show_review = providers.Singleton(ShowReview, catalogue=_shown)
    show_author = providers.Singleton(ShowAuthor, catalogue=_shown)
    show_author_books = providers.Singleton(ShowAuthorBooks, catalogue=_shown)

    check_readiness = providers.Singleton(
        CheckReadiness, checks=providers.Callable(_joined, storage.checks, cache.checks)
    )
    pool_stats = storage.pool_stats

    process_once = providers.Singleton(ProcessOnce, store=storage.idempotency)
    import_catalogue = providers.Singleton(ImportCatalogue, importer=storage.importer, bus=bus)
    build_search_index = providers.Singleton(BuildSearchIndex, index=storage.search_index)
    warm_cache = providers.Singleton(
        WarmCache,
        catalogue=_stored,
        cached=_shown,
        browse_books=browse_books,
        browse_authors=browse_authors,
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

    # Access control.
    issue_key = providers.Singleton(IssueKey, store=storage.api_keys)
    list_keys = providers.Singleton(ListKeys, store=storage.api_keys)
    revoke_key = providers.Singleton(RevokeKey, store=storage.api_keys)
    key_verifier = providers.Singleton(ApiKeyVerifier, store=storage.api_keys)
    token_verifier = providers.Singleton(_token_verifier, settings)
    authenticate = providers.Singleton(
        Authenticate,
        keys=key_verifier,
        tokens=token_verifier,
        metrics_token=settings.provided.access.metrics_token,
    )
    read_limiter = cache.read_limiter
    write_limiter = cache.write_limiter

    # What `start` opens in this order and `stop` closes in the reverse one: the cache's
    # client is closed after the change feed that delivers to it has stopped.
    lifecycle = providers.Callable(
        _joined,
        cache.lifecycle,
        storage.lifecycle,
        providers.Callable(_present, token_verifier),
    )


def create_container(
    settings: Settings | None = None,
    *,
    storage: containers.Container | None = None,
    cache: containers.Container | None = None,
) -> Container:
    """Wire the service for `settings` (read from the environment when not given).

    `storage` and `cache` are adapter sets to use instead of those the settings choose
    (`storage_for` and `cache_for` build those).

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
    container.cache.override(cache if cache is not None else cache_for(container))
    container.storage.override(storage if storage is not None else storage_for(container))
    try:
        container.token_verifier()  # a key that cannot be used stops the start, not a request
    except ValueError as error:
        raise ConfigurationError(f"JWT settings: {error}") from error
    return container


def storage_for(container: Container) -> containers.Container:
    """The storage set the container's settings choose, wired to the container."""
    settings: Settings = container.settings()
    if settings.in_memory:
        return MemoryStorage(settings=container.settings, bus=container.bus)
    return PostgresStorage(
        settings=container.settings,
        bus=container.bus,
        origin=container.origin,
        delivery=container.delivery,
        invalidator=container.cache.invalidator,
        resync=container.cache.resync,
    )


def cache_for(container: Container) -> containers.Container:
    """The cache set the container's settings choose, wired to the container."""
    settings: Settings = container.settings()
    if not settings.cached:
        return NoCache(stored=container.storage.catalogue)
    return RedisCache(
        settings=container.settings,
        delivery=container.delivery,
        observer=container.cache_observer,
        stored=container.storage.catalogue,
    )


async def start(container: Container) -> None:
    """Open what the adapters need and, with LIBRARY_DEMO, load the sample catalogue."""
    parts: list[Lifecycle] = container.lifecycle()
    for part in parts:
        await part.start()
    settings: Settings = container.settings()
    if settings.demo:
        await load_sample_catalogue(
            container.storage.catalogue(),
            container.add_author(),
            container.add_book(),
            container.add_review(),
        )


async def stop(container: Container) -> None:
    """Close what `start` opened, in the reverse order; a part that fails to close does not
    keep the others open (the first failure is raised once all have been tried)."""
    parts: list[Lifecycle] = container.lifecycle()
    failure: BaseException | None = None
    for part in reversed(parts):
        try:
            await part.stop()
        except Exception as error:  # every part gets its chance to close
            failure = failure or error
    if failure is not None:
        raise failure
