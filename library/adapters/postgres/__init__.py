"""The catalogue in PostgreSQL: hand-written SQL over psycopg 3 and its async pool."""

from library.adapters.postgres.api_keys import PostgresApiKeyStore
from library.adapters.postgres.catalogue import PostgresCatalogue
from library.adapters.postgres.health import PostgresCheck
from library.adapters.postgres.pool import Pool, PoolLifecycle, create_pool
from library.adapters.postgres.pool_stats import PsycopgPoolStats
from library.adapters.postgres.unit_of_work import PostgresUnitOfWork

__all__ = [
    "Pool",
    "PoolLifecycle",
    "PostgresApiKeyStore",
    "PostgresCatalogue",
    "PostgresCheck",
    "PostgresUnitOfWork",
    "PsycopgPoolStats",
    "create_pool",
]
