"""Books: `/books`, `/books/{id}`, its authors and its reviews."""

from __future__ import annotations

import falcon.asgi

from library.application.books import (
    AddBook,
    BookChanges,
    BookInput,
    RemoveBook,
    ReplaceBook,
    ReplaceBookAuthors,
    ReviseBook,
)
from library.application.catalogue import BrowseBooks, ShowBook, ShowBookReviews
from library.application.reviews import AddReview, ReviewInput
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.query import book_list_params
from library.entrypoints.http.responses import created, no_content, ok
from library.entrypoints.http.schemas import structure


class Books:
    """`/books`: list and search, add."""

    def __init__(self, body: JsonBody, browse_books: BrowseBooks, add_book: AddBook) -> None:
        self._body = body
        self._browse_books = browse_books
        self._add_book = add_book

    async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        ok(resp, await self._browse_books(book_list_params(req)))

    async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
        command = structure(await self._body.object(req), BookInput)
        book = await self._add_book(command)
        created(resp, f"/books/{book.id}", book)


class Book:
    """`/books/{id}`: show, replace, revise, remove."""

    def __init__(
        self,
        body: JsonBody,
        show_book: ShowBook,
        replace_book: ReplaceBook,
        revise_book: ReviseBook,
        remove_book: RemoveBook,
    ) -> None:
        self._body = body
        self._show_book = show_book
        self._replace_book = replace_book
        self._revise_book = revise_book
        self._remove_book = remove_book

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        ok(resp, await self._show_book(book_id))

    async def on_put(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        command = structure(await self._body.object(req), BookInput)
        ok(resp, await self._replace_book(book_id, command))

    async def on_patch(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        changes = structure(await self._body.object(req), BookChanges)
        ok(resp, await self._revise_book(book_id, changes))

    async def on_delete(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        await self._remove_book(book_id)
        no_content(resp)


class BookAuthors:
    """`/books/{id}/authors`: replace the book's authors with a bare array of ids."""

    def __init__(self, body: JsonBody, replace_book_authors: ReplaceBookAuthors) -> None:
        self._body = body
        self._replace_book_authors = replace_book_authors

    async def on_put(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        author_ids = structure(await self._body.array(req), list[int], root="author_ids")
        ok(resp, await self._replace_book_authors(book_id, author_ids))


class BookReviews:
    """`/books/{id}/reviews`: the book's reviews, and adding one."""

    def __init__(
        self, body: JsonBody, show_book_reviews: ShowBookReviews, add_review: AddReview
    ) -> None:
        self._body = body
        self._show_book_reviews = show_book_reviews
        self._add_review = add_review

    async def on_get(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        ok(resp, await self._show_book_reviews(book_id))

    async def on_post(
        self, req: falcon.asgi.Request, resp: falcon.asgi.Response, book_id: int
    ) -> None:
        command = structure(await self._body.object(req), ReviewInput)
        review = await self._add_review(book_id, command)
        created(resp, f"/reviews/{review.id}", review)
