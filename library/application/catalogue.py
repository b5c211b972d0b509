"""The read side: book and author lists, search and detail pages.

Query parameters arrive as text (from HTTP or the CLI) and are checked here, each on its own
(422 with every fault listed), then in combination (InvalidQuery, 400).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attrs import frozen

from library.application.cursors import decode_cursor, encode_cursor, position_of
from library.application.errors import InvalidQuery
from library.application.list_params import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_SEARCH_LENGTH,
    SORT_FIELDS,
    AuthorListParams,
    BookListParams,
)
from library.application.ports import (
    AuthorFilter,
    BookFilter,
    BookPosition,
    RenderedCatalogue,
    SortField,
    SortOrder,
)
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookPage,
    BookSummary,
    ReviewView,
)
from library.application.rendered import Rendered, render_page
from library.domain.books import Isbn, Language
from library.domain.errors import InvalidValue, NotFound
from library.domain.ids import MAX_ID
from library.domain.validation import Fields

_INTEGER = re.compile(r"-?[0-9]{1,20}")  # longer cannot be in range; int() of 4300+ digits raises


def _integer(raw: str, low: int, high: int) -> int:
    if not _INTEGER.fullmatch(raw):
        raise InvalidValue("must be an integer")
    value = int(raw)
    if not low <= value <= high:
        raise InvalidValue(f"must be an integer from {low} to {high}")
    return value


def _text(raw: str | None) -> str | None:
    """Trimmed filter text; empty means absent."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_SEARCH_LENGTH:
        raise InvalidValue(f"must be at most {MAX_SEARCH_LENGTH} characters")
    if "\x00" in text:
        raise InvalidValue("must not contain NUL characters")
    return text


def _optional_int(raw: str | None, low: int, high: int) -> int | None:
    return None if raw is None or raw == "" else _integer(raw, low, high)


def _sort(specs: Sequence[str]) -> tuple[SortOrder, ...]:
    orders: list[SortOrder] = []
    for spec in specs:
        name, colon, direction = spec.strip().lower().partition(":")
        if name not in SORT_FIELDS:
            raise InvalidValue(f"{spec!r}: field must be one of title, year, similarity")
        if direction not in ("asc", "desc") and (colon or direction):
            raise InvalidValue(f"{spec!r}: direction must be asc or desc")
        if any(order.field == name for order in orders):
            raise InvalidValue(f"{spec!r}: {name} is given more than once")
        field: SortField = name  # checked against SORT_FIELDS above
        descending = direction == "desc" or (direction == "" and field == "similarity")
        orders.append(SortOrder(field, descending))
    return tuple(orders)


@frozen
class BookListQuery:
    """A checked `GET /books` request."""

    filter: BookFilter
    limit: int
    offset: int
    after: BookPosition | None


def _offset(raw: str | None, most: int | None) -> int | None:
    offset = _optional_int(raw, 0, MAX_ID)
    if offset is not None and most is not None and offset > most:
        raise InvalidValue(
            f"must be at most {most} here: read further pages with cursor"
            " (each page's next_cursor), which costs the same at any depth"
        )
    return offset


def book_list_query(params: BookListParams, *, max_offset: int | None = None) -> BookListQuery:
    """Check every parameter, then their combination; `max_offset` is the deepest offset the
    deployment serves (LIBRARY_MAX_OFFSET: an offset page reads every book it skips).

    Raises:
        ValidationFailed: a parameter has a bad value (each fault listed).
        InvalidQuery: the parameters do not go together, or the cursor is bad or foreign.
    """
    fields = Fields()
    q = fields.check("q", lambda: _text(params.q))
    title = fields.check("title", lambda: _text(params.title))
    isbn = fields.check("isbn", lambda: Isbn.parse(params.isbn or None))
    author_id = fields.check("author_id", lambda: _optional_int(params.author_id, 1, MAX_ID))
    language = fields.check("language", lambda: Language.parse(params.language or None))
    before = fields.check("before", lambda: _optional_int(params.before, -MAX_ID, MAX_ID))
    after = fields.check("after", lambda: _optional_int(params.after, -MAX_ID, MAX_ID))
    limit = fields.check("limit", lambda: _optional_int(params.limit, 1, MAX_LIMIT))
    offset = fields.check("offset", lambda: _offset(params.offset, max_offset))
    sort = fields.check("sort", lambda: _sort([s for s in params.sort if s.strip()]))
    cursor = params.cursor or None
    fields.raise_if_any()

    if cursor is not None and offset is not None:
        raise InvalidQuery("cursor and offset cannot be used together", "cursor")
    if any(order.field == "similarity" for order in sort) and q is None:
        raise InvalidQuery("sorting by similarity needs a search text q", "sort")
    if not sort and q is not None:
        sort = (SortOrder("similarity", descending=True),)
    query = BookFilter(
        q=q,
        title=title,
        isbn=None if isbn is None else isbn.value,
        author_id=author_id,
        before=before,
        after=after,
        sort=sort,
        language=None if language is None else language.value,
    )
    return BookListQuery(
        filter=query,
        limit=DEFAULT_LIMIT if limit is None else limit,
        offset=offset or 0,
        after=None if cursor is None else decode_cursor(cursor, query),
    )


def author_filter(params: AuthorListParams) -> AuthorFilter:
    """Check `GET /authors` parameters, each on its own.

    Raises:
        ValidationFailed: a parameter has a bad value.
    """
    fields = Fields()
    query = AuthorFilter(
        q=fields.check("q", lambda: _text(params.q)),
        name=fields.check("name", lambda: _text(params.name)),
        email=fields.check("email", lambda: _text(params.email)),
        limit=fields.check("limit", lambda: _optional_int(params.limit, 1, MAX_LIMIT))
        or DEFAULT_LIMIT,
        offset=fields.check("offset", lambda: _optional_int(params.offset, 0, MAX_ID)) or 0,
    )
    fields.raise_if_any()
    return query


class BrowseBooks:
    """List and search books, a page at a time, with a cursor to the next page."""

    def __init__(self, catalogue: RenderedCatalogue, *, max_offset: int | None = None) -> None:
        self._catalogue = catalogue
        self._max_offset = max_offset

    async def __call__(self, params: BookListParams) -> Rendered[BookPage]:
        request = book_list_query(params, max_offset=self._max_offset)
        hits = await self._catalogue.books(
            request.filter, after=request.after, offset=request.offset, limit=request.limit + 1
        )
        page = hits[: request.limit]
        next_cursor = None
        if len(hits) > request.limit:
            next_cursor = encode_cursor(request.filter, position_of(page[-1], request.filter.sort))
        return render_page(page, next_cursor)


class BrowseAuthors:
    """List and search authors."""

    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, params: AuthorListParams) -> Rendered[list[AuthorView]]:
        return await self._catalogue.authors(author_filter(params))


class ShowBook:
    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, book_id: int) -> Rendered[BookDetail]:
        book = await self._catalogue.book(book_id)
        if book is None:
            raise NotFound("book", book_id)
        return book


class ShowBookReviews:
    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, book_id: int) -> Rendered[list[ReviewView]]:
        reviews = await self._catalogue.book_reviews(book_id)
        if reviews is None:
            raise NotFound("book", book_id)
        return reviews


class ShowReview:
    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, review_id: int) -> Rendered[ReviewView]:
        review = await self._catalogue.review(review_id)
        if review is None:
            raise NotFound("review", review_id)
        return review


class ShowAuthor:
    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, author_id: int) -> Rendered[AuthorView]:
        author = await self._catalogue.author(author_id)
        if author is None:
            raise NotFound("author", author_id)
        return author


class ShowAuthorBooks:
    def __init__(self, catalogue: RenderedCatalogue) -> None:
        self._catalogue = catalogue

    async def __call__(self, author_id: int) -> Rendered[list[BookSummary]]:
        books = await self._catalogue.author_books(author_id)
        if books is None:
            raise NotFound("author", author_id)
        return books
