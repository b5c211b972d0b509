"""The ports the use cases depend on; adapters implement them.

Write side: repositories per aggregate inside a unit of work (one transaction per use case).
Read side, in two forms: `Catalogue` answers with read models as storage holds them now
(write use cases answer with these, importers and warmers read them); `RenderedCatalogue`
answers with the JSON clients are sent (`Rendered`), which a cache may hand out from its
entries. A write use case takes a `Catalogue`, so the types keep cached data out of it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from types import TracebackType
from typing import Literal, Protocol, Self

from attrs import frozen

from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
)
from library.application.rendered import Rendered
from library.domain.authors import Author, AuthorData
from library.domain.books import Book, BookData
from library.domain.events import DomainEvent
from library.domain.reviews import Review, ReviewData


class AuthorRepository(Protocol):
    async def add(self, data: AuthorData, book_ids: tuple[int, ...]) -> Author: ...

    async def get(self, author_id: int) -> Author | None: ...

    async def save(self, author: Author) -> None:
        """Store the author's data and replace the book links with `author.book_ids`."""

    async def remove(self, author: Author) -> None:
        """Delete the author and their book links; the books stay."""

    async def existing(self, author_ids: Collection[int]) -> set[int]:
        """Return which of `author_ids` exist."""


class BookRepository(Protocol):
    async def add(self, data: BookData, author_ids: tuple[int, ...]) -> Book: ...

    async def get(self, book_id: int) -> Book | None:
        """Load a book for change; concurrent writers of the same book are serialised."""

    async def save(self, book: Book) -> None:
        """Store the book's data and replace its author links with `book.author_ids`."""

    async def remove(self, book: Book) -> None:
        """Delete the book, its reviews and its author links; the authors stay."""

    async def existing(self, book_ids: Collection[int]) -> set[int]:
        """Return which of `book_ids` exist."""


class ReviewRepository(Protocol):
    async def add(self, book_id: int, data: ReviewData) -> Review:
        """Store a new review.

        Raises:
            DuplicateReview: the reviewer already reviewed the book (also when a concurrent
                transaction got there first).
        """

    async def get(self, review_id: int) -> Review | None: ...

    async def save(self, review: Review) -> None: ...

    async def remove(self, review: Review) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: changes are visible to others only after `commit`.

    Leaving the `async with` block without committing discards every change. Events emitted
    during the work are published only after a successful commit.
    """

    authors: AuthorRepository
    books: BookRepository
    reviews: ReviewRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    def emit(self, event: DomainEvent) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]

SortField = Literal["title", "year", "similarity"]


@frozen
class SortOrder:
    field: SortField
    descending: bool


@frozen
class BookFilter:
    """A normalised book list query: what to match and in which order.

    `sort` is explicit (defaults already resolved); ties always break by id ascending, and
    books without a year come last in both directions.
    """

    q: str | None = None
    title: str | None = None
    isbn: str | None = None
    author_id: int | None = None
    before: int | None = None
    after: int | None = None
    sort: tuple[SortOrder, ...] = ()
    language: str | None = None


@frozen
class BookPosition:
    """Where a keyset page starts: strictly after the book with these sort values.

    `values` holds, for each entry of the filter's sort, the last book's raw value: its title
    (stores compare it lower-cased themselves), its year (None when it has none) or its
    relevance.
    """

    values: tuple[str | int | float | None, ...]
    book_id: int


@frozen
class AuthorFilter:
    q: str | None = None
    name: str | None = None
    email: str | None = None
    limit: int = 20
    offset: int = 0


class Catalogue(Protocol):
    """The read side in storage: read models as they are now, never from a cache."""

    async def book(self, book_id: int) -> BookDetail | None: ...

    async def book_reviews(self, book_id: int) -> Sequence[ReviewView] | None:
        """The book's reviews by id, or None when the book does not exist."""

    async def review(self, review_id: int) -> ReviewView | None: ...

    async def author(self, author_id: int) -> AuthorView | None: ...

    async def author_books(self, author_id: int) -> Sequence[BookSummary] | None:
        """The author's books by id, or None when the author does not exist."""

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[BookView]]:
        """Up to `limit` matching books in the filter's order.

        Starts strictly after `after` when given (keyset), else skips `offset` books.
        `relevance` is filled in whenever `query.q` is set.
        """

    async def authors(self, query: AuthorFilter) -> Sequence[AuthorView]:
        """The matching authors, in the filter's order."""

    async def most_reviewed_books(self, limit: int) -> Sequence[int]:
        """Ids of the `limit` books with the most reviews (ties by id), for cache warming."""


class RenderedCatalogue(Protocol):
    """The read side as clients are sent it: each answer already in its JSON form.

    The same reads as `Catalogue` (and the same answers), rendered; a cache in front of the
    storage implements it and answers hits from its entries without parsing them.
    """

    async def book(self, book_id: int) -> Rendered[BookDetail] | None: ...

    async def book_reviews(self, book_id: int) -> Rendered[list[ReviewView]] | None: ...

    async def review(self, review_id: int) -> Rendered[ReviewView] | None: ...

    async def author(self, author_id: int) -> Rendered[AuthorView] | None: ...

    async def author_books(self, author_id: int) -> Rendered[list[BookSummary]] | None: ...

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[Rendered[BookView]]]: ...

    async def authors(self, query: AuthorFilter) -> Rendered[list[AuthorView]]: ...


class DependencyCheck(Protocol):
    """A probe of something the service depends on, for /readyz."""

    name: str
    critical: bool  # False: failure degrades the service without making it unready

    async def __call__(self) -> None:
        """Return when the dependency answers; raise when it does not."""


class CacheObserver(Protocol):
    """Counts what the cache did for each kind of read (for metrics)."""

    def hit(self, kind: str) -> None: ...

    def miss(self, kind: str) -> None: ...

    def error(self, kind: str) -> None: ...

    def bypass(self, kind: str) -> None:
        """The cache was skipped (Redis known to be down, or staleness bound unmet)."""


@frozen
class ImportedBook:
    """A book of a bulk import, its authors given by id."""

    data: BookData
    author_ids: tuple[int, ...]


class CatalogueImporter(Protocol):
    """Bulk writes for imports: set-based, idempotent, no per-record round trips.

    Identity (what makes a re-run of the same file add nothing): an author is the same when
    name and email match case-insensitively; a book is the same when its ISBN matches, or,
    without an ISBN, when its title (case-insensitively) and its set of authors match.
    """

    async def import_authors(self, authors: Sequence[AuthorData]) -> list[int]:
        """Add the authors that do not exist yet; return every author's id, in order."""

    async def import_books(self, books: Sequence[ImportedBook]) -> int:
        """Add, in one transaction, the books that do not exist yet; return how many."""

    async def imported(self) -> None:
        """An import has written everything: refresh what the store plans its queries by.

        A bulk load can multiply the catalogue at once; until the store's statistics catch
        up, its searches would be planned for the old size.
        """


@frozen
class SearchIndexProgress:
    """How far building the search index has come: books indexed out of about `total`."""

    indexed: int
    total: int


class SearchIndex(Protocol):
    """What lets a search score only the books that can reach its page (PostgreSQL's
    per-word tables), built once for the books stored before it existed; stores whose
    search needs none report it ready."""

    async def ready(self) -> bool: ...

    async def build(self, report: Callable[[SearchIndexProgress], None]) -> int:
        """Index every book not indexed yet, reporting after each batch; mark the index
        ready; return how many books were indexed (0 when it already was)."""
        ...
