"""The use cases built by the container on in-memory storage, with an event recorder.

A module of its own (not conftest) so that test modules can import `App` for annotations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from attrs import define, field
from cattrs.preconf.orjson import make_converter

from library.application.authors import (
    AddAuthor,
    AuthorInput,
    RemoveAuthor,
    ReplaceAuthor,
    ReviseAuthor,
)
from library.application.books import (
    AddBook,
    BookInput,
    RemoveBook,
    ReplaceBook,
    ReplaceBookAuthors,
    ReviseBook,
)
from library.application.list_params import AuthorListParams, BookListParams
from library.application.ports import Catalogue
from library.application.read_models import (
    AuthorView,
    BookDetail,
    BookPage,
    BookSummary,
    ReviewView,
)
from library.application.rendered import Rendered
from library.application.reviews import AddReview, RemoveReview, ReviseReview
from library.config import Settings
from library.container import create_container
from library.domain.events import (
    AuthorChanged,
    AuthorRemoved,
    BookChanged,
    BookRemoved,
    DomainEvent,
    ReviewChanged,
)


@define
class Recorder:
    """An event subscriber noting each event and what the read side showed when it arrived.

    Reading through the catalogue at delivery time proves the event came after the commit:
    an uncommitted change is invisible to the catalogue.
    """

    catalogue: Catalogue
    events: list[DomainEvent] = field(factory=list)
    seen: list[object] = field(factory=list)

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            self.events.append(event)
            self.seen.append(await self._read(event))

    async def _read(self, event: DomainEvent) -> object:
        match event:
            case BookChanged(book_id=book_id) | BookRemoved(book_id=book_id):
                return await self.catalogue.book(book_id)
            case AuthorChanged(author_id=author_id) | AuthorRemoved(author_id=author_id):
                return await self.catalogue.author(author_id)
            case ReviewChanged(review_id=review_id):
                return await self.catalogue.review(review_id)
        raise AssertionError(f"unexpected event {event!r}")

    def take(self) -> list[DomainEvent]:
        """The events so far, forgetting them; each was published after its commit."""
        for event, seen in zip(self.events, self.seen, strict=True):
            if isinstance(event, BookChanged | AuthorChanged):
                assert seen is not None, f"{event!r} published before its commit"
            if isinstance(event, BookRemoved | AuthorRemoved):
                assert seen is None, f"{event!r} published before its commit"
        events, self.events, self.seen = self.events, [], []
        return events


def parsed(rendered: Rendered[Any], kind: Any) -> Any:
    """A rendered read as the model it is the JSON of (for assertions on its fields)."""
    return _converter.structure(orjson.loads(rendered.json), kind)


_converter = make_converter()


class App:
    """The use cases as production builds them: through the container, on in-memory storage.

    Reads come back parsed into their read models, so tests can look at their fields.
    """

    def __init__(self) -> None:
        self.container = create_container(Settings().drop_in())
        self.catalogue: Catalogue = self.container.storage.catalogue()
        self.recorder = Recorder(self.catalogue)
        self.container.bus().subscribe(self.recorder)
        c = self.container
        self.add_book: AddBook = c.add_book()
        self.replace_book: ReplaceBook = c.replace_book()
        self.revise_book: ReviseBook = c.revise_book()
        self.replace_book_authors: ReplaceBookAuthors = c.replace_book_authors()
        self.remove_book: RemoveBook = c.remove_book()
        self.add_author: AddAuthor = c.add_author()
        self.replace_author: ReplaceAuthor = c.replace_author()
        self.revise_author: ReviseAuthor = c.revise_author()
        self.remove_author: RemoveAuthor = c.remove_author()
        self.add_review: AddReview = c.add_review()
        self.revise_review: ReviseReview = c.revise_review()
        self.remove_review: RemoveReview = c.remove_review()

    async def show_book(self, book_id: int) -> BookDetail:
        shown: BookDetail = parsed(await self.container.show_book()(book_id), BookDetail)
        return shown

    async def show_author_books(self, author_id: int) -> list[BookSummary]:
        shown = await self.container.show_author_books()(author_id)
        books: list[BookSummary] = parsed(shown, list[BookSummary])
        return books

    async def show_author(self, author_id: int) -> AuthorView:
        author: AuthorView = parsed(await self.container.show_author()(author_id), AuthorView)
        return author

    async def show_book_reviews(self, book_id: int) -> list[ReviewView]:
        shown = await self.container.show_book_reviews()(book_id)
        reviews: list[ReviewView] = parsed(shown, list[ReviewView])
        return reviews

    async def show_review(self, review_id: int) -> ReviewView:
        review: ReviewView = parsed(await self.container.show_review()(review_id), ReviewView)
        return review

    async def browse_books(self, params: BookListParams) -> BookPage:
        page: BookPage = parsed(await self.container.browse_books()(params), BookPage)
        return page

    async def browse_authors(self, params: AuthorListParams) -> list[AuthorView]:
        shown = await self.container.browse_authors()(params)
        authors: list[AuthorView] = parsed(shown, list[AuthorView])
        return authors

    async def author(self, name: str, email: str | None = None) -> AuthorView:
        return await self.add_author(AuthorInput(name=name, email=email))

    async def book(self, title: str, *author_ids: int, **fields: object) -> BookDetail:
        return await self.add_book(
            BookInput(title=title, author_ids=list(author_ids), **fields)  # type: ignore[arg-type]
        )
