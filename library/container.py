"""The one place that wires adapters into use cases (dependency-injector).

Providers stay synchronous and nothing connects at import time: `start` and `stop` open and
close resources from the app's (or CLI's) own life cycle. Tests override `adapters` with
whatever they need.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from library.adapters.memory import MemoryCatalogue, MemoryStore, MemoryUnitOfWork
from library.application.authors import AddAuthor, RemoveAuthor, ReplaceAuthor, ReviseAuthor
from library.application.books import (
    AddBook,
    RemoveBook,
    ReplaceBook,
    ReplaceBookAuthors,
    ReviseBook,
)
from library.application.catalogue import (
    BrowseAuthors,
    BrowseBooks,
    ShowAuthor,
    ShowAuthorBooks,
    ShowBook,
    ShowBookReviews,
    ShowReview,
)
from library.application.events import EventBus
from library.application.health import CheckReadiness
from library.application.reviews import AddReview, RemoveReview, ReviseReview
from library.application.sample import load_sample_catalogue
from library.config import ConfigurationError, Settings


class MemoryAdapters(containers.DeclarativeContainer):
    """The in-memory catalogue: the default, and the fakes of the core's tests."""

    bus = providers.Dependency(instance_of=EventBus)
    store = providers.Singleton(MemoryStore)
    unit_of_work = providers.Factory(MemoryUnitOfWork, store=store, bus=bus)
    catalogue = providers.Singleton(MemoryCatalogue, store=store)
    checks = providers.List()


class Container(containers.DeclarativeContainer):
    """Use cases over whichever adapters the settings chose."""

    settings = providers.Dependency(instance_of=Settings)
    bus = providers.Singleton(EventBus)
    adapters = providers.Container(MemoryAdapters, bus=bus)

    _uow = adapters.unit_of_work.provider
    _catalogue = adapters.catalogue

    add_book = providers.Singleton(AddBook, uow=_uow, catalogue=_catalogue)
    replace_book = providers.Singleton(ReplaceBook, uow=_uow, catalogue=_catalogue)
    revise_book = providers.Singleton(ReviseBook, uow=_uow, catalogue=_catalogue)
    replace_book_authors = providers.Singleton(ReplaceBookAuthors, uow=_uow, catalogue=_catalogue)
    remove_book = providers.Singleton(RemoveBook, uow=_uow)

    add_author = providers.Singleton(AddAuthor, uow=_uow)
    replace_author = providers.Singleton(ReplaceAuthor, uow=_uow)
    revise_author = providers.Singleton(ReviseAuthor, uow=_uow)
    remove_author = providers.Singleton(RemoveAuthor, uow=_uow)

    add_review = providers.Singleton(AddReview, uow=_uow)
    revise_review = providers.Singleton(ReviseReview, uow=_uow)
    remove_review = providers.Singleton(RemoveReview, uow=_uow)

    browse_books = providers.Singleton(BrowseBooks, catalogue=_catalogue)
    browse_authors = providers.Singleton(BrowseAuthors, catalogue=_catalogue)
    show_book = providers.Singleton(ShowBook, catalogue=_catalogue)
    show_book_reviews = providers.Singleton(ShowBookReviews, catalogue=_catalogue)
    show_review = providers.Singleton(ShowReview, catalogue=_catalogue)
    show_author = providers.Singleton(ShowAuthor, catalogue=_catalogue)
    show_author_books = providers.Singleton(ShowAuthorBooks, catalogue=_catalogue)

    check_readiness = providers.Singleton(CheckReadiness, checks=adapters.checks)


def create_container(settings: Settings | None = None) -> Container:
    """Wire the service for `settings` (read from the environment when not given).

    Raises:
        ConfigurationError: the settings ask for something this build cannot provide.
    """
    settings = Settings.from_env() if settings is None else settings
    if settings.database_url is not None:
        raise ConfigurationError(
            "a PostgreSQL database is configured, but this build only has the in-memory"
            " catalogue; unset LIBRARY_DATABASE_URL/DATABASE_URL/POSTGRES_*/DB_HOST"
        )
    return Container(settings=settings)


async def start(container: Container) -> None:
    """Open what the adapters need and, with LIBRARY_DEMO, load the sample catalogue."""
    settings: Settings = container.settings()
    if settings.demo:
        await load_sample_catalogue(
            container.add_author(), container.add_book(), container.add_review()
        )


async def stop(container: Container) -> None:
    """Close what `start` opened."""
