"""The rendered read side without a cache: storage's answers, rendered on the way out."""

from __future__ import annotations

from collections.abc import Sequence

from library.application.ports import (
    AuthorFilter,
    BookFilter,
    BookPosition,
    Catalogue,
)
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookHit,
    BookSummary,
    BookView,
    ReviewView,
)
from library.application.rendered import Rendered, render


class RenderingCatalogue:
    """`RenderedCatalogue` over a `Catalogue`: each answer encoded once, as it is sent."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    async def book(self, book_id: int) -> Rendered[BookDetail] | None:
        book = await self._catalogue.book(book_id)
        return None if book is None else render(book)

    async def book_reviews(self, book_id: int) -> Rendered[list[ReviewView]] | None:
        reviews = await self._catalogue.book_reviews(book_id)
        return None if reviews is None else render(list(reviews))

    async def review(self, review_id: int) -> Rendered[ReviewView] | None:
        review = await self._catalogue.review(review_id)
        return None if review is None else render(review)

    async def author(self, author_id: int) -> Rendered[AuthorView] | None:
        author = await self._catalogue.author(author_id)
        return None if author is None else render(author)

    async def author_books(self, author_id: int) -> Rendered[list[BookSummary]] | None:
        books = await self._catalogue.author_books(author_id)
        return None if books is None else render(list(books))

    async def books(
        self, query: BookFilter, *, after: BookPosition | None, offset: int, limit: int
    ) -> Sequence[BookHit[Rendered[BookView]]]:
        hits = await self._catalogue.books(query, after=after, offset=offset, limit=limit)
        return [rendered_hit(hit) for hit in hits]

    async def authors(self, query: AuthorFilter) -> Rendered[list[AuthorView]]:
        return render(list(await self._catalogue.authors(query)))


def rendered_hit(hit: BookHit[BookView]) -> BookHit[Rendered[BookView]]:
    return BookHit(hit.id, hit.title, hit.year, hit.relevance, render(hit.book))
