"""Build the Falcon ASGI application of the catalogue from a wired container."""

from __future__ import annotations

import falcon.asgi
from falcon.routing import IntConverter

from library.container import Container
from library.domain.ids import MAX_ID
from library.entrypoints.http.body import JsonBody
from library.entrypoints.http.errors import install_problem_handling
from library.entrypoints.http.lifespan import Lifespan
from library.entrypoints.http.resources.authors import Author, AuthorBooks, Authors
from library.entrypoints.http.resources.books import Book, BookAuthors, BookReviews, Books
from library.entrypoints.http.resources.health import Health, Readiness
from library.entrypoints.http.resources.reviews import Review

AsgiApp = falcon.asgi.App[falcon.asgi.Request, falcon.asgi.Response]


class IdConverter(IntConverter):
    """A path id: decimal ASCII digits only, from 1 to the bigint maximum.

    Python's `int()` (and so Falcon's `int` converter) also reads `+5`, `1_000` and non-ASCII
    digits; none of those is an id, so they get the 404 of any other non-id.
    """

    def __init__(self) -> None:
        super().__init__(min=1, max=MAX_ID)

    def convert(self, value: str) -> int | None:
        if not (value.isascii() and value.isdigit()):
            return None
        return super().convert(value)


def _add_routes(app: AsgiApp, container: Container, body: JsonBody) -> None:
    c = container
    app.add_route("/books", Books(body, c.browse_books(), c.add_book()))
    app.add_route(
        "/books/{book_id:id}",
        Book(body, c.show_book(), c.replace_book(), c.revise_book(), c.remove_book()),
    )
    app.add_route("/books/{book_id:id}/authors", BookAuthors(body, c.replace_book_authors()))
    app.add_route(
        "/books/{book_id:id}/reviews", BookReviews(body, c.show_book_reviews(), c.add_review())
    )
    app.add_route(
        "/reviews/{review_id:id}",
        Review(body, c.show_review(), c.revise_review(), c.remove_review()),
    )
    app.add_route("/authors", Authors(body, c.browse_authors(), c.add_author()))
    app.add_route(
        "/authors/{author_id:id}",
        Author(body, c.show_author(), c.replace_author(), c.revise_author(), c.remove_author()),
    )
    app.add_route("/authors/{author_id:id}/books", AuthorBooks(c.show_author_books()))
    app.add_route("/healthz", Health())
    app.add_route("/readyz", Readiness(c.check_readiness()))


def create_app(container: Container) -> AsgiApp:
    """Build the HTTP application over the use cases of `container`.

    Nothing is opened here: the container's resources are started and stopped by the ASGI
    server's lifespan events.
    """
    app = falcon.asgi.App(middleware=[Lifespan(container)])
    app.req_options.strip_url_path_trailing_slash = True  # /books/ is /books, no redirect
    app.req_options.auto_parse_qs_csv = False  # a comma is part of the value (q=a,b)
    app.req_options.keep_blank_qs_values = False  # ?q= is the same as no q at all
    app.router_options.converters["id"] = IdConverter
    install_problem_handling(app)
    _add_routes(app, container, JsonBody(container.settings().max_body_bytes))
    return app
