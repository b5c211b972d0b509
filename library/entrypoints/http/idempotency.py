"""Safe retries of POSTs: a keyed request runs once, and its repeats get the kept response.

Falcon middleware placed after access control, so a repeat is authenticated, rate-limited and
authorised like any request before it can be replayed, and the key it claims belongs to its
principal. Refusals never reach it; a response that is not final (a 5xx) frees the key.
Replays and key-reuse 422s go through the app like every answer: they get a request id, an
access line and a metric. Nothing is kept for a body the app will refuse on its own (not JSON,
over the size limit): those answers do not depend on the work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import falcon
import falcon.asgi

from library.application.errors import StorageUnavailable
from library.application.idempotency import (
    IdempotencyKeyReused,
    KeyInvalid,
    ProcessOnce,
    StoredResponse,
    check_key,
    fingerprint,
    scoped_key,
)
from library.domain.errors import FieldError
from library.entrypoints.http.body import is_json_media_type
from library.entrypoints.http.errors import (
    MEDIA_PROBLEM,
    VALIDATION_ERROR,
    Problem,
    ProblemType,
)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
log = logging.getLogger(__name__)

KEY_REUSED = ProblemType("/problems/idempotency-key-reused", "Idempotency key reused", 422)


class IdempotentPosts:
    """Falcon middleware: claim a POST's Idempotency-Key, replay or keep its response."""

    def __init__(self, process_once: ProcessOnce, max_body_bytes: int) -> None:
        self._process_once = process_once
        self._max_body_bytes = max_body_bytes

    async def process_resource(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        params: Mapping[str, Any],
    ) -> None:
        if req.method != "POST":
            return
        raw_key = req.get_header(HEADER)
        if raw_key is None:
            return
        try:
            key = check_key(raw_key)
        except KeyInvalid as error:
            raise Problem(
                VALIDATION_ERROR, f"{HEADER} {error}", [FieldError(HEADER, str(error))]
            ) from error
        body = await self._body(req)
        if body is None:
            return
        principal = req.context.get("principal")
        stored_key = scoped_key(key, None if principal is None else principal.id)
        request = fingerprint("POST", req.path, body)
        try:
            stored = await self._process_once.begin(stored_key, request)
        except IdempotencyKeyReused as error:
            message = "this Idempotency-Key was used for a different request (method, path or body)"
            raise Problem(KEY_REUSED, message, [FieldError(HEADER, message)]) from error
        if stored is None:
            req.context.idempotency_key = stored_key
            return
        _replay(resp, stored)

    async def process_response(
        self,
        req: falcon.asgi.Request,
        resp: falcon.asgi.Response,
        resource: object,
        req_succeeded: bool,
    ) -> None:
        key: str | None = req.context.get("idempotency_key")
        if key is None:
            return
        response = StoredResponse(resp.status_code, resp.data or b"", resp.get_header("Location"))
        try:
            await self._process_once.finish(key, response)
        except StorageUnavailable as error:
            # The work is done and its answer is on its way: failing it now would make the
            # client retry work that succeeded. The key stays leased until its lease runs out.
            log.warning("could not keep the response for an Idempotency-Key: %s", error)

    async def _body(self, req: falcon.asgi.Request) -> bytes | None:
        """The whole body, left for the resource to read again; None (and nothing claimed)
        when the app will refuse it whatever the work would do."""
        if not is_json_media_type(req.content_type):
            return None
        limit = self._max_body_bytes
        if req.content_length is not None and req.content_length > limit:
            return None
        body = await req.stream.read(limit + 1)
        req.context.buffered_body = body
        return None if len(body) > limit else body


def _replay(resp: falcon.asgi.Response, stored: StoredResponse) -> None:
    resp.status = stored.status
    resp.data = stored.body
    resp.content_type = MEDIA_PROBLEM if stored.status >= 400 else falcon.MEDIA_JSON
    if stored.location is not None:
        resp.set_header("Location", stored.location)
    resp.set_header(REPLAYED, "true")
    resp.complete = True
