"""Monitoring adapters: cache outcomes as Prometheus counters.

They belong to no storage adapter: prometheus-client is not one. (The connection pool's
usage is read by the PostgreSQL adapter, which owns the pool and its driver.)
"""

from library.adapters.telemetry.cache_metrics import PrometheusCacheObserver

__all__ = ["PrometheusCacheObserver"]
