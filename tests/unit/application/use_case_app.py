"""The use cases wired on the in-memory adapters, with a subscriber that records events.

A module of its own (not conftest) so that test modules can import `App` for annotations.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import define, field

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
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
from library.application.catalogue import ShowAuthorBooks, ShowBook
from library.application.events import EventBus
from library.application.ports import UnitOfWork
from library.application.read_models import AuthorView, BookDetail
from library.application.reviews import AddReview, RemoveReview, ReviseReview
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

    catalogue: MemoryCatalogue
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


@define
class App:
    store: MemoryStore
    bus: EventBus
    catalogue: MemoryCatalogue
    recorder: Recorder

    def uow(self) -> UnitOfWork:
        return MemoryUnitOfWork(self.store, self.bus)

    @property
    def add_book(self) -> AddBook:
        return AddBook(self.uow, self.catalogue)

    @property
    def replace_book(self) -> ReplaceBook:
        return ReplaceBook(self.uow, self.catalogue)

    @property
    def revise_book(self) -> ReviseBook:
        return ReviseBook(self.uow, self.catalogue)

    @property
    def replace_book_authors(self) -> ReplaceBookAuthors:
        return ReplaceBookAuthors(self.uow, self.catalogue)

    @property
    def remove_book(self) -> RemoveBook:
        return RemoveBook(self.uow)

    @property
    def add_author(self) -> AddAuthor:
        return AddAuthor(self.uow)

    @property
    def replace_author(self) -> ReplaceAuthor:
        return ReplaceAuthor(self.uow)

    @property
    def revise_author(self) -> ReviseAuthor:
        return ReviseAuthor(self.uow)

    @property
    def remove_author(self) -> RemoveAuthor:
        return RemoveAuthor(self.uow)

    @property
    def add_review(self) -> AddReview:
        return AddReview(self.uow)

    @property
    def revise_review(self) -> ReviseReview:
        return ReviseReview(self.uow)

    @property
    def remove_review(self) -> RemoveReview:
        return RemoveReview(self.uow)

    @property
    def show_book(self) -> ShowBook:
        return ShowBook(self.catalogue)

    @property
    def show_author_books(self) -> ShowAuthorBooks:
        return ShowAuthorBooks(self.catalogue)

    async def author(self, name: str, email: str | None = None) -> AuthorView:
        return await self.add_author(AuthorInput(name=name, email=email))

    async def book(self, title: str, *author_ids: int, **fields: object) -> BookDetail:
        return await self.add_book(
            BookInput(title=title, author_ids=list(author_ids), **fields)  # type: ignore[arg-type]
        )
