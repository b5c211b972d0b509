"""Background jobs on a Redis stream, with a consumer group."""

from library.adapters.redis_jobs.queue import RedisJobQueue

__all__ = ["RedisJobQueue"]
