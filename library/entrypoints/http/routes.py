"""The route table: every route once, with what each of its operations takes and answers.

`create_app` adds these routes to Falcon's router, and `openapi` documents them, so a route
cannot be served without being documented. The types named here (commands, read models,
query parameter classes) are the ones the resources structure and serialise; the problems an
operation can answer follow from what it reads (see `openapi`), plus those listed.
"""

from __future__ import annotations

from typing import Any

from library.application.access import (
    CATALOGUE_READ,
    CATALOGUE_WRITE,
    METRICS_READ,
    REVIEWS_WRITE,
)
from library.application.authors import AuthorChanges, AuthorInput
from library.application.books import AUTHOR_IDS, BookChanges, BookInput
from library.application.health import Readiness as ReadinessReport
from library.application.list_params import AuthorListParams, BookListParams
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookPage,
    BookSummary,
    ReviewView,
)
from library.application.reviews import ReviewChanges, ReviewInput
from library.container import Container
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.errors import DUPLICATE_REVIEW, INVALID_QUERY, UNKNOWN_REFERENCE
from library.entrypoints.http.metrics import HttpMetrics
from library.entrypoints.http.operations import Operation, Reply, Route
from library.entrypoints.http.resources.authors import Author, AuthorBooks, Authors
from library.entrypoints.http.resources.books import Book, BookAuthors, BookReviews, Books
from library.entrypoints.http.resources.docs import ApiDocument, SwaggerUi
from library.entrypoints.http.resources.health import Health, Liveness, Readiness
from library.entrypoints.http.resources.metrics import Metrics
from library.entrypoints.http.resources.reviews import Review

BOOKS, REVIEWS, AUTHORS, OPERATIONS = "books", "reviews", "authors", "operations"


def _ok(model: Any, description: str = "OK") -> Reply:
    return Reply(200, model, description)


def _created(model: Any, description: str) -> Reply:
    return Reply(201, model, description, location=True)


_DELETED = Reply(204, None, "Deleted")


def _book_routes(c: Container, body: JsonBody) -> tuple[Route, ...]:
    detail = "the book with its authors, reviews and rating summary"
    return (
        Route(
            "/books",
            Books(body, c.browse_books(), c.add_book()),
            BOOKS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="List and search books",
                    description="A page of books and the cursor of the next page (null on the"
                    " last). With `q` and no `sort`, the most relevant come first.",
                    query=BookListParams,
                    reply=_ok(BookPage),
                    problems=(INVALID_QUERY,),
                ),
                Operation(
                    method="POST",
                    scope=CATALOGUE_WRITE,
                    summary="Add a book",
                    body=BookInput,
                    reply=_created(BookDetail, f"Added: {detail}"),
                    problems=(UNKNOWN_REFERENCE,),
                ),
            ),
        ),
        Route(
            "/books/{book_id:id}",
            Book(body, c.show_book(), c.replace_book(), c.revise_book(), c.remove_book()),
            BOOKS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="Show a book",
                    reply=_ok(BookDetail, detail),
                ),
                Operation(
                    method="PUT",
                    scope=CATALOGUE_WRITE,
                    summary="Replace a book",
                    description="Every field and the author list; an absent optional field"
                    " becomes null.",
                    body=BookInput,
                    reply=_ok(BookDetail, detail),
                    problems=(UNKNOWN_REFERENCE,),
                ),
                Operation(
                    method="PATCH",
                    scope=CATALOGUE_WRITE,
                    summary="Change some fields of a book",
                    description="Only the fields given change; null clears an optional one.",
                    body=BookChanges,
                    reply=_ok(BookDetail, detail),
                ),
                Operation(
                    method="DELETE",
                    scope=CATALOGUE_WRITE,
                    summary="Delete a book with its reviews (its authors stay)",
                    reply=_DELETED,
                ),
            ),
        ),
        Route(
            "/books/{book_id:id}/authors",
            BookAuthors(body, c.replace_book_authors()),
            BOOKS,
            (
                Operation(
                    method="PUT",
                    scope=CATALOGUE_WRITE,
                    summary="Replace a book's authors",
                    body=list[int],
                    body_doc=AUTHOR_IDS,
                    reply=_ok(BookDetail, detail),
                    problems=(UNKNOWN_REFERENCE,),
                ),
            ),
        ),
        Route(
            "/books/{book_id:id}/reviews",
            BookReviews(body, c.show_book_reviews(), c.add_review()),
            REVIEWS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="List a book's reviews",
                    reply=_ok(list[ReviewView], "The reviews, by id"),
                ),
                Operation(
                    method="POST",
                    scope=REVIEWS_WRITE,
                    summary="Review a book",
                    description="One review per reviewer and book; names are compared"
                    " case-insensitively.",
                    body=ReviewInput,
                    reply=_created(ReviewView, "Added: the review"),
                    problems=(DUPLICATE_REVIEW,),
                ),
            ),
        ),
        Route(
            "/reviews/{review_id:id}",
            Review(body, c.show_review(), c.revise_review(), c.remove_review()),
            REVIEWS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="Show a review",
                    reply=_ok(ReviewView),
                ),
                Operation(
                    method="PATCH",
                    scope=REVIEWS_WRITE,
                    summary="Change a review's rating or comment",
                    body=ReviewChanges,
                    reply=_ok(ReviewView),
                ),
                Operation(
                    method="DELETE", scope=REVIEWS_WRITE, summary="Delete a review", reply=_DELETED
                ),
            ),
        ),
    )


def _author_routes(c: Container, body: JsonBody) -> tuple[Route, ...]:
    return (
        Route(
            "/authors",
            Authors(body, c.browse_authors(), c.add_author()),
            AUTHORS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="List and search authors",
                    description="By id; with `q`, the most relevant first.",
                    query=AuthorListParams,
                    reply=_ok(list[AuthorView]),
                ),
                Operation(
                    method="POST",
                    scope=CATALOGUE_WRITE,
                    summary="Add an author",
                    body=AuthorInput,
                    reply=_created(AuthorView, "Added: the author"),
                    problems=(UNKNOWN_REFERENCE,),
                ),
            ),
        ),
        Route(
            "/authors/{author_id:id}",
            Author(body, c.show_author(), c.replace_author(), c.revise_author(), c.remove_author()),
            AUTHORS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="Show an author",
                    reply=_ok(AuthorView),
                ),
                Operation(
                    method="PUT",
                    scope=CATALOGUE_WRITE,
                    summary="Replace an author",
                    description="Name, email and book list (an absent `book_ids` means none).",
                    body=AuthorInput,
                    reply=_ok(AuthorView),
                    problems=(UNKNOWN_REFERENCE,),
                ),
                Operation(
                    method="PATCH",
                    scope=CATALOGUE_WRITE,
                    summary="Change some fields of an author",
                    description="`book_ids`, when given, replaces the list (`[]` clears it).",
                    body=AuthorChanges,
                    reply=_ok(AuthorView),
                    problems=(UNKNOWN_REFERENCE,),
                ),
                Operation(
                    method="DELETE",
                    scope=CATALOGUE_WRITE,
                    summary="Delete an author (their books stay)",
                    reply=_DELETED,
                ),
            ),
        ),
        Route(
            "/authors/{author_id:id}/books",
            AuthorBooks(c.show_author_books()),
            AUTHORS,
            (
                Operation(
                    method="GET",
                    scope=CATALOGUE_READ,
                    summary="List an author's books",
                    reply=_ok(list[BookSummary], "The author's books, by id"),
                ),
            ),
        ),
    )


def _operation_routes(
    c: Container, document: ApiDocument, metrics: HttpMetrics
) -> tuple[Route, ...]:
    text = "text/plain"
    return (
        Route(
            "/healthz",
            Health(),
            OPERATIONS,
            (
                Operation(
                    method="GET",
                    scope=None,
                    rate_limited=False,
                    summary="Liveness: 200 while the process runs",
                    reply=_ok(Liveness),
                    storage=False,
                ),
            ),
        ),
        Route(
            "/readyz",
            Readiness(c.check_readiness()),
            OPERATIONS,
            (
                Operation(
                    method="GET",
                    scope=None,
                    rate_limited=False,
                    summary="Readiness: each dependency's status",
                    description="200 while every critical dependency (PostgreSQL) answers,"
                    " else a 503 problem listing them. A cache that is down shows as"
                    " `degraded` without making the instance unready.",
                    reply=_ok(ReadinessReport),
                    problem_extension=ReadinessReport,
                ),
            ),
        ),
        Route(
            "/metrics",
            Metrics(metrics),
            OPERATIONS,
            (
                Operation(
                    method="GET",
                    scope=METRICS_READ,
                    summary="Metrics in the Prometheus text format",
                    reply=Reply(200, str, media_type=text),
                    storage=False,
                ),
            ),
        ),
        Route(
            "/openapi.json",
            document,
            OPERATIONS,
            (
                Operation(
                    method="GET",
                    scope=None,
                    summary="This document (OpenAPI 3.1)",
                    reply=_ok(dict),
                    storage=False,
                ),
            ),
        ),
        Route(
            "/docs",
            SwaggerUi(),
            OPERATIONS,
            (
                Operation(
                    method="GET",
                    scope=None,
                    summary="Interactive documentation (Swagger UI)",
                    reply=Reply(200, str, media_type="text/html"),
                    storage=False,
                ),
            ),
        ),
    )


def route_table(
    container: Container, body: JsonBody, document: ApiDocument, metrics: HttpMetrics
) -> tuple[Route, ...]:
    """Every route of the service, its resource built over the use cases of `container`."""
    return (
        *_book_routes(container, body),
        *_author_routes(container, body),
        *_operation_routes(container, document, metrics),
    )
