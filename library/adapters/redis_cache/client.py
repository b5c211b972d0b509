"""The Redis client: a single server or a cluster, plain or TLS, with short time-outs."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff


def create_client(url: str, *, cluster: bool, timeout: float) -> Any:
    """Build a client for `url`; nothing connects until the first command.

    TLS is `rediss://`, with redis-py's URL options for certificates
    (`?ssl_ca_certs=/path/ca.pem`, `ssl_certfile`, `ssl_keyfile`, `ssl_cert_reqs=required`).
    `redis+cluster://` (or `cluster=True`) selects Redis Cluster. A cache must fail fast:
    no retries, and time-outs of a few tens of milliseconds, after which the read goes to
    the database.
    """
    options: dict[str, Any] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }
    scheme, sep, rest = url.partition("://")
    if scheme.endswith("+cluster"):  # redis+cluster:// or rediss+cluster://
        url, cluster = scheme.removesuffix("+cluster") + sep + rest, True
    if cluster:
        return RedisCluster.from_url(url, **options)
    return Redis.from_url(url, **options)
