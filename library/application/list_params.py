"""The parameters of list queries as clients give them (text), with their documented limits.

`catalogue` checks them; the limits here are the ones it enforces.
"""

from __future__ import annotations

from attrs import field, frozen

from library.application.field_docs import FieldDoc, described
from library.application.ports import SortField
from library.domain.books import ISBN_TEXT
from library.domain.ids import MAX_ID

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_SEARCH_LENGTH = 500
SORT_FIELDS: tuple[SortField, ...] = ("title", "year", "similarity")


_LIMIT = described(
    "Page size", integer_text=True, minimum=1, maximum=MAX_LIMIT, default=DEFAULT_LIMIT
)
# No `default` for documents to fill in: an explicit offset, even 0, cannot go with a cursor.
_OFFSET = described(
    "Items to skip (none when absent); not together with `cursor`",
    integer_text=True,
    minimum=0,
    maximum=MAX_ID,
)


def _filter_text(description: str) -> dict[str, FieldDoc]:
    return described(description, max_length=MAX_SEARCH_LENGTH)


@frozen
class BookListParams:
    """`GET /books` parameters as given; None (or empty) means absent."""

    q: str | None = field(
        default=None,
        metadata=_filter_text(
            "Search text: matches words of titles, genres and descriptions, and titles or"
            " author names similar to it; ordered by relevance unless `sort` says otherwise"
        ),
    )
    title: str | None = field(
        default=None, metadata=_filter_text("Exact title, compared case-insensitively")
    )
    isbn: str | None = field(
        default=None,
        metadata=described("Exact ISBN, hyphens and spaces allowed", pattern=ISBN_TEXT),
    )
    author_id: str | None = field(
        default=None,
        metadata=described(
            "Books written by this author", integer_text=True, minimum=1, maximum=MAX_ID
        ),
    )
    language: str | None = field(
        default=None,
        metadata=described(
            "Books in this language: an ISO 639-1 code, any case (extension)",
            pattern=r"^\s*([A-Za-z]{2})?\s*$",
        ),
    )
    before: str | None = field(
        default=None,
        metadata=described(
            "Books published in or before this year",
            integer_text=True,
            minimum=-MAX_ID,
            maximum=MAX_ID,
        ),
    )
    after: str | None = field(
        default=None,
        metadata=described(
            "Books published in or after this year",
            integer_text=True,
            minimum=-MAX_ID,
            maximum=MAX_ID,
        ),
    )
    limit: str | None = field(default=None, metadata=_LIMIT)
    offset: str | None = field(
        default=None,
        metadata=described(
            "Items to skip (none when absent); not together with `cursor`. A deployment may"
            " serve offsets up to a limit of its own (LIBRARY_MAX_OFFSET): deeper is a 422"
            " whose message points to `cursor`, which costs the same at any depth",
            integer_text=True,
            minimum=0,
            maximum=MAX_ID,
        ),
    )
    cursor: str | None = field(
        default=None,
        metadata=described(
            "The `next_cursor` of the previous page, with the same filters and sort;"
            " not together with `offset`"
        ),
    )
    sort: tuple[str, ...] = field(
        default=(),
        metadata=described(
            "Sort keys, each `field` or `field:direction`, in order; ties break by id."
            " `similarity` needs `q`; books without a year come last",
            item=FieldDoc(
                choices=tuple(
                    f"{name}{direction}"
                    for name in SORT_FIELDS
                    for direction in ("", ":asc", ":desc")
                )
            ),
        ),
    )


@frozen
class AuthorListParams:
    """`GET /authors` parameters as given; None (or empty) means absent."""

    q: str | None = field(
        default=None,
        metadata=_filter_text(
            "Search text: authors whose name or email is similar to it, by relevance"
        ),
    )
    name: str | None = field(
        default=None, metadata=_filter_text("Exact name, compared case-insensitively")
    )
    email: str | None = field(
        default=None, metadata=_filter_text("Exact email, compared case-insensitively")
    )
    limit: str | None = field(default=None, metadata=_LIMIT)
    offset: str | None = field(default=None, metadata=_OFFSET)
