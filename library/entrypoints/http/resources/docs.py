"""API documents: `/openapi.json`, and Swagger UI at `/docs` from a packaged copy of its assets.

Swagger UI's files come from the swagger-ui-py package (its `static/` folder) and are served
by this service under `/docs/static/`, so the page works without internet access. The page
asks for no validator badge and no fonts from elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
from pathlib import Path

import falcon
import falcon.asgi

SWAGGER_UI_STATIC = "/docs/static"

# Inline, so the page is one request; the Content Security Policy names its hash, so no other
# inline script (an injected one) can run.
_INIT = """
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      displayRequestDuration: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  """

_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>library API</title>
  <link rel="stylesheet" href="{SWAGGER_UI_STATIC}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{SWAGGER_UI_STATIC}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{SWAGGER_UI_STATIC}/swagger-ui-bundle.js"></script>
  <script>{_INIT}</script>
</body>
</html>
""".encode()

_INIT_HASH = base64.b64encode(hashlib.sha256(_INIT.encode()).digest()).decode()
# Everything from this service only: its script, Swagger UI's styles (which set some inline),
# its images (some are data: URLs), and requests to this API; nothing may frame the page.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        f"script-src 'self' 'sha256-{_INIT_HASH}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


def swagger_ui_assets() -> Path:
    """The folder of Swagger UI's files shipped by swagger-ui-py (found without importing it).

    Raises:
        RuntimeError: swagger-ui-py is not installed, or ships no Swagger UI bundle.
    """
    spec = importlib.util.find_spec("swagger_ui")
    locations = [] if spec is None else list(spec.submodule_search_locations or [])
    for location in locations:
        static = Path(location) / "static"
        if (static / "swagger-ui-bundle.js").is_file():
            return static
    raise RuntimeError("swagger-ui-py is not installed: /docs needs its Swagger UI files")


class ApiDocument:
    """`/openapi.json`: the document, generated once when the app is built."""

    def __init__(self) -> None:
        self._document = b""

    def publish(self, document: bytes) -> None:
        self._document = document

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        resp.data = self._document
        resp.content_type = falcon.MEDIA_JSON


class SwaggerUi:
    """`/docs`: the Swagger UI page over `/openapi.json`."""

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        resp.data = _PAGE
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
