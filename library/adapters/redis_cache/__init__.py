"""A Redis cache in front of the read side: generation-checked, cluster-safe, fail-open."""

from library.adapters.redis_cache.breaker import CircuitBreaker
from library.adapters.redis_cache.catalogue import CachedCatalogue
from library.adapters.redis_cache.client import ClientLifecycle, connect, create_client
from library.adapters.redis_cache.health import RedisCheck
from library.adapters.redis_cache.invalidation import CacheInvalidator
from library.adapters.redis_cache.keys import CacheKeys
from library.adapters.redis_cache.store import GenerationalCache

__all__ = [
    "CacheInvalidator",
    "CacheKeys",
    "CachedCatalogue",
    "CircuitBreaker",
    "ClientLifecycle",
    "GenerationalCache",
    "RedisCheck",
    "connect",
    "create_client",
]
