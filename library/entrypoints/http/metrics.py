"""Prometheus metrics of the HTTP API: requests, latency, and the database pool's usage.

One process (the default, and `library serve` with one worker) keeps its metrics in memory,
in the container's registry. With PROMETHEUS_MULTIPROC_DIR set (what `library serve
--workers N` does for N > 1), prometheus-client's multiprocess mode writes every worker's
values to files there, and `/metrics`, whichever worker answers it, adds them all up: counters
and histograms summed, pool gauges summed over the workers alive.

Recording a request costs one dict lookup (label children are made once per method, route and
status, and kept), one counter increment and one histogram observation.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    values,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from library.application.monitoring import PoolStats

# Seconds: from a cache hit (well under a millisecond) to a slow search.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
POOL_REFRESH_SECONDS = 5.0


def multiprocess_mode() -> bool:
    """Whether prometheus-client runs in multiprocess mode (it decides on import, by the
    environment)."""
    return values.ValueClass is not values.MutexValue


class _PoolGauges:
    """The pool's usage as gauges, set from `PoolStats` whenever they are refreshed."""

    def __init__(self, stats: PoolStats, registry: CollectorRegistry) -> None:
        self._stats = stats

        def gauge(name: str, documentation: str) -> Gauge:
            return Gauge(name, documentation, registry=registry, multiprocess_mode="livesum")

        self._size = gauge("library_db_pool_size", "Open connections of the database pool")
        self._in_use = gauge("library_db_pool_in_use", "Pool connections lent to requests")
        self._available = gauge("library_db_pool_available", "Open pool connections idle")
        self._waiting = gauge(
            "library_db_pool_waiting", "Requests waiting for a connection of the pool"
        )
        self._max_size = gauge("library_db_pool_max_size", "Most connections the pool opens")

    def refresh(self) -> None:
        usage = self._stats.usage()
        self._size.set(usage.size)
        self._in_use.set(usage.in_use)
        self._available.set(usage.available)
        self._waiting.set(usage.waiting)
        self._max_size.set(usage.max_size)


class HttpMetrics:
    """Request counts and latencies by method, route template and status; pool usage."""

    def __init__(self, registry: CollectorRegistry, pool_stats: PoolStats | None) -> None:
        self._registry = registry
        self.multiprocess = multiprocess_mode()
        disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` series
        self._requests = Counter(
            "library_http_requests",
            "HTTP requests answered, by method, route template and status code",
            ("method", "route", "status"),
            registry=registry,
        )
        self._latency = Histogram(
            "library_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._pool = None if pool_stats is None else _PoolGauges(pool_stats, registry)
        self._refresher: asyncio.Task[None] | None = None

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self._requests.labels(method, route, str(status)),
                self._latency.labels(method, route),
            )
        children[0].inc()
        children[1].observe(seconds)

    def refresh_pool(self) -> None:
        if self._pool is not None:
            self._pool.refresh()

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric (of every worker, in multiprocess mode)."""
        self.refresh_pool()
        if not self.multiprocess:
            return generate_latest(self._registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def start(self) -> None:
        """In multiprocess mode, keep this worker's pool gauges current until `stop`.

        A scrape reaches one worker, so the others publish their pool usage every few
        seconds. A single process needs none of this: the scrape reads the pool itself.
        """
        if self.multiprocess and self._pool is not None and self._refresher is None:
            self._refresher = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def stop(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
            self._refresher = None
        if self.multiprocess:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # its gauges leave the sums

    async def _refresh_forever(self) -> None:
        while True:
            self.refresh_pool()
            await asyncio.sleep(POOL_REFRESH_SECONDS)


class AccessMetrics:
    """Requests refused by access control, by reason (for alerts on key guessing or abuse).

    Reasons: `unauthenticated_<missing|malformed|invalid|expired|revoked>`, `forbidden`,
    `rate_limited`, `verifier_unavailable`.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self._refusals = Counter(
            "library_access_refusals",
            "Requests refused by access control (401, 403, 429, 503), by reason",
            ("reason",),
            registry=registry,
        )
        self._children: dict[str, Counter] = {}

    def refused(self, reason: str) -> None:
        child = self._children.get(reason)
        if child is None:
            child = self._children[reason] = self._refusals.labels(reason)
        child.inc()
