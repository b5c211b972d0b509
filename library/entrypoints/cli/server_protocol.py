"""uvicorn's httptools protocol with a bound on what a request's head may take in memory.

The app refuses large targets and headers itself (414 and 431 problems, logged and counted
like any answer). httptools has no limit of its own, though: a client could send megabytes of
header before the app ever sees the request. This protocol counts the bytes of each
request's head (request line and headers) as they arrive and, past a generous multiple of the
app's limits, answers 431 with a problem document and closes the connection.
"""

from __future__ import annotations

import os

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# The app's own limits (LIBRARY_MAX_REQUEST_LINE + LIBRARY_MAX_HEADER_BYTES, 40 KiB by
# default) are well inside this, so every request they would refuse still reaches the app.
HEAD_BYTES_FACTOR = 4
_DEFAULT_HEAD_BYTES = 8192 + 32768


def _head_limit() -> int:
    total = 0
    for name, default in (("LIBRARY_MAX_REQUEST_LINE", 8192), ("LIBRARY_MAX_HEADER_BYTES", 32768)):
        raw = os.environ.get(name, "").strip()
        total += int(raw) if raw.isdigit() else default
    return HEAD_BYTES_FACTOR * (total or _DEFAULT_HEAD_BYTES)


_BODY = orjson.dumps(
    {
        "type": "/problems/request-header-fields-too-large",
        "title": "Request header fields too large",
        "status": 431,
        "detail": "the request's line and headers are far larger than this service accepts",
    }
)
_RESPONSE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/problem+json\r\n"
    b"x-content-type-options: nosniff\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + _BODY
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses a request head larger than `_head_limit()` bytes."""

    head_limit: int | None = None  # read from the environment once per process

    def connection_made(self, transport: object) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        if BoundedHttpToolsProtocol.head_limit is None:
            BoundedHttpToolsProtocol.head_limit = _head_limit()
        self._head_bytes = 0
        self._in_head = True  # a connection starts with a request head

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            limit = BoundedHttpToolsProtocol.head_limit or _DEFAULT_HEAD_BYTES
            if self._head_bytes > limit:
                self.logger.warning("refused a request head of more than %d bytes", limit)
                self.transport.write(_RESPONSE)
                self.transport.close()
                return
        super().data_received(data)
