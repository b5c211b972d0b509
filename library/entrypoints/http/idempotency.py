"""Safe retries of POSTs: an ASGI wrapper that runs a keyed request once and replays it.

It sits outside the Falcon app because it has to see the whole exchange: the request body
(for the fingerprint) and the complete response (status, body, Location) to keep it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from library.application.errors import StorageUnavailable
from library.application.idempotency import (
    IdempotencyKeyReused,
    KeyInvalid,
    ProcessOnce,
    StoredResponse,
    check_key,
    fingerprint,
)
from library.entrypoints.http.errors import (
    MEDIA_PROBLEM,
    SERVICE_UNAVAILABLE,
    VALIDATION_ERROR,
    ProblemType,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADER = b"idempotency-key"
KEY_REUSED = ProblemType("/problems/idempotency-key-reused", "Idempotency key reused", 422)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            found: bytes = value
            return found
    return None


def _problem(kind: ProblemType, detail: str, field: str | None = None) -> StoredResponse:
    document: dict[str, Any] = {
        "type": kind.uri,
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
    }
    if field is not None:
        document["errors"] = [{"field": field, "message": detail}]
    return StoredResponse(kind.status, orjson.dumps(document))


class IdempotentPosts:
    """Process each POST carrying an Idempotency-Key once; repeats get the kept response."""

    def __init__(self, app: AsgiApp, process_once: ProcessOnce, max_body_bytes: int) -> None:
        self._app = app
        self._process_once = process_once
        self._max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        raw_key = _header(scope, HEADER)
        if raw_key is None:
            await self._app(scope, receive, send)
            return
        body, complete = await self._read(receive)
        if not complete:  # over the size limit: the app answers 413, nothing is kept
            await self._app(scope, _replay(body, receive), send)
            return
        try:
            key = check_key(raw_key.decode("latin-1"))
        except KeyInvalid as error:
            await _send(send, _problem(VALIDATION_ERROR, str(error), "Idempotency-Key"))
            return

        async def work() -> StoredResponse:
            return await _capture(self._app, scope, body, receive)

        request = fingerprint("POST", scope.get("path", ""), body)
        try:
            response = await self._process_once(key, request, work)
        except IdempotencyKeyReused:
            response = _problem(
                KEY_REUSED,
                "this Idempotency-Key was used for a different request (method, path or body)",
                "Idempotency-Key",
            )
        except StorageUnavailable as error:
            response = _problem(SERVICE_UNAVAILABLE, str(error))
        await _send(send, response)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        """The request body, and whether it was read whole within the size limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), False
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self._max_body_bytes:
                return b"".join(chunks), False
            if not message.get("more_body", False):
                return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands out `body` first, then whatever the client still sends."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": True}
        return await receive()

    return replay


async def _capture(app: AsgiApp, scope: Scope, body: bytes, receive: Receive) -> StoredResponse:
    """Run `app` on the buffered request and keep its response instead of sending it."""
    delivered = False
    status = 500
    location: str | None = None
    chunks: list[bytes] = []

    async def once() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # only a disconnect can follow

    async def keep(message: Message) -> None:
        nonlocal status, location
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"location":
                    location = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, once, keep)
    return StoredResponse(status, b"".join(chunks), location)


async def _send(send: Send, response: StoredResponse) -> None:
    media = MEDIA_PROBLEM if response.status >= 400 else "application/json"
    headers = [
        (b"content-type", media.encode()),
        (b"content-length", str(len(response.body)).encode()),
    ]
    if response.location is not None:
        headers.append((b"location", response.location.encode("latin-1")))
    if response.status == 503:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
