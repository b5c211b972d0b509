"""Reviews: `/reviews/{id}` (adding one is under its book)."""

from __future__ import annotations

import falcon.asgi

from library.application.catalogue import ShowReview
from library.application.reviews import RemoveReview, ReviewChanges, ReviseReview
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.responses import no_content, ok
from library.entrypoints.http.schemas import structure


class Review:
    """`/reviews/{id}`: show, revise, remove."""

    def __init__(
        self,
        body: JsonBody,
        show_review: ShowReview,
        revise_review: ReviseReview,
        remove_review: RemoveReview,
    ) -> None:
        self._body = body
        self._show_review = show_review
        self._revise_review = revise_review
        self._remove_review = remove_review

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, review_id: int
    ) -> None:
        ok(resp, await self._show_review(review_id))

    async def on_patch(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, review_id: int
    ) -> None:
        changes = structure(await self._body.object(req), ReviewChanges)
        ok(resp, await self._revise_review(review_id, changes))

    async def on_delete(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, review_id: int
    ) -> None:
        await self._remove_review(review_id)
        no_content(resp)
