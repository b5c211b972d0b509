"""Contract of the UnitOfWork port: isolation, commit, rollback, events, sequences, races."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from library.application.ports import AuthorFilter
from library.domain.errors import DuplicateReview
from library.domain.events import BookChanged, DomainEvent
from tests.contract.contract_backends import Backend, author_data, book_data, review_data


async def test_changes_are_invisible_to_readers_until_commit(backend: Backend) -> None:
    async with backend.unit_of_work() as uow:
        book = await uow.books.add(book_data("Dune"), ())
        assert await backend.catalogue.book(book.id) is None
        await uow.commit()
    detail = await backend.catalogue.book(book.id)
    assert detail is not None
    assert detail.title == "Dune"


async def test_leaving_without_commit_discards_every_change(backend: Backend) -> None:
    author_id = await backend.add_author("Frank Herbert")
    book_id = await backend.add_book("Dune", author_ids=[author_id])
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(book_id)
        assert book is not None
        book.revise(book_data("Dune Messiah", year=1969))
        book.replace_authors([])
        await uow.books.save(book)
        await uow.books.add(book_data("Children of Dune"), (author_id,))
        author = await uow.authors.get(author_id)
        assert author is not None
        await uow.authors.remove(author)
    detail = await backend.catalogue.book(book_id)
    assert detail is not None
    assert (detail.title, detail.year, [a.id for a in detail.authors]) == (
        "Dune",
        None,
        [author_id],
    )
    assert await backend.book_ids() == [book_id]
    assert await backend.catalogue.author(author_id) is not None


async def test_an_exception_rolls_back_and_propagates(backend: Backend) -> None:
    async def add_then_fail() -> None:
        async with backend.unit_of_work() as uow:
            await uow.authors.add(author_data("Ghost"), ())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await add_then_fail()
    assert list(await backend.catalogue.authors(AuthorFilter(limit=100))) == []


async def test_the_transaction_sees_its_own_changes(backend: Backend) -> None:
    async with backend.unit_of_work() as uow:
        author = await uow.authors.add(author_data("Ursula K. Le Guin"), ())
        book = await uow.books.add(book_data("The Dispossessed"), (author.id,))
        assert await uow.authors.existing({author.id, author.id + 100}) == {author.id}
        loaded = await uow.authors.get(author.id)
        assert loaded is not None
        assert loaded.book_ids == (book.id,)
        await uow.books.remove(book)
        assert await uow.books.existing({book.id}) == set()
        loaded = await uow.authors.get(author.id)
        assert loaded is not None
        assert loaded.book_ids == ()


async def test_events_are_published_after_commit_and_only_then(backend: Backend) -> None:
    seen_at_publish: list[bool] = []

    async def check_visible(events: Sequence[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, BookChanged):
                seen_at_publish.append(await backend.catalogue.book(event.book_id) is not None)

    backend.bus.subscribe(check_visible)
    async with backend.unit_of_work() as uow:
        book = await uow.books.add(book_data("Dune"), ())
        uow.emit(BookChanged(book.id))
        assert backend.published == []
        await uow.commit()
    assert backend.published == [BookChanged(book.id)]
    assert seen_at_publish == [True]


async def test_no_event_is_published_on_rollback(backend: Backend) -> None:
    async with backend.unit_of_work() as uow:
        book = await uow.books.add(book_data("Dune"), ())
        uow.emit(BookChanged(book.id))
    assert backend.published == []


async def test_ids_are_never_reused_even_after_rollback(backend: Backend) -> None:
    first = await backend.add_book("One")
    async with backend.unit_of_work() as uow:
        discarded = await uow.books.add(book_data("Discarded"), ())
    assert discarded.id > first
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(first)
        assert book is not None
        await uow.books.remove(book)
        await uow.commit()
    second = await backend.add_book("Two")
    assert second > discarded.id
    assert await backend.catalogue.book(discarded.id) is None


async def test_ids_start_at_1_for_each_kind(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    author_id = await backend.add_author("Frank Herbert")
    review_id = await backend.add_review(book_id, "Rita")
    assert (book_id, author_id, review_id) == (1, 1, 1)


async def test_concurrent_changes_to_one_book_are_not_lost(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    first_loaded = asyncio.Event()

    async def retitle() -> None:
        async with backend.unit_of_work() as uow:
            book = await uow.books.get(book_id)
            assert book is not None
            first_loaded.set()
            await asyncio.sleep(0.01)  # let the other writer try to get in
            book.revise(book_data("Dune (revised)"))
            await uow.books.save(book)
            await uow.commit()

    async def add_year() -> None:
        await first_loaded.wait()
        async with backend.unit_of_work() as uow:
            book = await uow.books.get(book_id)
            assert book is not None
            book.revise(book_data(book.data.title.value, year=1965))
            await uow.books.save(book)
            await uow.commit()

    await asyncio.gather(retitle(), add_year())
    detail = await backend.catalogue.book(book_id)
    assert detail is not None
    assert (detail.title, detail.year) == ("Dune (revised)", 1965)


async def test_racing_duplicate_reviews_have_exactly_one_winner(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")

    async def review(name: str) -> int:
        async with backend.unit_of_work() as uow:
            book = await uow.books.get(book_id)
            assert book is not None
            await asyncio.sleep(0)
            added = await uow.reviews.add(book_id, review_data(name))
            await uow.commit()
        return added.id

    results = await asyncio.gather(
        *(review(name) for name in ["Rita", "rita", "RITA", "Rita", "rItA"]),
        return_exceptions=True,
    )
    winners = [result for result in results if isinstance(result, int)]
    losers = [result for result in results if not isinstance(result, int)]
    assert len(winners) == 1
    assert all(isinstance(loser, DuplicateReview) for loser in losers)
    reviews = await backend.catalogue.book_reviews(book_id)
    assert reviews is not None
    assert [r.id for r in reviews] == winners
