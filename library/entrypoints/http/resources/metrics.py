"""`/metrics`: the Prometheus text exposition."""

from __future__ import annotations

import falcon.asgi
from prometheus_client import CONTENT_TYPE_LATEST

from library.entrypoints.http.metrics import HttpMetrics


class Metrics:
    def __init__(self, metrics: HttpMetrics) -> None:
        self._metrics = metrics

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        resp.data = self._metrics.exposition()
        resp.content_type = CONTENT_TYPE_LATEST
