"""Authors: `/authors`, `/authors/{id}` and the author's books."""

from __future__ import annotations

import falcon.asgi

from library.application.authors import (
    AddAuthor,
    AuthorChanges,
    AuthorInput,
    RemoveAuthor,
    ReplaceAuthor,
    ReviseAuthor,
)
from library.application.catalogue import BrowseAuthors, ShowAuthor, ShowAuthorBooks
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.query import author_list_params
from library.entrypoints.http.responses import created, no_content, ok
from library.entrypoints.http.schemas import structure


class Authors:
    """`/authors`: list and search (a bare array), add."""

    def __init__(
        self, body: JsonBody, browse_authors: BrowseAuthors, add_author: AddAuthor
    ) -> None:
        self._body = body
        self._browse_authors = browse_authors
        self._add_author = add_author

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        ok(resp, await self._browse_authors(author_list_params(req)))

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        command = structure(await self._body.object(req), AuthorInput)
        author = await self._add_author(command)
        created(resp, f"/authors/{author.id}", author)


class Author:
    """`/authors/{id}`: show, replace, revise, remove."""

    def __init__(
        self,
        body: JsonBody,
        show_author: ShowAuthor,
        replace_author: ReplaceAuthor,
        revise_author: ReviseAuthor,
        remove_author: RemoveAuthor,
    ) -> None:
        self._body = body
        self._show_author = show_author
        self._replace_author = replace_author
        self._revise_author = revise_author
        self._remove_author = remove_author

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, author_id: int
    ) -> None:
        ok(resp, await self._show_author(author_id))

    async def on_put(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, author_id: int
    ) -> None:
        command = structure(await self._body.object(req), AuthorInput)
        ok(resp, await self._replace_author(author_id, command))

    async def on_patch(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, author_id: int
    ) -> None:
        changes = structure(await self._body.object(req), AuthorChanges)
        ok(resp, await self._revise_author(author_id, changes))

    async def on_delete(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, author_id: int
    ) -> None:
        await self._remove_author(author_id)
        no_content(resp)


class AuthorBooks:
    """`/authors/{id}/books`: the author's books as summaries (a bare array)."""

    def __init__(self, show_author_books: ShowAuthorBooks) -> None:
        self._show_author_books = show_author_books

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, author_id: int
    ) -> None:
        ok(resp, await self._show_author_books(author_id))
