"""Rate limits shared through Redis, with per-process counting as the fallback."""

from library.adapters.redis_limits.clients import RedisClient
from library.adapters.redis_limits.reads import RedisReadLimiter
from library.adapters.redis_limits.writes import RedisWriteLimiter

__all__ = ["RedisClient", "RedisReadLimiter", "RedisWriteLimiter"]
