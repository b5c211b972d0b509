"""Monitoring adapters: the connection pool's usage, cache outcomes as Prometheus counters.

They belong to no storage adapter (prometheus-client is not one), and read psycopg_pool only
through its public `get_stats()`.
"""

from library.adapters.telemetry.cache_metrics import PrometheusCacheObserver
from library.adapters.telemetry.pool_stats import PsycopgPoolStats

__all__ = ["PrometheusCacheObserver", "PsycopgPoolStats"]
