"""Probes: `/healthz` (the process runs) and `/readyz` (its dependencies answer)."""

from __future__ import annotations

from typing import Literal

import falcon.asgi
from attrs import frozen

from library.application.health import CheckReadiness
from library.entrypoints.http.errors import SERVICE_UNAVAILABLE, Problem
from library.entrypoints.http.responses import ok
from library.entrypoints.http.schemas import json_converter

RETRY_AFTER_SECONDS = 5


@frozen
class Liveness:
    """The process runs."""

    status: Literal["ok"]


class Health:
    """`/healthz`: 200 while the process runs; touches nothing else."""

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        ok(resp, Liveness("ok"))


class Readiness:
    """`/readyz`: each dependency's status; 200 when ready, else a 503 problem listing them."""

    def __init__(self, check_readiness: CheckReadiness) -> None:
        self._check_readiness = check_readiness

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        readiness = await self._check_readiness()
        dependencies = json_converter().unstructure(readiness.dependencies)
        if not readiness.ready:  # a problem document, as every 5xx, listing the dependencies
            down = ", ".join(d.name for d in readiness.dependencies if d.status == "down")
            raise Problem(
                SERVICE_UNAVAILABLE,
                f"not ready: {down} cannot be reached",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                extensions={"ready": False, "dependencies": dependencies},
            )
        ok(resp, {"ready": True, "dependencies": dependencies})
