"""The in-memory catalogue: the default storage and the fakes of the core's tests.

Same semantics as the PostgreSQL adapter (contract-tested): transactions isolated until
commit, writers serialised, ids from never-reused sequences, and search and ordering as
PostgreSQL does them (the search through `postgres_search`, an emulation of PostgreSQL's
text search).
"""

from library.adapters.memory.api_keys import MemoryApiKeyStore
from library.adapters.memory.catalogue import MemoryCatalogue
from library.adapters.memory.rate_limits import LocalRateLimiter
from library.adapters.memory.store import MemoryStore
from library.adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = [
    "LocalRateLimiter",
    "MemoryApiKeyStore",
    "MemoryCatalogue",
    "MemoryStore",
    "MemoryUnitOfWork",
]
