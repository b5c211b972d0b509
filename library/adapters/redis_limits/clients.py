"""What the limiters need of Redis, and what its client raises when Redis fails."""

from __future__ import annotations

from typing import TypeAlias

import redis.asyncio
from redis.exceptions import RedisClusterException, RedisError

RedisClient: TypeAlias = redis.asyncio.Redis | redis.asyncio.RedisCluster

# A dead, slow or garbled Redis, as redis-py reports it. RedisClusterException (no reachable
# node, a slot not covered) is not a RedisError; a garbled reply fails to parse. redis-py's
# asyncio connections can also leak AttributeError or TypeError when a connection is closed
# under a write (redis/redis-py#4287, #3546; seen here with a burst on a fresh cluster client).
REDIS_FAILURES = (
    RedisError,
    RedisClusterException,
    OSError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
)
