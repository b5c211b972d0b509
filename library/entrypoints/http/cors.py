"""Cross-origin access for browser clients of the configured origins (off by default)."""

from __future__ import annotations

from collections.abc import Sequence

import falcon
import falcon.asgi

# What browser clients of this API send and need to read.
ALLOWED_HEADERS = (
    "Authorization",
    "X-API-Key",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "Content-Type",
    "X-Request-ID",
)
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "X-Request-ID",
)
MAX_AGE_SECONDS = 600


class Cors(falcon.CORSMiddleware[falcon.asgi.Request, falcon.asgi.Response]):
    """Falcon's CORS middleware, allowing only the request headers this API uses.

    Falcon's own echoes whatever a preflight asks for; a browser is then told exactly which
    headers it may send.
    """

    def __init__(self, origins: Sequence[str]) -> None:
        allowed = "*" if "*" in origins else list(origins)
        super().__init__(allow_origins=allowed, expose_headers=list(EXPOSED_HEADERS))

    async def process_response_async(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        req_succeeded: bool,
    ) -> None:
        self.process_response(req, resp, resource, req_succeeded)
        if resp.get_header("Access-Control-Allow-Headers") is not None:
            resp.set_header("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS))
            resp.set_header("Access-Control-Max-Age", str(MAX_AGE_SECONDS))
