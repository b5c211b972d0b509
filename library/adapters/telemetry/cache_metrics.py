"""Cache outcomes as a Prometheus counter: `library_cache_requests_total{kind, result}`."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

RESULTS = ("hit", "miss", "error", "bypass")


class PrometheusCacheObserver:
    """Implements the `CacheObserver` port.

    Label children are created once per (kind, result) and kept, so counting is one dict
    lookup and one increment.
    """

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self._counter = Counter(
            "library_cache_requests",
            "Cached reads by kind of read and result: hit, miss, error (Redis failed or an"
            " entry could not be decoded; the read fell through) or bypass (cache skipped).",
            ("kind", "result"),
            registry=registry,
        )
        self._children: dict[tuple[str, str], Counter] = {}

    def _count(self, kind: str, result: str) -> None:
        key = (kind, result)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._counter.labels(kind, result)
        child.inc()

    def hit(self, kind: str) -> None:
        self._count(kind, "hit")

    def miss(self, kind: str) -> None:
        self._count(kind, "miss")

    def error(self, kind: str) -> None:
        self._count(kind, "error")

    def bypass(self, kind: str) -> None:
        self._count(kind, "bypass")
