"""The catalogue in PostgreSQL: hand-written SQL over psycopg 3 and its async pool."""

from library.adapters.postgres.api_keys import PostgresApiKeyStore
from library.adapters.postgres.catalogue import PostgresCatalogue
from library.adapters.postgres.health import PostgresCheck
from library.adapters.postgres.pool import Pool, create_pool
from library.adapters.postgres.unit_of_work import PostgresUnitOfWork

__all__ = [
    "Pool",
    "PostgresApiKeyStore",
    "PostgresCatalogue",
    "PostgresCheck",
    "PostgresUnitOfWork",
    "create_pool",
]
