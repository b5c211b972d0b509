"""The Redis client: a single server or a cluster, plain or TLS, with short time-outs."""

from __future__ import annotations

import logging
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisClusterException, RedisError

log = logging.getLogger(__name__)

MIN_CONNECT_TIMEOUT = 0.25


def create_client(url: str, *, cluster: bool, timeout: float) -> Any:
    """Build a client for `url`; nothing connects until the first command.

    TLS is `rediss://`, with redis-py's URL options for certificates
    (`?ssl_ca_certs=/path/ca.pem`, `ssl_certfile`, `ssl_keyfile`, `ssl_cert_reqs=required`).
    `redis+cluster://` (or `cluster=True`) selects Redis Cluster. A cache must fail fast:
    time-outs of a few tens of milliseconds, after which the read goes to the database, and
    no retry after a time-out. A command that finds its pooled connection closed (Redis
    restarted, or a proxy dropped it) is retried once on a new connection: otherwise each
    connection left over from before an outage would fail one command after Redis is back,
    and every such failure opens the circuit breaker again. Every command the cache sends may
    run twice.
    """
    options: dict[str, Any] = {
        "socket_timeout": timeout,
        # Opening a connection takes longer than a command (a TLS handshake costs tens of
        # milliseconds on a busy host) and happens once per pooled connection, or once per
        # breaker cooldown while Redis is away.
        "socket_connect_timeout": max(timeout, MIN_CONNECT_TIMEOUT),
        "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    }
    scheme, sep, rest = url.partition("://")
    if scheme.endswith("+cluster"):  # redis+cluster:// or rediss+cluster://
        url, cluster = scheme.removesuffix("+cluster") + sep + rest, True
    if cluster:
        return RedisCluster.from_url(url, **options)
    return Redis.from_url(url, **options)


async def connect(client: Any) -> None:
    """Learn a cluster's layout before the first requests, if it answers.

    A cluster client that first meets its nodes under a burst of concurrent commands can drop
    connections while it learns the slots (redis-py #4287); learning them at start avoids
    that. A Redis that does not answer yet is no reason not to start: the client learns the
    layout on its first command then.
    """
    if not isinstance(client, RedisCluster):
        return
    try:
        await client.initialize()
    except (RedisError, RedisClusterException, OSError) as error:
        log.warning("Redis Cluster did not answer at start (%s); it is tried again on use", error)


class ClientLifecycle:
    """Learn a cluster's layout when the service starts; close the client when it stops."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def start(self) -> None:
        await connect(self._client)

    async def stop(self) -> None:
        await self._client.aclose()
